import type { LabTopology } from "../../components/topology";
import { Host } from "../../host/host";
import { parseOwnerTag } from "../../model/ownership";
import { inParallel } from "../../kernel/parallel";
import { commandLine } from "../../host/quote";
import { inHost, read } from "./observe";
import { Reading, TaggedObjects, linksOf } from "./readings";

/** A stack as its state shows it: the owner tag of each of its resources. */
export interface StackOwners {
    /** Every `owner` output in the stack's state (`pulumi stack export`). */
    readonly owners: readonly string[];
}

/** The `owner` of every resource in a `pulumi stack export` document. */
export function ownersOfExport(exported: string): string[] {
    const doc = JSON.parse(exported) as { deployment?: { resources?: Array<{ outputs?: { owner?: unknown } }> } };
    return (doc.deployment?.resources ?? []).map((r) => r.outputs?.owner).filter((o): o is string => typeof o === "string" && o.startsWith("netplumb:"));
}

/** True when the tag belongs to the same project, stack and stack id as one of the stack's owners. */
function sameStack(tag: string, owners: readonly string[]): boolean {
    const parts = parseOwnerTag(tag);
    return (
        parts?.stackId !== undefined &&
        owners.some((o) => {
            const own = parseOwnerTag(o);
            return own?.project === parts.project && own.stack === parts.stack && own.stackId === parts.stackId;
        })
    );
}

/** Tagged namespaces on the machine (their loopback's alias). */
async function taggedNamespaces(host: Host, owners: readonly string[], commands: string[]): Promise<TaggedObjects["objects"]> {
    const list = await read(host, ["ip", "-j", "netns", "list"]);
    commands.push(list.command);
    const names = list.code === 0 ? (JSON.parse(list.stdout || "[]") as Array<{ name: string }>).map((n) => n.name) : [];
    const found: Array<TaggedObjects["objects"][number]> = [];
    await inParallel(names, 8, async (name) => {
        const lo = linksOf(await read(host, ["ip", "-n", name, "-j", "-d", "addr", "show", "dev", "lo"]))[0];
        if (lo?.alias && sameStack(lo.alias, owners))
            found.push({ kind: "namespace", where: `namespace ${name}`, tag: lo.alias, remove: `ip netns delete ${name}` });
    });
    if (names.length > 0) commands.push("ip -n NS -j -d addr show dev lo (for each)");
    return found;
}

/** Tagged links (from the host's link reading doctor already made) and nft rules in the lab's host namespace. */
async function taggedInHost(
    topology: LabTopology,
    host: Host,
    links: Reading | undefined,
    owners: readonly string[],
    commands: string[],
): Promise<TaggedObjects["objects"]> {
    const rules = await read(host, inHost(topology, ["nft", "-a", "list", "ruleset"]));
    if (links) commands.push(links.command);
    commands.push(rules.command);
    const found: Array<TaggedObjects["objects"][number]> = linksOf(links)
        .filter((l) => l.alias && sameStack(l.alias, owners))
        .map((l) => ({ kind: "link", where: `link ${l.name}`, tag: l.alias!, remove: commandLine(inHost(topology, ["ip", "link", "delete", l.name])) }));
    let chain = "";
    for (const line of rules.stdout.split("\n")) {
        const head = /^\s*(table (\S+) (\S+)|chain (\S+)) \{/.exec(line);
        if (head?.[2]) chain = `${head[2]} ${head[3]}`;
        else if (head?.[4]) chain = `${chain.split(" ").slice(0, 2).join(" ")} ${head[4]}`;
        const rule = /comment "(netplumb:[^"]*)" # handle (\d+)/.exec(line);
        if (rule && sameStack(rule[1], owners)) {
            found.push({
                kind: "nft rule",
                where: `rule ${rule[2]} in ${chain}`,
                tag: rule[1],
                remove: commandLine(inHost(topology, ["nft", "delete", "rule", ...chain.split(" "), "handle", rule[2]])),
            });
        }
    }
    return found;
}

/**
 * Objects on this machine tagged with this stack (same project, stack and
 * stack id as its resources' owners): namespaces, links and nft rules in the
 * lab's host namespace. Which of them the stack no longer has is the
 * diagnosis's to say. Needs root.
 */
export async function scanTagged(topology: LabTopology, host: Host, hostLinks: Reading | undefined, stack: StackOwners): Promise<TaggedObjects> {
    const commands: string[] = [];
    const objects = [...(await taggedNamespaces(host, stack.owners, commands)), ...(await taggedInHost(topology, host, hostLinks, stack.owners, commands))];
    return { commands, objects, current: stack.owners };
}

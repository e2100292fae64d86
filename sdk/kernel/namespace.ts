import { CommandError, classify, isKind } from "../host/errors";
import { Target, hostFor } from "../host/target";
import { LinkState } from "../model/observed";
import { NamespaceSpec } from "../model/specs";
import { batchInput } from "../model/script-safety";
import { failedLines, readLink, retagLink } from "./links";
import { OwnershipError, assertOwned, claimExisting } from "./ownership";

function describe(spec: NamespaceSpec): string {
    return `network namespace ${JSON.stringify(spec.name)}`;
}

/** Commands run on the host itself (namespace management is global, not per namespace). */
function hostTarget(spec: NamespaceSpec): Target {
    return new Target(hostFor(spec.host), undefined);
}

function inside(spec: NamespaceSpec): Target {
    return new Target(hostFor(spec.host), spec.name);
}

/**
 * Tags the namespace (the alias of its loopback device) and brings loopback up.
 * Equivalent to: `ip -n NAME link set dev lo alias TAG up`.
 */
async function tagAndRaiseLoopback(spec: NamespaceSpec): Promise<void> {
    await inside(spec).ip(["link", "set", "dev", "lo", "alias", spec.owner, "up"]);
}

/**
 * Creates the namespace, tags it and brings loopback up; if tagging fails the
 * namespace is deleted again. An existing namespace is taken when this
 * resource made it (an interrupted run) or when `adopt` is set.
 * Equivalent to: `ip netns add NAME`, then `ip -n NAME link set dev lo alias TAG up`.
 */
export async function createNamespace(spec: NamespaceSpec): Promise<void> {
    await ensureNamespace(spec);
}

/** createNamespace, telling whether it made the namespace (true) or took an existing one (false). */
export async function ensureNamespace(spec: NamespaceSpec): Promise<boolean> {
    try {
        await hostTarget(spec).ip(["netns", "add", spec.name]);
    } catch (error) {
        if (!isKind(error, "Exists")) throw error;
        const lo = await readLink(inside(spec), "lo");
        claimExisting(describe(spec), lo?.alias, spec.owner, spec.adopt, spec.resumed);
        await tagAndRaiseLoopback(spec);
        // Found: made by this resource's interrupted create when resumed, otherwise taken over.
        return spec.resumed === true;
    }
    try {
        await tagAndRaiseLoopback(spec);
    } catch (error) {
        await removeNamespace(spec);
        throw error;
    }
    return true;
}

/** The live namespace as a spec, or undefined when it is gone or not this resource's. */
export async function readNamespace(spec: NamespaceSpec): Promise<NamespaceSpec | undefined> {
    return namespaceFromLoopback(spec, await readLink(inside(spec), "lo"));
}

/** The namespace as a spec when its loopback (read elsewhere; undefined: gone) carries this resource's tag. */
export function namespaceFromLoopback(spec: NamespaceSpec, lo: LinkState | undefined): NamespaceSpec | undefined {
    return lo !== undefined && lo.alias === spec.owner ? spec : undefined;
}

/** Nothing of a namespace changes in place but its tag (see retagNamespace); checks it is still there and raises loopback. */
export async function updateNamespace(spec: NamespaceSpec): Promise<void> {
    const lo = await readLink(inside(spec), "lo");
    if (lo === undefined) throw new OwnershipError(`${describe(spec)} is gone; run pulumi refresh, then up to recreate it`);
    assertOwned(describe(spec), lo.alias, spec.owner);
    await tagAndRaiseLoopback(spec);
}

/** Moves the namespace's tag (its loopback's alias) to `owner`. */
export async function retagNamespace(previous: NamespaceSpec, owner: string): Promise<void> {
    await retagLink(inside(previous), "lo", previous.owner, owner, describe(previous));
}

/**
 * Deletes the namespace and so every link inside it. Gone is success; a
 * namespace that is not this resource's is left alone.
 * Equivalent to: `ip netns del NAME`.
 */
export async function deleteNamespace(spec: NamespaceSpec): Promise<void> {
    if (await ownedNamespace(spec)) await removeNamespace(spec);
}

/**
 * True when the namespace exists and carries this resource's tag; false
 * when it is gone; throws when it is someone else's.
 * Equivalent to: `ip -n NAME -j -d addr show dev lo`.
 */
export async function ownedNamespace(spec: NamespaceSpec): Promise<boolean> {
    const lo = await readLink(inside(spec), "lo");
    if (lo === undefined) return false;
    assertOwned(describe(spec), lo.alias, spec.owner);
    return true;
}

/**
 * Deletes namespaces whose tags were checked (ownedNamespace), all in one
 * process; gone is success. Returns each one's failure (undefined: deleted).
 * Equivalent to: `ip -force -batch -` with `netns del NAME` lines.
 */
export async function removeNamespaces(specs: readonly NamespaceSpec[]): Promise<Array<Error | undefined>> {
    if (specs.length === 0) return [];
    const target = hostTarget(specs[0]);
    const argv = target.ipArgv(["-force", "-batch", "-"]);
    const result = await target.host.exec(argv, { input: batchInput(specs.map((s) => ["netns", "del", s.name])) });
    const failed = failedLines(result.stderr);
    if (result.code !== 0 && failed.size === 0) throw new CommandError(classify(result.stderr), argv, result);
    return specs.map((s, i) => {
        const message = failed.get(i + 1);
        return message === undefined || classify(message) === "NotFound" ? undefined : new Error(`ip netns del ${s.name} failed: ${message}`);
    });
}

/**
 * Deletes the namespace without reading its tag: only for a namespace the
 * caller itself just made (still untagged). Gone is success.
 * Equivalent to: `ip netns del NAME`.
 */
export async function removeNamespace(spec: NamespaceSpec): Promise<void> {
    try {
        await hostTarget(spec).ip(["netns", "del", spec.name]);
    } catch (error) {
        if (!isKind(error, "NotFound")) throw error;
    }
}

/** True when the namespace exists (whoever made it). Equivalent to: `ip -n NS link show lo`. */
export async function namespaceExists(machine: Target, name: string): Promise<boolean> {
    return (await readLink(new Target(machine.host, name), "lo")) !== undefined;
}

import { readFile } from "fs/promises";
import type { LabTopology, TopologyMember } from "../../components/topology";
import { Host } from "../../host/host";
import { LocalHost } from "../../host/local";
import { commandLine } from "../../host/quote";
import { inParallel } from "../../kernel/parallel";
import { runProbesHere } from "../check";
import { neighbourTableEntries, neighbourTableFulls, neighbourTableLimit } from "../neighbour-table";
import { HostReadings, LabReadings, MemberReadings, Reading, arpAnswerers, linksOf, nameserversOf } from "./readings";
import { SkippedCheck } from "./report";

/** How doctor reads a lab. */
export interface ObserveOptions {
    /** Running as root: namespaces can be entered and nftables read. */
    readonly root: boolean;
    /** Where commands run. Default: this machine. */
    readonly host?: Host;
    /** Members read at the same time. Default 8. */
    readonly concurrency?: number;
}

/** What doctor read, and what it could not. */
export interface Observation {
    readonly readings: LabReadings;
    readonly skipped: SkippedCheck[];
}

/** Runs argv and keeps what it printed; a program that is not installed reads as exit code 127. */
export async function read(host: Host, argv: readonly string[]): Promise<Reading> {
    const command = commandLine(argv);
    try {
        return { command, ...(await host.exec(argv)) };
    } catch (error) {
        return { command, code: 127, stdout: "", stderr: (error as Error).message };
    }
}

/** argv in the lab's host namespace: `ip -n H ...` for ip, `ip netns exec H ...` for the rest. */
export function inHost(topology: LabTopology, argv: readonly string[]): string[] {
    const ns = topology.hostNetns;
    if (ns === undefined) return [...argv];
    return argv[0] === "ip" ? ["ip", "-n", ns, ...argv.slice(1)] : ["ip", "netns", "exec", ns, ...argv];
}

/** The host's links, routes, IP forwarding and nftables ruleset; what needs root is skipped without it. */
async function observeHost(topology: LabTopology, host: Host, root: boolean, skipped: SkippedCheck[]): Promise<HostReadings> {
    if (topology.hostNetns !== undefined && !root) {
        skipped.push({
            check: "the lab's host namespace (forwarding, uplink, routes, NAT, port forwards, other firewalls)",
            why: `entering ${topology.hostNetns} needs root`,
        });
        return {};
    }
    const [links, routes, ipForward] = await Promise.all([
        read(host, inHost(topology, ["ip", "-j", "-d", "addr", "show"])),
        read(host, inHost(topology, ["ip", "-j", "route", "show"])),
        read(host, inHost(topology, ["sysctl", "-n", "net.ipv4.ip_forward"])),
    ]);
    if (!root) {
        skipped.push({ check: "NAT, port forwards and other tables' forward policies (nft list ruleset)", why: "reading nftables needs root" });
        return { links, routes, ipForward };
    }
    return { links, routes, ipForward, ruleset: await read(host, inHost(topology, ["nft", "list", "ruleset"])) };
}

/** The member's resolv.conf (`ip netns exec` mounts it over /etc/resolv.conf), as a reading: code 1 when missing, 2 when it cannot be read. */
async function readResolv(host: Host, namespace: string): Promise<Reading> {
    const path = `/etc/netns/${namespace}/resolv.conf`;
    const command = commandLine(["cat", path]);
    try {
        const text = host.files ? await host.files.read(path) : await readFile(path, "utf8");
        return text === undefined ? { command, code: 1, stdout: "", stderr: `${path}: no such file` } : { command, code: 0, stdout: text, stderr: "" };
    } catch (error) {
        // Missing is 1; any other failure (EACCES, say) is 2: not evidence that the file is gone.
        const code = (error as NodeJS.ErrnoException).code;
        return { command, code: code === "ENOENT" ? 1 : 2, stdout: "", stderr: `${path}: ${code ?? (error as Error).message}` };
    }
}

/** One DNS query to each nameserver of the member's resolv.conf, from inside the member. */
async function queryNameservers(topology: LabTopology, m: TopologyMember, resolv: Reading): Promise<MemberReadings["dns"]> {
    const name = topology.internet?.dnsName ?? "doctor.netplumb.invalid";
    const servers = resolv.code === 0 ? nameserversOf(resolv.stdout) : [];
    return Promise.all(
        servers.map(async (server) => {
            const probe = JSON.stringify([{ kind: "dns-server", server, name }]);
            const command = commandLine(["ip", "netns", "exec", m.namespace, "node", "probe.js", probe]);
            try {
                // A query that went unanswered is asked once more (a first packet can be lost to neighbour resolution on a busy machine).
                const answered = (await runProbesHere(m.namespace, probe))[0] || (await runProbesHere(m.namespace, probe))[0];
                return { server, reading: { command, code: 0, stdout: JSON.stringify([answered]), stderr: "" } };
            } catch (error) {
                return { server, reading: { command, code: 1, stdout: "", stderr: (error as Error).message } };
            }
        }),
    );
}

/** The host's view of the member's address: who answers ARP, and whether reverse-path filtering accepts its packets. */
async function observeFromHost(topology: LabTopology, host: Host, m: TopologyMember): Promise<Partial<MemberReadings>> {
    const bridge = topology.bridge.name;
    const arping = () => read(host, inHost(topology, ["arping", "-c", "2", "-w", "2", "-I", bridge, m.address]));
    const [first, reversePath] = await Promise.all([
        arping(),
        read(host, inHost(topology, ["ip", "route", "get", topology.bridge.gateway, "from", m.address, "iif", bridge])),
    ]);
    // No reply is asked once more before it counts, as a check's differing cell is.
    const arp = arpAnswerers(first).length > 0 ? first : await arping();
    if (reversePath.code === 0) return { arp, reversePath };
    const [rpFilter, routeBack] = await Promise.all([
        read(host, inHost(topology, ["sysctl", "net.ipv4.conf.all.rp_filter", `net.ipv4.conf.${bridge}.rp_filter`])),
        read(host, inHost(topology, ["ip", "route", "get", m.address])),
    ]);
    return { arp, reversePath, rpFilter, routeBack };
}

/** Everything doctor reads about one member on the bridge (needs root: it enters the member's namespace). */
async function observeMember(topology: LabTopology, host: Host, m: TopologyMember): Promise<MemberReadings> {
    const [links, routes, resolv, listeners, fromHost] = await Promise.all([
        read(host, ["ip", "-n", m.namespace, "-j", "-d", "addr", "show"]),
        read(host, ["ip", "-n", m.namespace, "-j", "route", "show"]),
        readResolv(host, m.namespace),
        read(host, ["ip", "netns", "exec", m.namespace, "ss", "-Hlntu"]),
        observeFromHost(topology, host, m),
    ]);
    const dns = m.nameservers.length > 0 && m.egress !== "deny" && linksOf(links).length > 0 ? await queryNameservers(topology, m, resolv) : [];
    return { member: m.name, links, routes, resolv, listeners, dns, ...fromHost };
}

/**
 * Reads the live lab: the host's links, routes, forwarding and ruleset, and
 * for each member on the bridge its links, routes, resolv.conf and listening
 * sockets, ARP and reverse-path checks from the host, and one DNS query to
 * each of its nameservers. Without root only what needs no namespace is read
 * (resolv.conf files, and the host when the lab is in the root namespace);
 * the rest is listed in `skipped`.
 */
export async function observeLab(topology: LabTopology, options: ObserveOptions): Promise<Observation> {
    const host = options.host ?? new LocalHost();
    const skipped: SkippedCheck[] = [];
    const hostReadings = await observeHost(topology, host, options.root, skipped);
    const bridged = topology.members.filter((m) => m.attachment === undefined && m.host === undefined);
    const members: MemberReadings[] = [];
    const fullBefore = neighbourTableFulls();
    if (!options.root) {
        skipped.push({ check: "each member's links, routes, ARP, reverse path, DNS answers and listeners", why: "entering a member's namespace needs root" });
        for (const m of bridged) members.push({ member: m.name, resolv: await readResolv(host, m.namespace) });
    } else {
        await inParallel(bridged, options.concurrency ?? 8, async (m) => void members.push(await observeMember(topology, host, m)));
    }
    const elsewhere = topology.members.filter((m) => m.host !== undefined).map((m) => m.name);
    if (elsewhere.length > 0) skipped.push({ check: `members on other hosts (${elsewhere.join(", ")})`, why: "doctor reads this machine only" });
    const neighbourTable = {
        command: "cat /proc/net/stat/arp_cache /proc/sys/net/ipv4/neigh/default/gc_thresh3",
        limit: neighbourTableLimit(),
        entries: neighbourTableEntries(),
        fullBefore,
        fullAfter: neighbourTableFulls(),
    };
    return { readings: { host: hostReadings, members, neighbourTable }, skipped };
}

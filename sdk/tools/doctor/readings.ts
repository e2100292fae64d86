import { LinkState, RawLink, RouteState, parseRoutes, toLinkState } from "../../model/observed";

/** One command doctor ran and what it printed; absent from LabReadings when it was skipped. */
export interface Reading {
    /** The command line, as a shell would run it. */
    readonly command: string;
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** What doctor read on the lab's host namespace (the gateway host in a multi-host lab). */
export interface HostReadings {
    /** `ip -j -d addr show`: links, ports and addresses. */
    readonly links?: Reading;
    /** `ip -j route show`. */
    readonly routes?: Reading;
    /** `sysctl -n net.ipv4.ip_forward`. */
    readonly ipForward?: Reading;
    /** `nft list ruleset`: the lab's NAT and forwards, and other tables' forward chains. */
    readonly ruleset?: Reading;
}

/** What doctor read in, and about, one member on the bridge. */
export interface MemberReadings {
    readonly member: string;
    /** `ip -n NS -j -d addr show`. */
    readonly links?: Reading;
    /** `ip -n NS -j route show`. */
    readonly routes?: Reading;
    /** `/etc/netns/NS/resolv.conf`, which `ip netns exec` mounts over /etc/resolv.conf; stdout is its text, code 1 when missing, 2 when unreadable. */
    readonly resolv?: Reading;
    /** `ss -Hln` inside the member: its listening sockets. */
    readonly listeners?: Reading;
    /** `arping` from the lab's bridge to the member's address: who answers. */
    readonly arp?: Reading;
    /** `ip route get GATEWAY from ADDRESS iif BRIDGE` on the host: what reverse-path filtering says of the member's packets. */
    readonly reversePath?: Reading;
    /** `ip route get ADDRESS` on the host: the way back to the member. */
    readonly routeBack?: Reading;
    /** `sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.BRIDGE.rp_filter` on the host, read with reversePath. */
    readonly rpFilter?: Reading;
    /** One DNS query per nameserver in its resolv.conf, from inside the member: stdout `[true]` when the server answered at all. */
    readonly dns?: ReadonlyArray<{ readonly server: string; readonly reading: Reading }>;
}

/** Objects carrying this stack's ownership tag, found on the machine, with the resource names the stack still has. */
export interface TaggedObjects {
    /** Every command the scan ran (evidence of where each object was seen). */
    readonly commands: readonly string[];
    readonly objects: ReadonlyArray<{
        readonly kind: "namespace" | "link" | "nft rule";
        readonly where: string;
        readonly tag: string;
        readonly remove: string;
    }>;
    /** The tags the stack's resources carry now (from `pulumi stack export`). */
    readonly current: readonly string[];
}

/** The machine's neighbour (ARP) table around doctor's own probes: shared by every namespace, capped at gc_thresh3. */
export interface NeighbourTableReading {
    /** What was read: `/proc/net/stat/arp_cache` and `/proc/sys/net/ipv4/neigh/default/gc_thresh3`. */
    readonly command: string;
    readonly limit: number;
    readonly entries: number;
    /** `table_fulls` before and after doctor's probes. */
    readonly fullBefore: number;
    readonly fullAfter: number;
}

/** Everything one doctor run read; diagnoses are pure functions of it and the topology. */
export interface LabReadings {
    readonly host: HostReadings;
    readonly neighbourTable?: NeighbourTableReading;
    readonly members: readonly MemberReadings[];
    readonly tagged?: TaggedObjects;
}

/** A link with the one flag doctor needs beyond LinkState. */
export interface LinkFact extends LinkState {
    /** ARP is off (`ip link set X arp off`). */
    readonly noArp: boolean;
}

/** The links of an `ip -j -d addr show` reading (none when it failed). */
export function linksOf(reading: Reading | undefined): LinkFact[] {
    if (reading === undefined || reading.code !== 0) return [];
    const raw = JSON.parse(reading.stdout || "[]") as RawLink[];
    return raw.map((r) => ({ ...toLinkState(r), noArp: (r.flags ?? []).includes("NOARP") }));
}

/** The routes of an `ip -j route show` reading (none when it failed). */
export function routesOf(reading: Reading | undefined): RouteState[] {
    return reading === undefined || reading.code !== 0 ? [] : parseRoutes(reading.stdout);
}

/** The MAC addresses that answered an `arping`, distinct, lowercase. */
export function arpAnswerers(reading: Reading): string[] {
    const macs = [...reading.stdout.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1].toLowerCase());
    return [...new Set(macs)];
}

/** The nameservers a resolv.conf names, in order. */
export function nameserversOf(resolvConf: string): string[] {
    return resolvConf
        .split("\n")
        .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
        .filter((s): s is string => s !== undefined);
}

/** The ports a member listens on (`ss -Hln` lines: `tcp LISTEN 0 511 0.0.0.0:80 ...`), as "tcp/80", "udp/53". */
export function listeningPorts(reading: Reading): Set<string> {
    const ports = new Set<string>();
    for (const line of reading.stdout.split("\n")) {
        const match = /^(tcp|udp)\s+\S+\s+\d+\s+\d+\s+\S*:(\d+)\s/.exec(line.trim() + " ");
        if (match) ports.add(`${match[1]}/${match[2]}`);
    }
    return ports;
}

/** One base chain of an nft ruleset (text form), with its rules. */
export interface RulesetChain {
    readonly family: string;
    readonly table: string;
    readonly chain: string;
    /** `forward`, `postrouting`, ... ; undefined for a regular chain. */
    readonly hook?: string;
    /** `accept` or `drop`, for a base chain. */
    readonly policy?: string;
    readonly rules: readonly string[];
}

/** Splits `nft list ruleset` text into chains with their hooks, policies and rules. */
export function rulesetChains(text: string): RulesetChain[] {
    const chains: RulesetChain[] = [];
    let table: { family: string; name: string } | undefined;
    let current: { family: string; table: string; chain: string; hook?: string; policy?: string; rules: string[] } | undefined;
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        const tableMatch = /^table (\S+) (\S+) \{$/.exec(line);
        const chainMatch = /^chain (\S+) \{$/.exec(line);
        if (tableMatch) table = { family: tableMatch[1], name: tableMatch[2] };
        else if (chainMatch && table) {
            current = { family: table.family, table: table.name, chain: chainMatch[1], rules: [] };
            chains.push(current);
        } else if (line === "}") {
            if (current) current = undefined;
            else table = undefined;
        } else if (current && line.startsWith("type ")) {
            current.hook = /hook (\S+)/.exec(line)?.[1];
            current.policy = /policy (\w+);/.exec(line)?.[1];
        } else if (current && line !== "") current.rules.push(line);
    }
    return chains;
}

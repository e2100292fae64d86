/**
 * The benchmark lab as the operations a hand-written approach performs, one
 * at a time: the script (b), the Ansible playbook and the Pulumi program with
 * one resource per command all run exactly these, so they differ only in
 * how each operation is driven.
 */

/** A command (argv, no shell), a directory to make, or a file to write; `undo` is the command that removes what it made, where one is needed. */
export type Operation =
    | { readonly argv: readonly string[]; readonly undo?: readonly string[] }
    | { readonly directory: string }
    | { readonly file: string; readonly content: string };

/** A member as the operations need it (values may be Ansible templates such as `{{ item.namespace }}`). */
export interface OperationMember {
    readonly namespace: string;
    readonly hostInterface: string;
    readonly address: string;
    readonly rules: readonly string[];
}

export const GATEWAY = "198.18.0.1";
export const PREFIX_LENGTH = 22;
export const RESOLV = "nameserver 203.0.113.1\n";

const inHost = (host: string, ...argv: string[]) => ["ip", "netns", "exec", host, ...argv];

/** The host namespace's bridge, forwarding and nftables base: `ip netns add`, `ip link add br0 type bridge`, `nft add table inet bench`, … */
export function hostOperations(host: string): Operation[] {
    return [
        { argv: ["ip", "netns", "add", host], undo: ["ip", "netns", "del", host] },
        { argv: ["ip", "-n", host, "link", "set", "lo", "up"] },
        { argv: ["ip", "-n", host, "link", "add", "br0", "type", "bridge"] },
        { argv: ["ip", "-n", host, "addr", "add", `${GATEWAY}/${PREFIX_LENGTH}`, "dev", "br0"] },
        { argv: ["ip", "-n", host, "link", "set", "br0", "up"] },
        { argv: inHost(host, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1") },
        { argv: inHost(host, "nft", "add", "table", "inet", "bench") },
        { argv: inHost(host, "nft", "add", "chain", "inet", "bench", "forward", "{ type filter hook forward priority filter; policy accept; }") },
        { argv: inHost(host, "nft", "add", "rule", "inet", "bench", "forward", "ct state established,related accept") },
        { argv: inHost(host, "nft", "add", "chain", "inet", "bench", "nat", "{ type nat hook postrouting priority srcnat; policy accept; }") },
        { argv: inHost(host, "nft", "add", "rule", "inet", "bench", "nat", 'ip saddr 198.18.0.0/22 oifname != "br0" masquerade') },
    ];
}

/** One member's namespace, veth to the bridge, address, default route, resolv.conf (without its egress rules: see `ruleOperation`). */
export function memberOperations(host: string, m: OperationMember): Operation[] {
    return [
        { argv: ["ip", "netns", "add", m.namespace], undo: ["ip", "netns", "del", m.namespace] },
        { argv: ["ip", "-n", m.namespace, "link", "set", "lo", "up"] },
        { argv: ["ip", "-n", host, "link", "add", m.hostInterface, "type", "veth", "peer", "name", "eth0", "netns", m.namespace] },
        { argv: ["ip", "-n", host, "link", "set", m.hostInterface, "master", "br0"] },
        { argv: ["ip", "-n", host, "link", "set", m.hostInterface, "up"] },
        { argv: ["ip", "-n", m.namespace, "addr", "add", `${m.address}/${PREFIX_LENGTH}`, "dev", "eth0"] },
        { argv: ["ip", "-n", m.namespace, "link", "set", "eth0", "up"] },
        { argv: ["ip", "-n", m.namespace, "route", "add", "default", "via", GATEWAY] },
        { directory: `/etc/netns/${m.namespace}` },
        { file: `/etc/netns/${m.namespace}/resolv.conf`, content: RESOLV },
    ];
}

/** One egress rule in the host's forward chain: `nft add rule inet bench forward RULE`. */
export function ruleOperation(host: string, rule: string): Operation {
    return { argv: inHost(host, "nft", "add", "rule", "inet", "bench", "forward", rule) };
}

/** Every operation of the lab, in order: the host's, then each member's with its rules. */
export function labOperations(host: string, members: readonly OperationMember[]): Operation[][] {
    return [hostOperations(host), ...members.map((m) => [...memberOperations(host, m), ...m.rules.map((r) => ruleOperation(host, r))])];
}

/** `word` quoted for bash when it needs it (single quotes; a single quote inside as '\''). */
export function shellWord(word: string): string {
    return /^[A-Za-z0-9_./=:,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One line of bash for an operation: the script (b) runs one process per line. */
export function shellLine(op: Operation): string {
    if ("argv" in op) return op.argv.map(shellWord).join(" ");
    if ("directory" in op) return `mkdir -p ${shellWord(op.directory)}`;
    return `printf %s ${shellWord(op.content)} > ${shellWord(op.file)}`;
}

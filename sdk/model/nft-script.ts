import { canonicalIp } from "./addresses";
import { FirewallMember, FirewallSpec, Masquerade, TrafficRule, ipKeyword, ruleComment } from "./firewall";

/** A base chain of one netplumb resource. */
export interface ChainPlan {
    /** `inet` for routed traffic, `bridge` for traffic between ports of a bridge. */
    readonly family: "inet" | "bridge";
    readonly name: string;
    /** `type ... hook ... priority ...;` of the chain. */
    readonly definition: string;
    /** Rule bodies, without the `add rule inet TABLE CHAIN` prefix and comment. */
    readonly rules: readonly string[];
}

const ESTABLISHED = "ct state established,related accept";

function quoted(name: string): string {
    return `"${name}"`;
}

function allowRule(protocol: TrafficRule["protocol"], address: string, ports?: readonly number[]): string {
    if (protocol === "icmp") return `meta l4proto ${ipKeyword(address) === "ip6" ? "ipv6-icmp" : "icmp"} accept`;
    return ports && ports.length > 0 ? `${protocol} dport { ${ports.join(", ")} } accept` : `meta l4proto ${protocol} accept`;
}

/** The forward rules for one member's traffic towards the outside (anything not leaving through the bridge). */
export function egressRules(member: FirewallMember, bridge: string): string[] {
    if (member.egress === "allow") return [];
    const match = `iifname ${quoted(bridge)} oifname != ${quoted(bridge)} ${ipKeyword(member.address)} saddr ${member.address}`;
    const allowed = member.egress === "deny" ? [] : member.egress.map((r) => `${match} ${allowRule(r.protocol, member.address, r.ports)}`);
    return [...allowed, `${match} drop`];
}

/**
 * Forward rules (family inet, bridged traffic: in and out through the
 * bridge) that keep other members from starting connections towards a
 * member: established and related traffic passes, allowed protocols and
 * ports pass, anything else towards the member is dropped.
 */
export function ingressRules(member: FirewallMember, bridge: string): string[] {
    const match = `iifname ${quoted(bridge)} oifname ${quoted(bridge)} ${ipKeyword(member.address)} daddr ${member.address}`;
    const rules: readonly TrafficRule[] = Array.isArray(member.ingress) ? (member.ingress as readonly TrafficRule[]) : [];
    const allowed = rules.map((r) => `${match} ct state new ${allowRule(r.protocol, member.address, r.ports)}`);
    return [`${match} ${ESTABLISHED}`, ...allowed, `${match} drop`];
}

/**
 * Bridge-family prerouting rules binding a member's port to its identity:
 * frames entering from the port must carry the member's MAC, ARP must name
 * the member's MAC and address as sender, IP must come from the member's
 * address (IPv6 also from its link-local address, or the unspecified
 * address for duplicate address detection), and nothing else enters. Drops
 * happen before the bridge learns a source, so a spoofer poisons no table.
 */
export function guardRules(member: FirewallMember): string[] {
    if (member.port === undefined) return [];
    const port = `iifname ${quoted(member.port.name)}`;
    const mac = member.port.mac;
    const common = [`${port} ether saddr != ${mac} drop`];
    if (ipKeyword(member.address) === "ip") {
        return [
            ...common,
            `${port} ether type arp arp saddr ether != ${mac} drop`,
            `${port} ether type arp arp saddr ip != ${member.address} drop`,
            `${port} ether type ip ip saddr != ${member.address} drop`,
            `${port} ether type != { ip, arp } drop`,
        ];
    }
    return [...common, `${port} ether type ip6 ip6 saddr != { ${member.address}, ${linkLocalOf(mac)}, :: } drop`, `${port} ether type != ip6 drop`];
}

/** The IPv6 link-local address the kernel derives from a MAC (modified EUI-64). */
export function linkLocalOf(mac: string): string {
    const b = mac.split(":").map((x) => parseInt(x, 16));
    const words = [(b[0] ^ 0x02) * 256 + b[1], b[2] * 256 + 0xff, 0xfe * 256 + b[3], b[4] * 256 + b[5]];
    return canonicalIp(`fe80::${words.map((w) => w.toString(16)).join(":")}`);
}

/** The postrouting rule of one masquerade entry. */
export function masqueradeRule(m: Masquerade): string {
    const out = m.outInterface ? ` oifname ${quoted(m.outInterface)}` : m.notOutInterface ? ` oifname != ${quoted(m.notOutInterface)}` : "";
    return `${ipKeyword(m.source)} saddr ${m.source}${out} masquerade`;
}

/**
 * The chains a Firewall resource owns, with their rules: a forward chain when
 * it has members (established/related first, then each member's egress), an
 * ingress forward chain for members that limit what others start towards
 * them, a bridge prerouting guard for members bound to a port, and a
 * postrouting chain when it masquerades. Each member's chain only matches its
 * own source address, so one Firewall per member composes: an accept in one
 * base chain never overrides a drop in another.
 */
export function planFirewall(spec: FirewallSpec): ChainPlan[] {
    const chains: ChainPlan[] = [];
    if (spec.members.length > 0) {
        chains.push({
            family: "inet",
            name: `${spec.chains}_forward`,
            definition: "type filter hook forward priority filter; policy accept;",
            rules: [ESTABLISHED, ...spec.members.flatMap((m) => egressRules(m, spec.bridge))],
        });
    }
    const guarded = spec.members.filter((m) => m.ingress !== undefined && m.ingress !== "allow");
    if (guarded.length > 0) {
        chains.push({
            family: "inet",
            name: `${spec.chains}_ingress`,
            definition: "type filter hook forward priority filter; policy accept;",
            rules: guarded.flatMap((m) => ingressRules(m, spec.bridge)),
        });
    }
    const ported = spec.members.filter((m) => m.port !== undefined);
    if (ported.length > 0) {
        chains.push({
            family: "bridge",
            name: `${spec.chains}_guard`,
            definition: "type filter hook prerouting priority filter; policy accept;",
            rules: ported.flatMap(guardRules),
        });
    }
    if (spec.masquerade.length > 0) {
        chains.push({
            family: "inet",
            name: `${spec.chains}_postrouting`,
            definition: "type nat hook postrouting priority srcnat; policy accept;",
            rules: spec.masquerade.map(masqueradeRule),
        });
    }
    return chains;
}

/**
 * One `nft -f` transaction that makes the table hold exactly these chains and
 * rules: create what is missing, flush this owner's chains, add the rules.
 * Nothing outside these chains is touched.
 */
export function applyScript(table: string, owner: string, chains: readonly ChainPlan[]): string {
    const comment = `comment "${ruleComment(owner)}"`;
    const lines = familiesOf(chains).map((family) => `add table ${family} ${table}`);
    for (const chain of chains) {
        const where = `${chain.family} ${table} ${chain.name}`;
        lines.push(`add chain ${where} { ${chain.definition} }`, `flush chain ${where}`);
        lines.push(...chain.rules.map((rule) => `add rule ${where} ${rule} ${comment}`));
    }
    return lines.join("\n") + "\n";
}

/**
 * One transaction that creates these chains fresh with their rules; it fails
 * as a whole ("File exists") when any of them already exists, so the caller
 * can fall back to reading the table and checking ownership. The cheap path
 * of a first create: no read of a table that grows with every member.
 */
export function createScript(table: string, owner: string, chains: readonly ChainPlan[]): string {
    const comment = `comment "${ruleComment(owner)}"`;
    const lines = familiesOf(chains).map((family) => `add table ${family} ${table}`);
    for (const chain of chains) {
        const where = `${chain.family} ${table} ${chain.name}`;
        lines.push(`create chain ${where} { ${chain.definition} }`);
        lines.push(...chain.rules.map((rule) => `add rule ${where} ${rule} ${comment}`));
    }
    return lines.join("\n") + "\n";
}

/** The families these chains live in, inet first. */
export function familiesOf(chains: readonly Pick<ChainPlan, "family">[]): Array<ChainPlan["family"]> {
    return (["inet", "bridge"] as const).filter((f) => f === "inet" || chains.some((c) => c.family === f));
}

/** One transaction that deletes these chains (and only them); missing chains are fine. */
export function removeScript(table: string, chains: readonly Pick<ChainPlan, "family" | "name" | "definition">[]): string {
    const lines = familiesOf(chains).map((family) => `add table ${family} ${table}`);
    for (const chain of chains) {
        const where = `${chain.family} ${table} ${chain.name}`;
        lines.push(`add chain ${where} { ${chain.definition} }`, `delete chain ${where}`);
    }
    return lines.join("\n") + "\n";
}

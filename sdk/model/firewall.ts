import { createHash } from "crypto";
import { destinationError, familyOf, ipAddressError, canonicalIp } from "./addresses";
import { CheckResult, readManaged } from "./checks";
import { Failures, show } from "./failures";
import { isUnknown } from "./host-spec";
import { InputReader } from "./inputs";
import { interfaceNameError, namespaceNameError } from "./names";
import { macError } from "./link-properties";
import { ManagedSpec } from "./specs";

/** One allowed kind of traffic: a protocol and, for TCP/UDP, destination ports. */
export interface TrafficRule {
    readonly protocol: "tcp" | "udp" | "icmp";
    /** Destination ports (1-65535); none: every port. */
    readonly ports?: readonly number[];
}

/** A member's policy towards the outside: everything, nothing, or an allow-list. */
export type EgressPolicy = "allow" | "deny" | readonly TrafficRule[];

/** A member behind a Firewall: its address and policies, and optionally its bridge port. */
export interface FirewallMember {
    readonly name: string;
    /** The member's address (bare IPv4 or IPv6). */
    readonly address: string;
    readonly egress: EgressPolicy;
    /**
     * What other members on the bridge may start towards this one: "allow"
     * (default), "deny" or an allow-list. Enforced with connection tracking
     * on bridged traffic (br_netfilter passes it through the inet forward
     * hook): replies to the member's own connections always pass.
     */
    readonly ingress?: EgressPolicy;
    /**
     * The member's port on the bridge and the MAC its frames must carry. When
     * given, every frame entering from that port must come from this MAC and
     * address (IP source, ARP sender), like the anti-spoofing of production
     * CNIs: a member that is root in its namespace cannot take another
     * address, a neighbour's MAC or the gateway's identity.
     */
    readonly port?: { readonly name: string; readonly mac: string };
}

/** Masquerade (source NAT to the outgoing interface's address) for a source prefix. */
export interface Masquerade {
    readonly source: string;
    /** Only traffic leaving through this interface. */
    readonly outInterface?: string;
    /** Only traffic not leaving through this interface (usually the bridge itself). */
    readonly notOutInterface?: string;
}

/** Firewall's inputs once checked: what its provider works from. */
export interface FirewallSpec extends ManagedSpec {
    readonly namespace?: string;
    /** netplumb's nftables table (family inet), one per stack. */
    readonly table: string;
    /** Prefix of this resource's own chains in the table. */
    readonly chains: string;
    /** The members' bridge: "outside" means leaving through any other interface. */
    readonly bridge: string;
    readonly masquerade: readonly Masquerade[];
    readonly members: readonly FirewallMember[];
}

const NFT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Returns why `name` is not a usable nftables table or chain name, or undefined. */
export function nftNameError(name: unknown): string | undefined {
    if (typeof name !== "string" || !NFT_NAME.test(name)) {
        return `${show(name)} is not a valid nftables name; use a letter then up to 63 letters, digits or '_'`;
    }
    return undefined;
}

/**
 * The table name for a stack: `netplumb_<project>_<stack>_<stack id>` (the
 * names and id of its StackIdentity, so a renamed stack keeps its table and
 * two same-named stacks have their own), hashed when long.
 * Without a stack id (netplumb 0.1): `netplumb_<project>_<stack>`.
 */
export function stackTableName(project: string, stack: string, stackId?: string): string {
    const natural = `netplumb_${project}_${stack}${stackId === undefined ? "" : `_${stackId}`}`.replace(/[^A-Za-z0-9_]/g, "_");
    if (natural.length <= 64) return natural;
    return `${natural.slice(0, 55)}_${createHash("sha256").update(natural).digest("hex").slice(0, 8)}`;
}

/** An nftables rule comment naming the owner (at most 128 bytes, hashed when longer). */
export function ruleComment(owner: string): string {
    if (owner.length <= 120) return owner;
    return `${owner.slice(0, 110)}#${createHash("sha256").update(owner).digest("hex").slice(0, 8)}`;
}

/** Validates one egress policy value under `path`. */
export function checkEgress(value: unknown, path: string, failures: Failures): EgressPolicy {
    if (value === undefined || value === "allow" || value === "deny" || isUnknown(value)) return (value as EgressPolicy) ?? "allow";
    if (!Array.isArray(value)) {
        failures.add(path, `policy ${show(value)} is not "allow", "deny" or a list such as [{ protocol: "tcp", ports: [80, 443] }]`);
        return "deny";
    }
    value.forEach((rule, i) => {
        const r = rule as Record<string, unknown>;
        if (!["tcp", "udp", "icmp"].includes(r?.protocol as string)) {
            failures.add(`${path}[${i}].protocol`, `protocol ${show(r?.protocol)} is not supported; use "tcp", "udp" or "icmp"`);
        }
        if (r?.ports !== undefined) {
            if (r.protocol === "icmp") failures.add(`${path}[${i}].ports`, `icmp has no ports; remove "ports" or use "tcp"/"udp"`);
            if (!Array.isArray(r.ports) || r.ports.length === 0)
                failures.add(`${path}[${i}].ports`, `ports ${show(r.ports)} must be a non-empty list such as [80, 443]`);
            else r.ports.forEach((p, j) => failures.check(`${path}[${i}].ports[${j}]`, portError(p)));
        }
    });
    return value as TrafficRule[];
}

function checkPort(raw: unknown, path: string, failures: Failures): FirewallMember["port"] {
    const r = new InputReader((raw ?? {}) as Record<string, unknown>, path, failures);
    return { name: r.string("name", interfaceNameError) ?? "", mac: (r.string("mac", macError) ?? "").toLowerCase() };
}

function checkMember(raw: unknown, path: string, failures: Failures): FirewallMember {
    const r = new InputReader((raw ?? {}) as Record<string, unknown>, path, failures);
    const address = r.string("address", ipAddressError) ?? "";
    return {
        name: r.string("name", interfaceNameError) ?? "",
        address: ipAddressError(address) === undefined ? canonicalIp(address) : address,
        egress: checkEgress(r.value("egress"), r.path("egress"), failures),
        ...(r.has("ingress") ? { ingress: checkEgress(r.value("ingress"), r.path("ingress"), failures) } : {}),
        ...(r.has("port") ? { port: checkPort(r.value("port"), r.path("port"), failures) } : {}),
    };
}

function checkMasquerade(raw: unknown, path: string, failures: Failures): Masquerade {
    const r = new InputReader((raw ?? {}) as Record<string, unknown>, path, failures);
    const source = r.string("source", (v) => (v === "default" ? "source must be a prefix such as 192.0.2.0/24" : destinationError(v)));
    return {
        source: source ?? "",
        outInterface: r.optionalString("outInterface", interfaceNameError),
        notOutInterface: r.optionalString("notOutInterface", interfaceNameError),
    };
}

/** Reads what every chain-owning resource has: managed fields, namespace, table and chain prefix. */
export function readChainOwner(r: InputReader): ManagedSpec & { namespace?: string; table: string; chains: string } {
    return {
        ...readManaged(r),
        namespace: r.optionalString("namespace", namespaceNameError),
        table: r.string("table", nftNameError) ?? "",
        chains: r.string("chains", nftNameError) ?? "",
    };
}

/** Returns why `port` is not a port number (1-65535), or undefined. */
export function portError(port: unknown): string | undefined {
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
        return `port ${show(port)} is not a whole number from 1 to 65535`;
    }
    return undefined;
}

/** Validates Firewall inputs: names, members' addresses and policies, masquerade prefixes. */
export function checkFirewall(raw: Record<string, unknown>): CheckResult<FirewallSpec> {
    const failures = new Failures();
    const r = new InputReader(raw, "", failures);
    const list = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as unknown[]) : []);
    const members = list("members").map((m, i) => checkMember(m, `members[${i}]`, failures));
    const seen = new Map<string, string>();
    members.forEach((m, i) => {
        const other = seen.get(m.address);
        if (other !== undefined)
            failures.add(`members[${i}].address`, `address ${m.address} of ${show(m.name)} is also ${show(other)}'s; give each member its own address`);
        seen.set(m.address, m.name);
    });
    const spec: FirewallSpec = {
        ...readChainOwner(r),
        bridge: r.string("bridge", interfaceNameError) ?? "",
        masquerade: list("masquerade").map((m, i) => checkMasquerade(m, `masquerade[${i}]`, failures)),
        members,
    };
    return { spec, failures: failures.all };
}

/** `ip` or `ip6`, for matching an address of that family. */
export function ipKeyword(address: string): "ip" | "ip6" {
    return familyOf(address.split("/")[0]) === 6 ? "ip6" : "ip";
}

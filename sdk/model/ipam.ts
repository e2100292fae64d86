import { ManagedSpec } from "./specs";
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange, collapseIPv6Number } from "ip-num";
import { InterfaceAddress, canonicalIp, familyOf, networkOf, parseInterfaceAddress, subnetContains } from "./addresses";
import { Failure, show } from "./failures";

/** A member asking for an address: explicit, or any free one. */
export interface AddressRequest {
    readonly member: string;
    readonly address?: string;
}

/** An address pool over a subnet, with the gateway taken out. */
export interface Pool {
    /** The subnet as a network prefix, e.g. 192.0.2.0/24. */
    readonly subnet: string;
    readonly gateway: string;
}

function bounds(subnet: InterfaceAddress): [bigint, bigint] {
    const net = networkOf(subnet);
    if (subnet.family === 4) {
        const range = IPv4CidrRange.fromCidr(net);
        return [range.getFirst().getValue(), range.getLast().getValue()];
    }
    const range = IPv6CidrRange.fromCidr(net);
    return [range.getFirst().getValue(), range.getLast().getValue()];
}

function text(family: 4 | 6, value: bigint): string {
    return family === 4 ? new IPv4(value).toString() : collapseIPv6Number(new IPv6(value).toString());
}

function valueOf(address: string): bigint {
    return familyOf(address) === 4 ? new IPv4(address).getValue() : new IPv6(address).getValue();
}

/**
 * The first and last address members may get: the network and (IPv4)
 * broadcast addresses are left out, except in /31 and /32 (RFC 3021).
 */
export function usableRange(subnet: string): [bigint, bigint] {
    const s = parseInterfaceAddress(subnet);
    const [first, last] = bounds(s);
    const hostBits = (s.family === 4 ? 32 : 128) - s.prefixLength;
    if (hostBits <= 1) return [first, last];
    return [first + 1n, s.family === 4 ? last - 1n : last];
}

/** The default gateway of a subnet: its first usable address. */
export function defaultGateway(subnet: string): string {
    return text(parseInterfaceAddress(subnet).family, usableRange(subnet)[0]);
}

/** How many addresses the pool can hand out (the gateway excluded). */
export function poolCapacity(pool: Pool): bigint {
    const [first, last] = usableRange(pool.subnet);
    return last - first + 1n - (subnetContains(parseInterfaceAddress(pool.subnet), pool.gateway) ? 1n : 0n);
}

/** The lowest usable address not in `taken` (canonical texts) and not the gateway; undefined when the pool is exhausted. */
export function firstFree(pool: Pool, taken: ReadonlySet<string>, limit = 1n << 20n): string | undefined {
    const family = parseInterfaceAddress(pool.subnet).family;
    const [first, last] = usableRange(pool.subnet);
    const gateway = canonicalIp(pool.gateway);
    for (let v = first; v <= last && v - first < limit; v++) {
        const candidate = text(family, v);
        if (candidate !== gateway && !taken.has(candidate)) return candidate;
    }
    return undefined;
}

/** Why `address` cannot be a member's address in the pool, or undefined. */
export function memberAddressError(pool: Pool, address: string): string | undefined {
    const subnet = parseInterfaceAddress(pool.subnet);
    if (familyOf(address) === undefined) return `${show(address)} is not an IP address`;
    if (!subnetContains(subnet, address)) return `address ${address} is outside the subnet ${pool.subnet}; pick one inside it`;
    if (canonicalIp(address) === canonicalIp(pool.gateway)) return `address ${address} is the gateway's; pick another`;
    const [first, last] = usableRange(pool.subnet);
    const v = valueOf(address);
    if (v < first || v > last) return `address ${address} is the network or broadcast address of ${pool.subnet}; pick a host address`;
    return undefined;
}

/**
 * Validates a pool and its members' requests before anything is made:
 * gateway inside the subnet, explicit addresses usable and unique, enough
 * free addresses for the others, and no overlap with other subnets of the stack.
 */
export function checkPool(pool: Pool, requests: readonly AddressRequest[], otherSubnets: readonly string[] = [], path = "members"): Failure[] {
    const failures: Failure[] = [];
    const subnet = parseInterfaceAddress(pool.subnet);
    if (!subnetContains(subnet, pool.gateway)) {
        failures.push({
            property: "gateway",
            reason: `gateway ${pool.gateway} is outside the subnet ${pool.subnet}; use an address inside it, such as ${defaultGateway(pool.subnet)}`,
        });
    }
    for (const other of otherSubnets) {
        if (overlaps(pool.subnet, other))
            failures.push({ property: "subnet", reason: `subnet ${pool.subnet} overlaps ${other}, declared elsewhere in the stack; pick a disjoint subnet` });
    }
    const owners = new Map<string, string>();
    for (const r of requests.filter((q) => q.address !== undefined)) {
        const error = memberAddressError(pool, r.address!);
        if (error) failures.push({ property: `${path}.${r.member}.address`, reason: error });
        const owner = owners.get(canonicalIp(r.address!));
        if (owner)
            failures.push({
                property: `${path}.${r.member}.address`,
                reason: `address ${r.address} is also ${show(owner)}'s; give each member its own address`,
            });
        owners.set(canonicalIp(r.address!), r.member);
    }
    const needed = BigInt(requests.length);
    if (needed > poolCapacity(pool)) {
        failures.push({
            property: path,
            reason: `${requests.length} members need addresses but ${pool.subnet} has ${poolCapacity(pool)} free; use a larger subnet`,
        });
    }
    return failures;
}

/** True when two prefixes share any address. */
export function overlaps(a: string, b: string): boolean {
    const pa = parseInterfaceAddress(a);
    const pb = parseInterfaceAddress(b);
    if (pa.family !== pb.family) return false;
    const [a1, a2] = bounds(pa);
    const [b1, b2] = bounds(pb);
    return a1 <= b2 && b1 <= a2;
}

/** The pool's subnet as a network prefix (host bits cleared). */
export function subnetOf(cidr: string): string {
    return networkOf(parseInterfaceAddress(cidr));
}

/** A member's address allocation from a pool, persisted on the host. */
export interface AllocationSpec extends ManagedSpec {
    /** The pool's id: a directory name under the allocation store. */
    readonly pool: string;
    readonly subnet: string;
    readonly gateway: string;
    readonly member: string;
    /** An explicit address; absent: the lowest free one. */
    readonly address?: string;
}

/** Returns why `pool` is not a usable pool id, or undefined. */
export function poolIdError(pool: unknown): string | undefined {
    return typeof pool === "string" && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(pool)
        ? undefined
        : `pool id ${show(pool)} must be 1-128 letters, digits, '_', '.' or '-'`;
}

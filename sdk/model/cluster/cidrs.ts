import { IPv4, IPv6 } from "ip-num";
import { familyOf, canonicalIp, interfaceAddressError, networkOf, parseInterfaceAddress } from "../addresses";
import { Failures, show } from "../failures";

/** An address range of one family, inclusive at both ends. */
export interface AddressRange {
    readonly family: 4 | 6;
    readonly first: bigint;
    readonly last: bigint;
    /** As the user wrote it, for messages. */
    readonly text: string;
}

function valueOf(ip: string): bigint {
    return familyOf(ip) === 4 ? new IPv4(ip).getValue() : new IPv6(canonicalIp(ip)).getValue();
}

/** Returns why `text` is not a network prefix with host bits clear (e.g. 10.244.0.0/16), or undefined. */
export function cidrError(text: unknown): string | undefined {
    const error = interfaceAddressError(text);
    if (error !== undefined) return `${show(text)} is not a CIDR such as 198.18.0.0/16 or fd00:10::/64`;
    const network = networkOf(parseInterfaceAddress(text as string));
    if (network !== parseCanonical(text as string)) return `${show(text)} has host bits set; use the network ${network}`;
    return undefined;
}

function parseCanonical(text: string): string {
    const a = parseInterfaceAddress(text);
    return `${a.address}/${a.prefixLength}`;
}

/** The range a valid CIDR covers. */
export function cidrRange(text: string): AddressRange {
    const a = parseInterfaceAddress(text);
    const bits = BigInt(a.family === 4 ? 32 : 128);
    const size = 1n << (bits - BigInt(a.prefixLength));
    const first = valueOf(networkOf(a).split("/")[0]);
    return { family: a.family, first, last: first + size - 1n, text };
}

/**
 * Returns why `text` is not a load-balancer pool entry as MetalLB takes it
 * (a CIDR, or `first-last` of one family with `first <= last`), or undefined.
 */
export function poolEntryError(text: unknown): string | undefined {
    if (typeof text === "string" && text.includes("-")) {
        const [first, last, ...rest] = text.split("-").map((s) => s.trim());
        const families = [familyOf(first ?? ""), familyOf(last ?? "")];
        if (rest.length > 0 || families[0] === undefined || families[0] !== families[1]) {
            return `${show(text)} is not a range such as 198.51.100.240-198.51.100.250 (both ends of one family)`;
        }
        if (valueOf(first) > valueOf(last)) return `${show(text)} ends before it starts; write the lower address first`;
        return undefined;
    }
    const error = cidrError(text);
    return error && `${error}, or a range such as 198.51.100.240-198.51.100.250`;
}

/** The range a valid pool entry covers. */
export function poolEntryRange(text: string): AddressRange {
    if (!text.includes("-")) return cidrRange(text);
    const [first, last] = text.split("-").map((s) => s.trim());
    return { family: familyOf(first)!, first: valueOf(first), last: valueOf(last), text };
}

/** True when the ranges share an address. */
export function overlaps(a: AddressRange, b: AddressRange): boolean {
    return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** True when `inner` lies wholly inside `outer`. */
export function within(inner: AddressRange, outer: AddressRange): boolean {
    return inner.family === outer.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** True when the bare address lies in the range. */
export function holds(range: AddressRange, ip: string): boolean {
    return familyOf(ip) === range.family && range.first <= valueOf(ip) && valueOf(ip) <= range.last;
}

/** Records a failure for every pair of overlapping named ranges (each pair once, on the later property). */
export function checkDisjoint(named: ReadonlyArray<{ property: string; range: AddressRange }>, failures: Failures): void {
    named.forEach((b, j) =>
        named.slice(0, j).forEach((a) => {
            if (overlaps(a.range, b.range)) {
                failures.add(
                    b.property,
                    `${show(b.range.text)} overlaps ${a.property} (${a.range.text}); the two must not share addresses: choose a range outside it`,
                );
            }
        }),
    );
}

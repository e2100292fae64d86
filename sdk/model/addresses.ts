import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange, Validator, collapseIPv6Number } from "ip-num";
import { show } from "./failures";

/** An IP family: 4 or 6. */
export type Family = 4 | 6;

/** An interface address with its prefix length, e.g. 192.0.2.10/24. */
export interface InterfaceAddress {
    readonly family: Family;
    /** The address in canonical form (IPv6 compressed, as `ip -j` prints it). */
    readonly address: string;
    readonly prefixLength: number;
}

/** The canonical text of an interface address: `address/prefix`. */
export function formatAddress(a: InterfaceAddress): string {
    return `${a.address}/${a.prefixLength}`;
}

/** The family of a bare address, or undefined when it is neither IPv4 nor IPv6. */
export function familyOf(address: string): Family | undefined {
    if (Validator.isValidIPv4String(address)[0]) return 4;
    if (Validator.isValidIPv6String(address)[0]) return 6;
    return undefined;
}

/** Canonical form of a bare IP address (IPv6 compressed, lower case). */
export function canonicalIp(address: string): string {
    return familyOf(address) === 6 ? collapseIPv6Number(address.toLowerCase()) : address;
}

/**
 * Parses `address/prefix` (the host part may be set, as on an interface).
 * Throws an Error naming the value and the expected form.
 */
export function parseInterfaceAddress(text: string): InterfaceAddress {
    const error = interfaceAddressError(text);
    if (error !== undefined) throw new Error(error);
    const [address, prefix] = text.split("/");
    return { family: familyOf(address)!, address: canonicalIp(address), prefixLength: Number(prefix) };
}

/** Returns why `text` is not `address/prefix`, or undefined when it is. */
export function interfaceAddressError(text: unknown): string | undefined {
    const hint = "use address/prefix such as 192.0.2.10/24 or 2001:db8::10/64";
    if (typeof text !== "string" || !/^[0-9A-Fa-f.:]+\/[0-9]{1,3}$/.test(text)) {
        return `${show(text)} is not an address with a prefix length; ${hint}`;
    }
    const [address, prefix] = text.split("/");
    const family = familyOf(address);
    if (family === undefined) {
        return `${show(text)} does not hold a valid IPv4 or IPv6 address; ${hint}`;
    }
    const max = family === 4 ? 32 : 128;
    if (Number(prefix) > max) {
        return `${show(text)} has prefix length ${prefix}, above ${max} for IPv${family}; ${hint}`;
    }
    return undefined;
}

/** Returns why `text` is not a bare IP address, or undefined when it is. */
export function ipAddressError(text: unknown): string | undefined {
    if (typeof text !== "string" || familyOf(text) === undefined) {
        return `${show(text)} is not an IPv4 or IPv6 address; use one such as 192.0.2.1 or 2001:db8::1`;
    }
    return undefined;
}

/** The network (`192.0.2.0/24`, `2001:db8::/64`) an interface address belongs to. */
export function networkOf(a: InterfaceAddress): string {
    const bits = a.family === 4 ? 32n : 128n;
    const hostBits = bits - BigInt(a.prefixLength);
    const mask = ((1n << bits) - 1n) ^ ((1n << hostBits) - 1n);
    const value = a.family === 4 ? new IPv4(a.address).getValue() : new IPv6(a.address).getValue();
    const base = value & mask;
    const text = a.family === 4 ? new IPv4(base).toString() : collapseIPv6Number(new IPv6(base).toString());
    return `${text}/${a.prefixLength}`;
}

/** True when bare address `ip` lies inside the subnet of interface address `a`. */
export function subnetContains(a: InterfaceAddress, ip: string): boolean {
    if (familyOf(ip) !== a.family) return false;
    if (a.family === 4) {
        return IPv4CidrRange.fromCidr(networkOf(a)).contains(IPv4CidrRange.fromCidr(`${ip}/32`));
    }
    return IPv6CidrRange.fromCidr(networkOf(a)).contains(IPv6CidrRange.fromCidr(`${canonicalIp(ip)}/128`));
}

/** Parses a route destination: `default` or a network prefix (host bits zero). */
export function destinationError(text: unknown): string | undefined {
    if (text === "default") return undefined;
    const error = interfaceAddressError(text);
    if (error !== undefined) {
        return `destination ${show(text)} is neither "default" nor a prefix such as 198.51.100.0/24`;
    }
    const a = parseInterfaceAddress(text as string);
    if (formatAddress({ ...a, address: networkOf(a).split("/")[0] }) !== formatAddress(a)) {
        return `destination ${show(text)} has host bits set; use the network ${networkOf(a)}`;
    }
    return undefined;
}

/** Canonical route destination text: `default` stays, prefixes are normalised. */
export function canonicalDestination(text: string): string {
    return text === "default" ? text : formatAddress(parseInterfaceAddress(text));
}

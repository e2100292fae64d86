import { createHash } from "crypto";
import { show } from "./failures";

/** Smallest MTU the kernel accepts for IPv4 (bytes). */
export const MIN_MTU = 68;
/** Smallest MTU for an interface that carries IPv6 (bytes, RFC 8200). */
export const MIN_MTU_IPV6 = 1280;
/** Largest MTU netplumb accepts (bytes). */
export const MAX_MTU = 65535;

/** Returns why `mtu` is not a valid MTU for an interface, or undefined. */
export function mtuError(mtu: unknown, carriesIpv6: boolean): string | undefined {
    const min = carriesIpv6 ? MIN_MTU_IPV6 : MIN_MTU;
    if (typeof mtu !== "number" || !Number.isInteger(mtu) || mtu < min || mtu > MAX_MTU) {
        const why = carriesIpv6 ? " (the interface has IPv6 addresses)" : "";
        return `MTU ${show(mtu)} is out of range${why}; use a whole number of bytes from ${min} to ${MAX_MTU}`;
    }
    return undefined;
}

/** Returns why `mac` is not a unicast MAC address such as 02:00:00:00:00:01, or undefined. */
export function macError(mac: unknown): string | undefined {
    if (typeof mac !== "string" || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) {
        return `MAC address ${show(mac)} is malformed; use six colon-separated hex bytes such as "02:00:00:00:00:01"`;
    }
    if ((parseInt(mac.slice(0, 2), 16) & 1) === 1 || /^0{2}(:0{2}){5}$/.test(mac)) {
        return `MAC address ${show(mac)} is multicast or zero; use a unicast address such as "02:00:00:00:00:01"`;
    }
    return undefined;
}

/** Returns why `metric` is not a route metric (0 to 2^32-1), or undefined. */
export function metricError(metric: unknown): string | undefined {
    if (typeof metric !== "number" || !Number.isInteger(metric) || metric < 0 || metric > 0xffffffff) {
        return `metric ${show(metric)} is not a whole number from 0 to 4294967295`;
    }
    return undefined;
}

/** Returns why `key` is not a per-namespace sysctl such as net.ipv4.ip_forward, or undefined. */
export function sysctlKeyError(key: unknown): string | undefined {
    if (typeof key !== "string" || !/^net\.[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/.test(key) || key.length > 200) {
        return (
            `sysctl key ${show(key)} is not a network sysctl; use a dotted key under net., ` + `such as "net.ipv4.ip_forward" or "net.ipv6.conf.all.forwarding"`
        );
    }
    return undefined;
}

/** Returns why `value` cannot be written to a sysctl, or undefined. */
export function sysctlValueError(value: unknown): string | undefined {
    if (typeof value !== "string" || !/^[A-Za-z0-9_.:,\- \t]{1,256}$/.test(value)) {
        return `sysctl value ${show(value)} is not allowed; use digits, letters, spaces and . : , _ - only`;
    }
    return undefined;
}

/**
 * A stable, locally administered unicast MAC derived from `seed`. A bridge
 * without a MAC of its own takes the lowest MAC of its ports, so adding or
 * removing a member would change the gateway's MAC under every other member's
 * ARP cache; netplumb pins it instead.
 */
export function stableMac(seed: string): string {
    const bytes = createHash("sha256").update(seed).digest().subarray(0, 6);
    bytes[0] = (bytes[0] & 0xfc) | 0x02;
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

import { IPv4, IPv6 } from "ip-num";
import { canonicalIp, parseInterfaceAddress } from "./addresses";
import type { CniNetworkSpec } from "./cni";

/** A bridge a network's `bridge` plugin uses, with the gateway addresses the plugin gives it. */
export interface CniBridge {
    /** The bridge's name: the plugin's `bridge`, default "cni0". */
    readonly name: string;
    /** With `isGateway`: each host-local range's gateway as `address/prefix` (default the subnet's first address). */
    readonly gateways: readonly string[];
}

/** The subnet's first address (network + 1), the gateway host-local hands out when a range names none. */
function firstAddress(subnet: string): string {
    const a = parseInterfaceAddress(subnet);
    const value = (a.family === 4 ? new IPv4(a.address).getValue() : new IPv6(a.address).getValue()) + 1n;
    return canonicalIp(a.family === 4 ? new IPv4(value).toString() : new IPv6(value).toString());
}

/** The gateways of a host-local IPAM section, `address/prefix`. */
function hostLocalGateways(ipam: unknown): string[] {
    const ranges = (ipam as { type?: string; ranges?: unknown } | undefined)?.ranges;
    if ((ipam as { type?: string } | undefined)?.type !== "host-local" || !Array.isArray(ranges)) return [];
    return ranges.flatMap((set: unknown) =>
        (Array.isArray(set) ? set : []).flatMap((range: { subnet?: unknown; gateway?: unknown }) => {
            if (typeof range.subnet !== "string") return [];
            const prefix = range.subnet.split("/")[1];
            return [`${typeof range.gateway === "string" ? canonicalIp(range.gateway) : firstAddress(range.subnet)}/${prefix}`];
        }),
    );
}

/**
 * The bridges the network's `bridge` plugins make (when missing) on the host
 * where its attachments run, and the gateway addresses they put on them:
 * what netplumb takes off again when the range changes or the network goes.
 */
export function cniBridges(spec: Pick<CniNetworkSpec, "plugins">): CniBridge[] {
    return spec.plugins
        .filter((p) => p.type === "bridge")
        .map((p) => {
            const plugin = p as { bridge?: unknown; isGateway?: unknown; ipam?: unknown };
            return {
                name: typeof plugin.bridge === "string" ? plugin.bridge : "cni0",
                gateways: plugin.isGateway === true ? hostLocalGateways(plugin.ipam) : [],
            };
        });
}

/** Gateway addresses the old configuration put on a bridge that the new one no longer does. */
export function staleGateways(old: Pick<CniNetworkSpec, "plugins">, next: Pick<CniNetworkSpec, "plugins">): Array<{ bridge: string; address: string }> {
    const kept = new Set(cniBridges(next).flatMap((b) => b.gateways.map((g) => `${b.name} ${g}`)));
    return cniBridges(old).flatMap((b) => b.gateways.filter((g) => !kept.has(`${b.name} ${g}`)).map((address) => ({ bridge: b.name, address })));
}

import { ipAddressError } from "../addresses";
import { Failures, show } from "../failures";
import { checkAddressing } from "./addressing";

/** MetalLB's namespace, where its custom resources live. */
export const METALLB_NAMESPACE = "metallb-system";

/** A BGP neighbour MetalLB peers with (`BGPPeer`, metallb.io/v1beta2). */
export interface BgpPeerInput {
    /** The router's address. */
    readonly peerAddress: string;
    /** The router's AS number, 1 to 4294967295. */
    readonly peerASN: number;
    /** MetalLB's own AS number, 1 to 4294967295. */
    readonly myASN: number;
    /** TCP port of the BGP session. Default 179. */
    readonly peerPort?: number;
}

/** What a LoadBalancer hands out and how it announces it. */
export interface LoadBalancerInput {
    /** Pools by name: CIDRs or `first-last` ranges, e.g. `{ public: ["192.168.10.240-192.168.10.250"] }`. */
    readonly pools: Readonly<Record<string, readonly string[]>>;
    /** `l2` (ARP/NDP from a node, the addresses in the nodes' network) or `bgp` (routes to `peers`). Default `l2`. */
    readonly mode?: "l2" | "bgp";
    /** BGP neighbours; required, and only allowed, with mode `bgp`. */
    readonly peers?: readonly BgpPeerInput[];
    /** Node addresses no pool may hold. Default none. */
    readonly nodeAddresses?: readonly string[];
    /** Pod and service networks the pools must stay out of (checked when given). */
    readonly podCidr?: string;
    readonly serviceCidr?: string;
}

/** A MetalLB custom resource, as applied. */
export interface MetallbObject {
    readonly apiVersion: "metallb.io/v1beta1" | "metallb.io/v1beta2";
    readonly kind: "IPAddressPool" | "L2Advertisement" | "BGPAdvertisement" | "BGPPeer";
    readonly metadata: { readonly name: string; readonly namespace: string };
    readonly spec: Record<string, unknown>;
}

const ASN_MAX = 4294967295;

/**
 * Checks the pools as MetalLB's validating webhook would (valid CIDRs and
 * ranges, no two pools sharing an address) plus what the webhook cannot
 * know: no pool holding a node address or overlapping the pod or service
 * network; mode and peers consistent, AS numbers and ports in range.
 */
export function checkLoadBalancer(input: LoadBalancerInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const result = checkAddressing({ podCidr: input.podCidr, serviceCidr: input.serviceCidr, pools: input.pools, nodeAddresses: input.nodeAddresses }, path);
    if (Object.keys(input.pools).length === 0)
        result.add(at("pools"), 'no pool given; declare at least one, e.g. { public: ["192.168.10.240-192.168.10.250"] }');
    const mode = input.mode ?? "l2";
    if (mode !== "l2" && mode !== "bgp") result.add(at("mode"), `${show(mode)} is neither "l2" nor "bgp"`);
    const peers = input.peers ?? [];
    if (mode === "bgp" && peers.length === 0) result.add(at("peers"), 'mode "bgp" needs at least one peer: { peerAddress, peerASN, myASN }');
    if (mode === "l2" && peers.length > 0) result.add(at("peers"), 'peers are for mode "bgp"; set mode: "bgp" or remove them');
    peers.forEach((p, i) => {
        result.check(at(`peers[${i}].peerAddress`), ipAddressError(p.peerAddress));
        for (const key of ["peerASN", "myASN"] as const) {
            if (!Number.isInteger(p[key]) || p[key] < 1 || p[key] > ASN_MAX)
                result.add(at(`peers[${i}].${key}`), `${show(p[key])} is not an AS number; use 1 to ${ASN_MAX}`);
        }
        if (p.peerPort !== undefined && (!Number.isInteger(p.peerPort) || p.peerPort < 1 || p.peerPort > 65535)) {
            result.add(at(`peers[${i}].peerPort`), `${show(p.peerPort)} is not a port; use 1 to 65535 (BGP's is 179)`);
        }
    });
    return result;
}

function object(apiVersion: MetallbObject["apiVersion"], kind: MetallbObject["kind"], name: string, spec: Record<string, unknown>): MetallbObject {
    return { apiVersion, kind, metadata: { name, namespace: METALLB_NAMESPACE }, spec };
}

/**
 * MetalLB's custom resources for valid input, in the order they may be
 * applied: the pools, then one advertisement naming them all (`l2`, or
 * `bgp`), then the BGP peers (`peer-0`, `peer-1`, ...).
 */
export function compileLoadBalancer(input: LoadBalancerInput, advertisementName = "netplumb"): MetallbObject[] {
    const names = Object.keys(input.pools).sort();
    const pools = names.map((name) => object("metallb.io/v1beta1", "IPAddressPool", name, { addresses: [...input.pools[name]] }));
    const bgp = (input.mode ?? "l2") === "bgp";
    const advertisement = object("metallb.io/v1beta1", bgp ? "BGPAdvertisement" : "L2Advertisement", advertisementName, { ipAddressPools: names });
    const peers = (input.peers ?? []).map((p, i) =>
        object("metallb.io/v1beta2", "BGPPeer", `peer-${i}`, {
            myASN: p.myASN,
            peerASN: p.peerASN,
            peerAddress: p.peerAddress,
            ...(p.peerPort ? { peerPort: p.peerPort } : {}),
        }),
    );
    return [...pools, advertisement, ...peers];
}

import { parseInterfaceAddress } from "./addresses";
import { HostSpec } from "./host-spec";

/** Fields every host-level resource carries. */
export interface ManagedSpec {
    /** Where commands run. */
    readonly host: HostSpec;
    /** Ownership tag written onto the kernel object (see ownership.ts). */
    readonly owner: string;
    /** Take over an existing object of the same name when it matches. */
    readonly adopt: boolean;
    /**
     * Set by the provider, never an input: an earlier create of this resource
     * was interrupted (see kernel/intent.ts), so an untagged object bearing
     * one of its names is its own half-made object.
     */
    readonly resumed?: boolean;
}

/** Namespace's inputs once checked: what its provider works from. */
export interface NamespaceSpec extends ManagedSpec {
    readonly name: string;
}

/** Bridge's inputs once checked: what its provider works from. */
export interface BridgeSpec extends ManagedSpec {
    readonly name: string;
    /** Namespace holding the bridge; undefined: the host's own namespace. */
    readonly namespace?: string;
    readonly mtu?: number;
    /** The bridge's MAC: given, or stable from the owner tag and name (see stableMac). */
    readonly mac: string;
    /** Interface addresses, canonical `address/prefix`, sorted. */
    readonly addresses: readonly string[];
    readonly up: boolean;
    readonly stp: boolean;
}

/** One end of a veth pair: name, namespace, bridge, addresses, MTU, MAC and gateway. */
export interface VethEndSpec {
    readonly name: string;
    readonly namespace?: string;
    readonly bridge?: string;
    readonly addresses: readonly string[];
    readonly mtu?: number;
    readonly mac?: string;
    /** Default route via this address, which lies in one of `addresses`' subnets. */
    readonly gateway?: string;
}

/** VethPair's inputs once checked: what its provider works from. */
export interface VethPairSpec extends ManagedSpec {
    readonly a: VethEndSpec;
    readonly b: VethEndSpec;
}

/** Address's inputs once checked: what its provider works from. */
export interface AddressSpec extends ManagedSpec {
    readonly interface: string;
    readonly namespace?: string;
    readonly address: string;
}

/** Route's inputs once checked: what its provider works from. */
export interface RouteSpec extends ManagedSpec {
    readonly namespace?: string;
    /** `default` or a canonical prefix. */
    readonly destination: string;
    readonly via?: string;
    readonly device?: string;
    readonly metric?: number;
}

/** Sysctl's inputs once checked: what its provider works from. */
export interface SysctlSpec extends ManagedSpec {
    readonly namespace?: string;
    readonly key: string;
    readonly value: string;
}

/** Sorted canonical addresses: the order a user lists them in is not a change. */
export function canonicalAddresses(list: readonly string[]): string[] {
    const canonical = list.map((text) => {
        const a = parseInterfaceAddress(text);
        return `${a.address}/${a.prefixLength}`;
    });
    return [...new Set(canonical)].sort();
}

import * as pulumi from "@pulumi/pulumi";
import { HostSpec } from "../model/host-spec";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs Macvlan and Ipvlan share. */
export interface SublinkArgs extends ManagedArgs {
    /** Interface name inside the namespace, e.g. `eth1`. Changing it replaces the interface. */
    name: pulumi.Input<string>;
    /** The namespace the interface lives in (a member's). Changing it replaces the interface. */
    namespace: pulumi.Input<string>;
    /** The parent interface in the host's namespace, typically its uplink (`eth0`). Changing it replaces the interface. */
    parent: pulumi.Input<string>;
    /** Addresses with prefix length, on the parent's network, e.g. `192.0.2.50/24`. Default none. Updated in place. */
    addresses?: pulumi.Input<pulumi.Input<string>[]>;
    /** Default route of the namespace via this gateway (`proto 222`). Default none. Updated in place. */
    gateway?: pulumi.Input<string>;
    /** MTU in bytes, at most the parent's. Default: the parent's. Updated in place. */
    mtu?: pulumi.Input<number>;
}

/** The inputs of a `Macvlan`. */
export interface MacvlanArgs extends SublinkArgs {
    /**
     * `bridge` (the default: siblings on one parent talk directly), `private`
     * (siblings cannot talk), `vepa` (sibling traffic goes out to the switch
     * and back), `passthru` (one interface takes the parent over) or `source`.
     * Changing it replaces the interface.
     */
    mode?: pulumi.Input<"bridge" | "private" | "vepa" | "passthru" | "source">;
    /** The interface's own MAC. Default: a random one from the kernel. Updated in place. */
    mac?: pulumi.Input<string>;
}

/** The inputs of an `Ipvlan`. */
export interface IpvlanArgs extends SublinkArgs {
    /** `l2` (the default: switching on the parent's MAC), `l3` (routed, no broadcast) or `l3s`. Changing it replaces the interface. */
    mode?: pulumi.Input<"l2" | "l3" | "l3s">;
}

function sublinkInputs(name: string, args: SublinkArgs & { mode?: unknown; mac?: unknown }) {
    return {
        ...managedInputs(name, args),
        name: args.name,
        namespace: args.namespace,
        parent: args.parent,
        mode: args.mode,
        addresses: args.addresses ?? [],
        gateway: args.gateway,
        mtu: args.mtu,
        mac: args.mac,
    };
}

/**
 * A macvlan interface in a namespace: its own MAC on the parent's network,
 * as Docker's macvlan driver gives a container. Its traffic does not pass the
 * host's forward path, so netplumb's policies cannot apply to it, and the
 * host itself cannot reach it through the parent (the kernel keeps them
 * apart). Equivalent to: `ip link add link eth0 name eth1 netns NS type macvlan mode bridge && ip -n NS addr add 192.0.2.50/24 dev eth1 && ip -n NS link set eth1 up`.
 */
export class Macvlan extends NetplumbResource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string>;
    declare public readonly addresses: pulumi.Output<string[]>;
    declare public readonly host: pulumi.Output<HostSpec>;

    constructor(name: string, args: MacvlanArgs, opts?: pulumi.CustomResourceOptions) {
        super("macvlan", "Macvlan", name, sublinkInputs(name, args), opts);
    }
}

/**
 * An ipvlan interface in a namespace: the parent's MAC, its own address, as
 * Docker's ipvlan driver gives a container; policies cannot apply to it
 * either. Many kernels have it; this machine's lacks the module, and `up`
 * says so. Equivalent to: `ip link add link eth0 name eth1 netns NS type ipvlan mode l2`.
 */
export class Ipvlan extends NetplumbResource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string>;
    declare public readonly addresses: pulumi.Output<string[]>;
    declare public readonly host: pulumi.Output<HostSpec>;

    constructor(name: string, args: IpvlanArgs, opts?: pulumi.CustomResourceOptions) {
        super("ipvlan", "Ipvlan", name, sublinkInputs(name, args), opts);
    }
}

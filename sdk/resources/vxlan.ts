import * as pulumi from "@pulumi/pulumi";
import { HostSpec } from "../model/host-spec";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `Vxlan`. */
export interface VxlanArgs extends ManagedArgs {
    /** Interface name, 1-15 bytes. Default `vx<vni>`. Changing it replaces the device. */
    name?: pulumi.Input<string>;
    /** Namespace holding the device. Default: the host's own namespace. Changing it replaces the device. */
    namespace?: pulumi.Input<string>;
    /** VXLAN network identifier, 1-16777215: the segment. Changing it replaces the device. */
    vni: pulumi.Input<number>;
    /** UDP port of every end. Default 4789 (IANA's). Changing it replaces the device. */
    port?: pulumi.Input<number>;
    /** This host's underlay address, the tunnel's source (e.g. `198.51.100.11`). Changing it replaces the device. */
    local: pulumi.Input<string>;
    /** Underlay interface to bind to. Default none; required with `group`. */
    device?: pulumi.Input<string>;
    /** Multicast group to flood to instead of `peers` (the underlay must route multicast). Default none. */
    group?: pulumi.Input<string>;
    /**
     * Other hosts' underlay addresses: one flooding FDB entry each (head-end
     * replication: broadcast and unknown frames are copied to every peer).
     * Updated in place, entry by entry. Default none.
     */
    peers?: pulumi.Input<pulumi.Input<string>[]>;
    /** Bridge the device joins. Default none. Updated in place. */
    bridge?: pulumi.Input<string>;
    /**
     * MTU in bytes. Default: underlayMtu minus VXLAN's overhead (50 over
     * IPv4, 70 over IPv6): 1450 on a 1500-byte underlay. A larger one fails at
     * preview naming both values. Updated in place.
     */
    mtu?: pulumi.Input<number>;
    /** MTU of the underlay path in bytes, for that check. Default 1500. */
    underlayMtu?: pulumi.Input<number>;
}

/**
 * A VXLAN tunnel endpoint: one host's end of a layer-2 segment carried over
 * UDP, without MAC learning, flooding to its peers by FDB entries.
 * Equivalent to: `ip link add vx42 mtu 1450 type vxlan id 42 dstport 4789 local 198.51.100.11 nolearning && ip link set vx42 master br0 up && bridge fdb append 00:00:00:00:00:00 dev vx42 dst 198.51.100.12`.
 */
export class Vxlan extends NetplumbResource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string | undefined>;
    declare public readonly vni: pulumi.Output<number>;
    declare public readonly port: pulumi.Output<number>;
    declare public readonly local: pulumi.Output<string>;
    /** The peers' addresses, canonical and sorted. */
    declare public readonly peers: pulumi.Output<string[]>;
    declare public readonly bridge: pulumi.Output<string | undefined>;
    declare public readonly mtu: pulumi.Output<number>;
    declare public readonly host: pulumi.Output<HostSpec>;

    constructor(name: string, args: VxlanArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            name: args.name ?? pulumi.output(args.vni).apply((vni) => `vx${vni}`),
            namespace: args.namespace,
            vni: args.vni,
            port: args.port,
            local: args.local,
            device: args.device,
            group: args.group,
            peers: args.peers ?? [],
            bridge: args.bridge,
            mtu: args.mtu,
            underlayMtu: args.underlayMtu,
        };
        super("vxlan", "Vxlan", name, inputs, opts);
    }
}

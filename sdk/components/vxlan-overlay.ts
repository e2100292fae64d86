import * as pulumi from "@pulumi/pulumi";
import { HostInput } from "../resources/common";
import { Vxlan } from "../resources/vxlan";

/** One host of an overlay. */
export interface OverlayHostArgs {
    /** Where the host's end lives: `{ ssh: … }` for another machine, `{}` for this one. */
    readonly host: pulumi.Input<HostInput>;
    /** The host's underlay address: its tunnel's source, and what the other hosts send to. */
    readonly local: string;
    /** The host's lab bridge, which the tunnel joins. */
    readonly bridge: pulumi.Input<string>;
    /** Namespace holding the bridge. Default: the host's own namespace. */
    readonly namespace?: pulumi.Input<string>;
    /** Underlay interface (needed with a multicast group). Default none. */
    readonly device?: pulumi.Input<string>;
}

/** The inputs of a `VxlanOverlay`. */
export interface VxlanOverlayArgs {
    /** VXLAN network identifier, 1-16777215. */
    readonly vni: number;
    /** UDP port. Default 4789. */
    readonly port?: number;
    /** The hosts, by a name of yours (`a`, `edge-1`): each gets a Vxlan `<overlay>-<host>` flooding to all the others. */
    readonly hosts: Record<string, OverlayHostArgs>;
    /** Flood to a multicast group instead of to each peer. Default none (head-end replication). */
    readonly group?: string;
    /** The segment's MTU. Default: underlayMtu minus VXLAN's overhead. Checked at preview against underlayMtu. */
    readonly mtu?: number;
    /** MTU of the underlay. Default 1500. */
    readonly underlayMtu?: number;
    /** Device name on every host. Default `vx<vni>`. */
    readonly name?: string;
}

/**
 * One layer-2 segment across hosts: a Vxlan on each host's bridge, each
 * flooding to every other host by FDB entries (or to a multicast group).
 * Members on the hosts' bridges then share one subnet. Adding or removing a
 * host adds or removes its device and updates only the others' `peers`.
 */
export class VxlanOverlay extends pulumi.ComponentResource {
    /** Each host's device, by host name. */
    public readonly devices: Record<string, Vxlan>;

    constructor(name: string, args: VxlanOverlayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:index:VxlanOverlay", name, {}, opts);
        const names = Object.keys(args.hosts).sort();
        this.devices = {};
        for (const hostName of names) {
            const h = args.hosts[hostName];
            this.devices[hostName] = new Vxlan(
                `${name}-${hostName}`,
                {
                    host: h.host,
                    name: args.name,
                    namespace: h.namespace,
                    vni: args.vni,
                    port: args.port,
                    local: h.local,
                    device: h.device,
                    group: args.group,
                    peers: args.group ? [] : names.filter((other) => other !== hostName).map((other) => args.hosts[other].local),
                    bridge: h.bridge,
                    mtu: args.mtu,
                    underlayMtu: args.underlayMtu,
                },
                { parent: this },
            );
        }
        this.registerOutputs({});
    }
}

import * as pulumi from "@pulumi/pulumi";
import { HostSpec } from "../model/host-spec";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** How one direction is shaped. */
export interface DirectionShapingArgs {
    /** Rate: bits per second (`10000000`) or tc's notation (`"10mbit"`, `"512kbit"`). */
    rate: pulumi.Input<number | string>;
    /** Bucket in bytes: what may pass at line rate before the rate holds. Default: 10 ms at the rate, at least 3000. */
    burst?: pulumi.Input<number>;
    /** Longest wait in the bucket's queue, in milliseconds; later packets are dropped. Default 50. */
    latency?: pulumi.Input<number>;
    /** Added delay in milliseconds (netem; this kernel may lack it, and up then says so). Default none. */
    delay?: pulumi.Input<number>;
    /** Variation of the delay in milliseconds (netem). Default none. */
    jitter?: pulumi.Input<number>;
    /** Packets dropped, in percent (netem). Default none. */
    loss?: pulumi.Input<number>;
}

/** The inputs of a `TrafficShaping`. */
export interface TrafficShapingArgs extends ManagedArgs {
    /** The interface, typically a member's host-side veth end (`LabNetwork`'s `members.<m>.hostInterface`). Changing it replaces the shaping. */
    interface: pulumi.Input<string>;
    /** Namespace holding it. Default: the host's own namespace. */
    namespace?: pulumi.Input<string>;
    /** Traffic leaving the interface: for a member's host-side end, what the member receives. Default: not shaped. */
    outbound?: pulumi.Input<DirectionShapingArgs>;
    /** Traffic arriving on the interface: for a member's host-side end, what the member sends. Default: not shaped. */
    inbound?: pulumi.Input<DirectionShapingArgs>;
}

/**
 * Shaping of an interface's traffic with token buckets, all of it on the
 * host side (a member cannot undo it from inside its namespace): outbound by
 * a root TBF, inbound by redirecting what arrives to an IFB device shaped by
 * a TBF. Equivalent to: `tc qdisc replace dev vlab-red root handle 1: tbf rate 10000000bit burst 12500 latency 50ms`, and for inbound `ip link add ifb-… type ifb`, `tc qdisc replace dev vlab-red handle ffff: ingress`,
 * `tc filter replace dev vlab-red parent ffff: … u32 match u32 0 0 action mirred egress redirect dev ifb-…`, `tc qdisc replace dev ifb-… root … tbf …`.
 */
export class TrafficShaping extends NetplumbResource {
    declare public readonly interface: pulumi.Output<string>;
    /** The IFB device carrying inbound traffic. */
    declare public readonly ifb: pulumi.Output<string>;
    declare public readonly host: pulumi.Output<HostSpec>;

    constructor(name: string, args: TrafficShapingArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            interface: args.interface,
            namespace: args.namespace,
            outbound: args.outbound,
            inbound: args.inbound,
            ifb: undefined,
        };
        super("shaping", "TrafficShaping", name, inputs, opts);
    }
}

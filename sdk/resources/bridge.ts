import * as pulumi from "@pulumi/pulumi";
import { HostSpec } from "../model/host-spec";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `Bridge`. */
export interface BridgeArgs extends ManagedArgs {
    /** Interface name, 1-15 bytes. Changing it replaces the bridge. */
    name: pulumi.Input<string>;
    /** Namespace holding the bridge. Default: the host's own namespace. Changing it replaces the bridge. */
    namespace?: pulumi.Input<string>;
    /** MTU in bytes (68-65535; at least 1280 with IPv6 addresses). Default: the kernel's (1500). Updated in place. */
    mtu?: pulumi.Input<number>;
    /**
     * The bridge's MAC, e.g. `02:00:00:00:00:01`. Default: a stable locally
     * administered MAC derived from the stack and resource (a bridge left to
     * take its lowest port's MAC would change it as members come and go).
     * Updated in place.
     */
    mac?: pulumi.Input<string>;
    /** Addresses with prefix length, e.g. `192.0.2.1/24`, `2001:db8::1/64`. Default none. Updated in place. */
    addresses?: pulumi.Input<pulumi.Input<string>[]>;
    /** Administratively up. Default true. */
    up?: pulumi.Input<boolean>;
    /** Spanning tree protocol. Default false (off), as container bridges usually are. */
    stp?: pulumi.Input<boolean>;
}

/**
 * A Linux bridge. Equivalent to:
 * `ip link add NAME type bridge stp_state 0 && ip addr add A dev NAME && ip link set dev NAME up`.
 */
export class Bridge extends NetplumbResource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string | undefined>;
    declare public readonly mtu: pulumi.Output<number | undefined>;
    declare public readonly mac: pulumi.Output<string>;
    /** Addresses in canonical form, sorted. */
    declare public readonly addresses: pulumi.Output<string[]>;
    declare public readonly up: pulumi.Output<boolean>;
    declare public readonly stp: pulumi.Output<boolean>;
    declare public readonly host: pulumi.Output<HostSpec>;

    constructor(name: string, args: BridgeArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            name: args.name,
            namespace: args.namespace,
            mtu: args.mtu,
            mac: args.mac,
            addresses: args.addresses ?? [],
            up: args.up ?? true,
            stp: args.stp ?? false,
        };
        super("bridge", "Bridge", name, inputs, opts);
    }
}

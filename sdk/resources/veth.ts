import * as pulumi from "@pulumi/pulumi";
import { HostSpec } from "../model/host-spec";
import { VethEndSpec } from "../model/specs";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** One end of a veth pair. */
export interface VethEndArgs {
    /** Interface name, 1-15 bytes. Changing it replaces the pair. */
    name: pulumi.Input<string>;
    /** Namespace of this end. Default: the host's own namespace. Changing it replaces the pair. */
    namespace?: pulumi.Input<string>;
    /** Bridge (in the same namespace) this end joins. Default: none. Updated in place. */
    bridge?: pulumi.Input<string>;
    /** Addresses with prefix length, e.g. `192.0.2.10/24`. Default none. Updated in place. */
    addresses?: pulumi.Input<pulumi.Input<string>[]>;
    /** MTU in bytes (68-65535; 1280+ with IPv6). Default: the kernel's (1500). Updated in place. */
    mtu?: pulumi.Input<number>;
    /** Unicast MAC such as `02:00:00:00:00:01`. Default: random. Updated in place. */
    mac?: pulumi.Input<string>;
    /**
     * Default route via this address, which must lie in one of this end's
     * subnets (usually the bridge's address). Default: none.
     * Equivalent to: `ip -n NS route replace default via GW dev NAME proto 222`.
     */
    gateway?: pulumi.Input<string>;
}

/** The inputs of a `VethPair`. */
export interface VethPairArgs extends ManagedArgs {
    /** The first end, created first; usually the host side joined to a bridge. */
    a: VethEndArgs;
    /** The peer, created directly in its namespace; usually a container's `eth0`. */
    b: VethEndArgs;
}

/**
 * A veth pair, each end in its own namespace, optionally joined to a bridge,
 * addressed and up. Equivalent to:
 * `ip link add A type veth peer name B netns NS && ip link set A master BR up && ip -n NS addr add ... dev B && ip -n NS link set B up`.
 */
export class VethPair extends NetplumbResource {
    declare public readonly a: pulumi.Output<VethEndSpec>;
    declare public readonly b: pulumi.Output<VethEndSpec>;
    declare public readonly host: pulumi.Output<HostSpec>;

    constructor(name: string, args: VethPairArgs, opts?: pulumi.CustomResourceOptions) {
        const end = (e: VethEndArgs) => ({ ...e, addresses: e.addresses ?? [] });
        super("veth", "VethPair", name, { ...managedInputs(name, args), a: end(args.a), b: end(args.b) }, opts);
    }
}

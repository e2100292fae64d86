import * as pulumi from "@pulumi/pulumi";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `PortForward`. */
export interface PortForwardArgs extends ManagedArgs {
    /** netplumb's nftables table for the stack. */
    table: pulumi.Input<string>;
    /** Prefix of this resource's chains (letters, digits, '_'). */
    chains: pulumi.Input<string>;
    /** `tcp` (default) or `udp`. */
    protocol?: pulumi.Input<"tcp" | "udp">;
    /** Port on the host, 1-65535. */
    hostPort: pulumi.Input<number>;
    /** Only traffic arriving on this interface (e.g. the uplink). Default: any interface, to the host's own addresses. */
    inInterface?: pulumi.Input<string>;
    /** The member's address. */
    toAddress: pulumi.Input<string>;
    /** The member's port, 1-65535. */
    toPort: pulumi.Input<number>;
    /** Also forward the host's own connections to its addresses. Default true. */
    fromHost?: pulumi.Input<boolean>;
    /** Namespace holding the rules. Default: the host's own namespace. */
    namespace?: pulumi.Input<string>;
}

/**
 * DNAT from a host port to a member's address and port, in netplumb's table.
 * Equivalent to: `nft add rule inet T C_prerouting iifname "wan0" tcp dport 8080 dnat ip to 192.0.2.10:80`.
 */
export class PortForward extends NetplumbResource {
    declare public readonly hostPort: pulumi.Output<number>;
    declare public readonly drift: pulumi.Output<string | undefined>;

    constructor(name: string, args: PortForwardArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            table: args.table,
            chains: args.chains,
            protocol: args.protocol ?? "tcp",
            hostPort: args.hostPort,
            inInterface: args.inInterface,
            toAddress: args.toAddress,
            toPort: args.toPort,
            fromHost: args.fromHost ?? true,
            namespace: args.namespace,
            drift: undefined,
        };
        super("port-forward", "PortForward", name, inputs, opts);
    }
}

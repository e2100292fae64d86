import * as pulumi from "@pulumi/pulumi";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `Route`. */
export interface RouteArgs extends ManagedArgs {
    /** `default` or a prefix such as `198.51.100.0/24` (host bits zero). Changing it replaces the route. */
    destination: pulumi.Input<string>;
    /** Gateway address, of the destination's family. Updated in place. */
    via?: pulumi.Input<string>;
    /** Outgoing interface (1-15 bytes). Updated in place. At least one of `via` and `device` is required. */
    device?: pulumi.Input<string>;
    /** Namespace of the route. Default: the host's own namespace. Changing it replaces the route. */
    namespace?: pulumi.Input<string>;
    /** Route metric (0-4294967295). Default: the kernel's (0 for IPv4, 1024 for IPv6). Updated in place. */
    metric?: pulumi.Input<number>;
}

/**
 * A route in the main table, marked with netplumb's protocol number 222 so
 * nobody else's route is ever changed or removed.
 * Equivalent to: `ip [-n NS] route add DEST [via GW] [dev IF] [metric M] proto 222`.
 */
export class Route extends NetplumbResource {
    declare public readonly destination: pulumi.Output<string>;
    declare public readonly via: pulumi.Output<string | undefined>;
    declare public readonly device: pulumi.Output<string | undefined>;
    declare public readonly metric: pulumi.Output<number | undefined>;

    constructor(name: string, args: RouteArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            destination: args.destination,
            via: args.via,
            device: args.device,
            namespace: args.namespace,
            metric: args.metric,
        };
        super("route", "Route", name, inputs, opts);
    }
}

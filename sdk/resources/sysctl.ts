import * as pulumi from "@pulumi/pulumi";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `Sysctl`. */
export interface SysctlArgs extends ManagedArgs {
    /** A network sysctl key under `net.`, e.g. `net.ipv4.ip_forward`. Changing it replaces the resource. */
    key: pulumi.Input<string>;
    /** The value to write, e.g. `1`. Updated in place. */
    value: pulumi.Input<string | number>;
    /** Namespace whose sysctl to set. Default: the host's own namespace. Changing it replaces the resource. */
    namespace?: pulumi.Input<string>;
}

/**
 * A per-namespace network sysctl. Delete writes back the value found at create.
 * Equivalent to: `ip netns exec NS sysctl -w KEY=VALUE`.
 */
export class Sysctl extends NetplumbResource {
    declare public readonly key: pulumi.Output<string>;
    declare public readonly value: pulumi.Output<string>;
    /** The value found before create, restored on delete. */
    declare public readonly previous: pulumi.Output<string>;

    constructor(name: string, args: SysctlArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            key: args.key,
            value: pulumi.output(args.value).apply(String),
            namespace: args.namespace,
            previous: undefined,
        };
        super("sysctl", "Sysctl", name, inputs, opts);
    }
}

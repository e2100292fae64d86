import * as pulumi from "@pulumi/pulumi";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of an `Address`. */
export interface AddressArgs extends ManagedArgs {
    /** The interface (1-15 bytes) that gets the address; it must exist. */
    interface: pulumi.Input<string>;
    /** Namespace of the interface. Default: the host's own namespace. */
    namespace?: pulumi.Input<string>;
    /** Address with prefix length, e.g. `192.0.2.20/24`. Any change replaces the resource. */
    address: pulumi.Input<string>;
}

/**
 * An extra address on an interface that something else manages.
 * Equivalent to: `ip [-n NS] addr add ADDRESS dev IF`.
 */
export class Address extends NetplumbResource {
    declare public readonly interface: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string | undefined>;
    declare public readonly address: pulumi.Output<string>;

    constructor(name: string, args: AddressArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = { ...managedInputs(name, args), interface: args.interface, namespace: args.namespace, address: args.address };
        super("address", "Address", name, inputs, opts);
    }
}

import * as pulumi from "@pulumi/pulumi";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of an `AddressAllocation`. */
export interface AddressAllocationArgs extends ManagedArgs {
    /** Pool id: the directory under /var/lib/netplumb/ipam holding this pool's allocations. */
    pool: pulumi.Input<string>;
    /** The pool's subnet, e.g. `192.0.2.0/24`. */
    subnet: pulumi.Input<string>;
    /** The gateway, never handed out. */
    gateway: pulumi.Input<string>;
    /** The member the address is for. */
    member: pulumi.Input<string>;
    /** An explicit address; default: the lowest free one. */
    address?: pulumi.Input<string>;
}

/**
 * A member's address from a pool. Once allocated it stays with the member
 * (it is persisted, never derived from list order), so adding or removing
 * members never renumbers the others.
 */
export class AddressAllocation extends NetplumbResource {
    /** The member's address. */
    declare public readonly allocated: pulumi.Output<string>;

    constructor(name: string, args: AddressAllocationArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            pool: args.pool,
            subnet: args.subnet,
            gateway: args.gateway,
            member: args.member,
            address: args.address,
            allocated: undefined,
        };
        super("allocation", "AddressAllocation", name, inputs, opts);
    }
}

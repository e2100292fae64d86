import * as pulumi from "@pulumi/pulumi";
import { HostSpec } from "../model/host-spec";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `NetworkNamespace`. */
export interface NetworkNamespaceArgs extends ManagedArgs {
    /**
     * The namespace's name, a file under /run/netns: 1-64 bytes of letters,
     * digits, `_`, `.` and `-`. Changing it replaces the namespace.
     */
    name: pulumi.Input<string>;
}

/**
 * A network namespace with its loopback device up, tagged as this stack's.
 * Deleting it deletes every link inside it.
 * Equivalent to: `ip netns add NAME && ip -n NAME link set dev lo up`.
 */
export class NetworkNamespace extends NetplumbResource {
    /** The namespace's name. */
    declare public readonly name: pulumi.Output<string>;
    declare public readonly host: pulumi.Output<HostSpec>;
    /** Ownership tag written to the namespace (alias of its `lo`). */
    declare public readonly owner: pulumi.Output<string>;

    constructor(name: string, args: NetworkNamespaceArgs, opts?: pulumi.CustomResourceOptions) {
        super("namespace", "NetworkNamespace", name, { ...managedInputs(name, args), name: args.name }, opts);
    }
}

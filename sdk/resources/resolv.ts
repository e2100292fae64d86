import * as pulumi from "@pulumi/pulumi";
import { HostEntry } from "../model/resolv";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `ResolvConf`. */
export interface ResolvConfArgs extends ManagedArgs {
    /** The namespace whose /etc/netns/<namespace>/resolv.conf this writes. */
    namespace: pulumi.Input<string>;
    /** Up to 3 resolver addresses. */
    nameservers: pulumi.Input<pulumi.Input<string>[]>;
    /** Search domains. Default none. */
    search?: pulumi.Input<pulumi.Input<string>[]>;
    /** Resolver options such as `ndots:1`. Default none. */
    options?: pulumi.Input<pulumi.Input<string>[]>;
    /** When set, /etc/netns/<namespace>/hosts lists these names (plus localhost). Default: no hosts file. */
    hosts?: pulumi.Input<pulumi.Input<HostEntry>[]>;
}

/**
 * Per-namespace DNS: `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf
 * (and hosts) over /etc. Delete restores the files found at create, or removes them.
 */
export class ResolvConf extends NetplumbResource {
    declare public readonly nameservers: pulumi.Output<string[]>;

    constructor(name: string, args: ResolvConfArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            namespace: args.namespace,
            nameservers: args.nameservers,
            search: args.search ?? [],
            options: args.options ?? [],
            hosts: args.hosts,
        };
        super("resolv", "ResolvConf", name, inputs, opts);
    }
}

import * as pulumi from "@pulumi/pulumi";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `SandboxServices`. */
export interface SandboxServicesArgs extends ManagedArgs {
    /** The namespace standing in for the internet. */
    namespace: pulumi.Input<string>;
    /** TCP ports that accept connections and answer with a banner line. Default [80, 443, 22]. */
    ports?: pulumi.Input<number[]>;
    /** DNS A records served on UDP 53, e.g. `[{ name: "example.test", address: "203.0.113.1" }]`. */
    records?: pulumi.Input<Array<{ name: string; address: string }>>;
}

/**
 * The sandbox's emulated internet: a small server process started in the
 * namespace (TCP banners and DNS). Delete stops exactly that process, by PID.
 * Equivalent to: `ip netns exec NS node uplink-server.js --ports 80,443,22 ... &`.
 */
export class SandboxServices extends NetplumbResource {
    declare public readonly pid: pulumi.Output<number>;

    constructor(name: string, args: SandboxServicesArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            namespace: args.namespace,
            ports: args.ports ?? [80, 443, 22],
            records: args.records ?? [],
            pid: undefined,
            startTime: undefined,
        };
        super("services", "SandboxServices", name, inputs, opts);
    }
}

import * as pulumi from "@pulumi/pulumi";
import { CniCapabilities, CniResult } from "../model/cni-exec";
import { CniPlugin } from "../model/cni-plugins";
import { HostSpec } from "../model/host-spec";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";
import type { CniNetwork } from "./cni-network";

/** The network an attachment joins, as its configuration list says (a CniNetwork gives all of it). */
export interface CniNetworkRefArgs {
    name: pulumi.Input<string>;
    cniVersion?: pulumi.Input<string>;
    plugins: pulumi.Input<pulumi.Input<CniPlugin>[]>;
    /** Where the plugins are. Default /opt/cni/bin. */
    binDir?: pulumi.Input<string>;
}

/** The inputs of a `CniAttachment`. */
export interface CniAttachmentArgs extends ManagedArgs {
    /** The network: a CniNetwork, or its name, version, plugins and binDir. Any change to it attaches again (replace). */
    network: CniNetwork | CniNetworkRefArgs;
    /** The namespace to attach (`/run/netns/<namespace>`); it must exist. */
    namespace: pulumi.Input<string>;
    /** The interface made inside it. Default eth0. */
    ifName?: pulumi.Input<string>;
    /** CNI_CONTAINERID. Default: `netplumb-` and this resource's owner tag. */
    containerId?: pulumi.Input<string>;
    /** CNI_ARGS as [key, value] pairs. Default none. */
    args?: pulumi.Input<pulumi.Input<[string, string]>[]>;
    /** What the runtime passes to plugins declaring the capability: portMappings, bandwidth, ips, mac. */
    capabilities?: pulumi.Input<CniCapabilities>;
}

function networkOf(network: CniNetwork | CniNetworkRefArgs): pulumi.Input<Record<string, unknown>> {
    if (network instanceof pulumi.CustomResource) {
        const n = network;
        return pulumi.all([n.name, n.cniVersion, n.plugins, n.binDir]).apply(([name, cniVersion, plugins, binDir]) => ({ name, cniVersion, plugins, binDir }));
    }
    return { name: network.name, cniVersion: network.cniVersion, plugins: network.plugins, binDir: network.binDir };
}

/**
 * A namespace attached to a CNI network by the real plugins, exactly as a
 * runtime does it: the environment (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS,
 * CNI_IFNAME, CNI_ARGS, CNI_PATH), the configuration on standard input,
 * each plugin of the list in order with the previous result. ADD on create
 * (DEL for the list when a plugin fails), CHECK on refresh (a failing CHECK
 * is `drift`; the next up attaches again), DEL on delete. The result's
 * interfaces, addresses, routes and DNS are outputs. Equivalent to:
 * `CNI_COMMAND=ADD CNI_NETNS=/run/netns/NS … /opt/cni/bin/bridge < config`.
 */
export class CniAttachment extends NetplumbResource {
    declare public readonly namespace: pulumi.Output<string>;
    declare public readonly ifName: pulumi.Output<string>;
    declare public readonly containerId: pulumi.Output<string>;
    /** The last plugin's result (CNI 1.0.0): interfaces, ips, routes, dns. */
    declare public readonly result: pulumi.Output<CniResult>;
    /** Set by refresh when CHECK fails. */
    declare public readonly drift: pulumi.Output<string | undefined>;
    declare public readonly host: pulumi.Output<HostSpec>;
    /** The addresses the plugins gave, with prefix ("10.22.0.2/24"). */
    public readonly addresses: pulumi.Output<string[]>;

    constructor(name: string, args: CniAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            network: networkOf(args.network),
            namespace: args.namespace,
            ifName: args.ifName,
            containerId: args.containerId,
            args: args.args,
            capabilities: args.capabilities,
            // Outputs only: named here so the resource has them as properties.
            result: undefined,
            drift: undefined,
        };
        const dependsOn = args.network instanceof pulumi.CustomResource ? [args.network] : [];
        // A replacement attaches the same namespace and interface name: the old attachment must be gone first (DEL, then ADD).
        super("cni-attachment", "CniAttachment", name, inputs, {
            deleteBeforeReplace: true,
            ...opts,
            dependsOn: [...dependsOn, ...((opts?.dependsOn as pulumi.Resource[] | undefined) ?? [])],
        });
        this.addresses = this.result.apply((r) => (r?.ips ?? []).map((ip) => ip.address));
    }
}

import * as pulumi from "@pulumi/pulumi";
import { HostSpec } from "../model/host-spec";
import { CniPlugin } from "../model/cni-plugins";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** The inputs of a `CniNetwork`. */
export interface CniNetworkArgs extends ManagedArgs {
    /** The network's name (letters, digits, '_', '.', '-'). Changing it replaces the file. */
    name: pulumi.Input<string>;
    /** The CNI specification version: "1.0.0" (default) or "1.1.0"; "0.3.0", "0.3.1" and "0.4.0" are accepted for older runtimes. */
    cniVersion?: pulumi.Input<string>;
    /** Priority prefix of the file name, 0-99 (`10-<name>.conflist`): runtimes use the first file in lexical order. Default 10. Changing it replaces the file. */
    priority?: pulumi.Input<number>;
    /** The plugins, in order: an interface plugin (bridge, macvlan, …) first, chained ones (portmap, firewall, bandwidth, tuning) after. See `cniPresets` for the guide's. */
    plugins: pulumi.Input<pulumi.Input<CniPlugin>[]>;
    /** Skip the runtime's CHECK for this network. Default false. */
    disableCheck?: pulumi.Input<boolean>;
    /** The directory runtimes read. Default /etc/cni/net.d. Changing it replaces the file. */
    dir?: pulumi.Input<string>;
    /** Where the plugins are: `up` fails naming any plugin missing there. Default /opt/cni/bin. */
    binDir?: pulumi.Input<string>;
}

/**
 * A CNI network configuration list, `<dir>/<NN>-<name>.conflist`, written
 * atomically (temporary file and rename, mode 0644) and tagged with its
 * owner in a `netplumbOwner` key runtimes ignore. Checked at preview against
 * the CNI specification (names, version, plugin order, IPAM ranges,
 * gateways, routes); at `up` every plugin binary must be in `binDir`, and no
 * other file in `dir` may share its priority or overlap its ranges. Refresh
 * sees a removed or hand-edited file; destroy removes this file only.
 * Equivalent to writing the file by hand with `install -m 0644`.
 */
export class CniNetwork extends NetplumbResource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly cniVersion: pulumi.Output<string>;
    declare public readonly priority: pulumi.Output<number>;
    declare public readonly dir: pulumi.Output<string>;
    declare public readonly binDir: pulumi.Output<string>;
    declare public readonly plugins: pulumi.Output<CniPlugin[]>;
    /** Set by refresh when the file is not what netplumb wrote. */
    declare public readonly drift: pulumi.Output<string | undefined>;
    declare public readonly host: pulumi.Output<HostSpec>;
    /** The file's path. */
    public readonly path: pulumi.Output<string>;

    constructor(name: string, args: CniNetworkArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            name: args.name,
            cniVersion: args.cniVersion,
            priority: args.priority,
            plugins: args.plugins,
            disableCheck: args.disableCheck,
            dir: args.dir,
            binDir: args.binDir,
            // Output only: named here so the resource has it as a property.
            drift: undefined,
        };
        super("cni-network", "CniNetwork", name, inputs, opts);
        this.path = pulumi
            .all([this.dir, this.priority, this.name])
            .apply(([dir, priority, network]) => `${dir.replace(/\/+$/, "")}/${String(priority).padStart(2, "0")}-${network}.conflist`);
        pulumi.output(args.cniVersion).apply((version) => {
            if (version !== undefined && version.startsWith("0.")) {
                void pulumi.log.info(
                    `CniNetwork ${name}: cniVersion ${version} is accepted for older runtimes; 1.0.0 and later add CHECK and a stricter result`,
                    this,
                );
            }
        });
    }
}

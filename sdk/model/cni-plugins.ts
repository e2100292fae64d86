/**
 * Typed inputs for the reference CNI plugins (containernetworking/plugins)
 * and the guide's presets. Each is the plugin's own JSON keys, so what is
 * written is exactly what the plugin's documentation describes.
 */

/** A route handed to the container: `{ dst: "0.0.0.0/0", gw?: "10.22.0.1" }`. */
export interface CniRoute {
    readonly dst: string;
    readonly gw?: string;
}

/** One range of `host-local`: `subnet`, and optionally `rangeStart`, `rangeEnd`, `gateway` inside it. */
export interface HostLocalRange {
    readonly subnet: string;
    readonly rangeStart?: string;
    readonly rangeEnd?: string;
    readonly gateway?: string;
}

/** `host-local` IPAM: addresses from range sets (one address per set), claims in files under `dataDir` (default /var/lib/cni/networks). */
export interface HostLocalIpam {
    readonly type: "host-local";
    readonly ranges: ReadonlyArray<readonly HostLocalRange[]>;
    readonly routes?: readonly CniRoute[];
    readonly dataDir?: string;
}

/** `static` IPAM: fixed addresses. */
export interface StaticIpam {
    readonly type: "static";
    readonly addresses: ReadonlyArray<{ readonly address: string; readonly gateway?: string }>;
    readonly routes?: readonly CniRoute[];
    readonly dns?: { readonly nameservers?: readonly string[]; readonly search?: readonly string[] };
}

/** An IPAM section of a CNI plugin: host-local or static. */
export type CniIpam = HostLocalIpam | StaticIpam;

/** `bridge`: a veth from the container to a Linux bridge on the host (made when missing). */
export interface BridgePlugin {
    readonly type: "bridge";
    /** Default "cni0". */
    readonly bridge?: string;
    readonly isGateway?: boolean;
    readonly isDefaultGateway?: boolean;
    readonly ipMasq?: boolean;
    readonly hairpinMode?: boolean;
    readonly mtu?: number;
    readonly promiscMode?: boolean;
    readonly vlan?: number;
    readonly ipam?: CniIpam;
}

/** `macvlan`: an interface on `master` with its own MAC. */
export interface MacvlanPlugin {
    readonly type: "macvlan";
    readonly master?: string;
    readonly mode?: "bridge" | "private" | "vepa" | "passthru";
    readonly mtu?: number;
    readonly ipam?: CniIpam;
}

/** `loopback`: brings `lo` up. */
export interface LoopbackPlugin {
    readonly type: "loopback";
}

/** `portmap` (chained): host ports to the container, from the runtime's `portMappings` capability. */
export interface PortmapPlugin {
    readonly type: "portmap";
    readonly capabilities?: { readonly portMappings: boolean };
    readonly snat?: boolean;
}

/** `firewall` (chained): lets the container's traffic through the host's iptables FORWARD chain. */
export interface FirewallPlugin {
    readonly type: "firewall";
    readonly backend?: "iptables" | "firewalld";
}

/** `bandwidth` (chained): token-bucket limits in bits per second and bits, or from the `bandwidth` capability. */
export interface BandwidthPlugin {
    readonly type: "bandwidth";
    readonly capabilities?: { readonly bandwidth: boolean };
    readonly ingressRate?: number;
    readonly ingressBurst?: number;
    readonly egressRate?: number;
    readonly egressBurst?: number;
}

/** `tuning` (chained): sysctls and link settings inside the container. */
export interface TuningPlugin {
    readonly type: "tuning";
    readonly sysctl?: Readonly<Record<string, string>>;
    readonly mtu?: number;
    readonly mac?: string;
    readonly promisc?: boolean;
}

/** Any other plugin: its `type` and its own keys, written as given. */
export interface OtherPlugin {
    readonly type: string;
    readonly [key: string]: unknown;
}

/** One plugin of a CNI configuration list: a typed reference plugin or any other by its `type`. */
export type CniPlugin = BridgePlugin | MacvlanPlugin | LoopbackPlugin | PortmapPlugin | FirewallPlugin | BandwidthPlugin | TuningPlugin | OtherPlugin;

/**
 * The guide's configurations as plugin lists, for `CniNetwork`'s `plugins`.
 * Their main plugins (flannel, calico, weave-net, cilium-cni, multus) are
 * not on this machine: preview validates them, and `up` fails naming the
 * missing binary unless binDir holds it.
 */
export const cniPresets = {
    /** Flannel's (kube-flannel's cni-conf.json): flannel delegating to bridge, plus portmap. */
    flannel(options: { readonly hairpinMode?: boolean; readonly isDefaultGateway?: boolean } = {}): CniPlugin[] {
        return [
            { type: "flannel", delegate: { hairpinMode: options.hairpinMode ?? true, isDefaultGateway: options.isDefaultGateway ?? true } },
            { type: "portmap", capabilities: { portMappings: true } },
        ];
    },
    /** Calico's (calico.yaml's cni_network_config): calico with calico-ipam and k8s policy, plus portmap with SNAT. */
    calico(options: { readonly nodename: string; readonly kubeconfig: string; readonly mtu?: number; readonly logLevel?: string }): CniPlugin[] {
        return [
            {
                type: "calico",
                log_level: options.logLevel ?? "info",
                datastore_type: "kubernetes",
                nodename: options.nodename,
                mtu: options.mtu ?? 1440,
                ipam: { type: "calico-ipam" },
                policy: { type: "k8s" },
                kubernetes: { kubeconfig: options.kubeconfig },
            },
            { type: "portmap", snat: true, capabilities: { portMappings: true } },
        ];
    },
    /** Weave Net's: weave-net with hairpin mode, plus portmap with SNAT. */
    weave(): CniPlugin[] {
        return [
            { type: "weave-net", hairpinMode: true },
            { type: "portmap", capabilities: { portMappings: true }, snat: true },
        ];
    },
    /** Cilium's: the cilium-cni plugin alone. */
    cilium(options: { readonly logFile?: string } = {}): CniPlugin[] {
        return [{ type: "cilium-cni", "enable-debug": false, "log-file": options.logFile ?? "/var/run/cilium/cilium-cni.log" }];
    },
    /** Multus's (thin plugin): multus with its kubeconfig, delegating to the cluster's default network's configuration. */
    multus(options: { readonly kubeconfig: string; readonly delegates: ReadonlyArray<Readonly<Record<string, unknown>>> }): CniPlugin[] {
        return [{ type: "multus", kubeconfig: options.kubeconfig, delegates: options.delegates }];
    },
};

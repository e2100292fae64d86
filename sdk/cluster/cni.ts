import * as pulumi from "@pulumi/pulumi";
import { ChartName, ChartSource } from "../model/cluster/charts";
import {
    CalicoInput,
    CiliumInput,
    FlannelInput,
    calicoOperatorValues,
    checkCalico,
    checkCalicoManifest,
    checkCilium,
    checkFlannel,
    ciliumValues,
    flannelValues,
    patchCalicoManifest,
} from "../model/cluster/cni";
import { Failures } from "../model/failures";
import { Values, chartArgs, failPreview, manifestFile, mergeValues } from "./charts";
import { kubernetes, privileged } from "./kubernetes";

/** Cni's arguments: exactly one of `calico`, `flannel` or `cilium`, and where its chart or manifest comes from. */
export interface CniArgs {
    /** Calico: through the tigera-operator chart (default, `install: "operator"`) or its single manifest (`install: "manifest"`). */
    readonly calico?: CalicoInput & { readonly install?: "operator" | "manifest" };
    /** Flannel through its chart (namespace kube-flannel). */
    readonly flannel?: FlannelInput;
    /** Cilium through its chart: values-level support, not tested here; `chart` is required (no default is pinned). */
    readonly cilium?: CiliumInput;
    /**
     * The chart or manifest. Defaults: tigera-operator v3.31.7 from
     * https://docs.tigera.io/calico/charts; calico.yaml v3.31.7 from
     * GitHub (`path` may name the file or its folder); flannel v0.28.9
     * from https://flannel-io.github.io/flannel.
     */
    readonly chart?: ChartSource;
    /** Chart values merged over netplumb's (not for the manifest install). */
    readonly values?: Values;
}

/** Which plugin, and its checks at preview. */
function checkCni(args: CniArgs): Failures {
    const chosen = (["calico", "flannel", "cilium"] as const).filter((k) => args[k] !== undefined);
    if (chosen.length !== 1) {
        const failures = new Failures();
        failures.add(
            chosen.length === 0 ? "calico" : chosen[1],
            `give exactly one of calico, flannel or cilium${chosen.length ? ` (got ${chosen.join(", ")})` : ""}`,
        );
        return failures;
    }
    if (args.calico !== undefined) {
        const install = args.calico.install ?? "operator";
        if (install !== "operator" && install !== "manifest") {
            const failures = new Failures();
            failures.add("calico.install", `${JSON.stringify(install)} is neither "operator" nor "manifest"`);
            return failures;
        }
        return install === "manifest" ? checkCalicoManifest(args.calico, "calico") : checkCalico(args.calico, "calico");
    }
    if (args.flannel !== undefined) return checkFlannel(args.flannel, "flannel");
    const failures = checkCilium(args.cilium!, "cilium");
    if (args.chart === undefined)
        failures.add("chart", 'Cilium has no pinned default chart here; give { repository: "https://helm.cilium.io", chart: "cilium", version }');
    return failures;
}

/**
 * A cluster's pod network as a component. Calico through the operator: the
 * tigera-operator chart, whose `Installation` (pool CIDR, encapsulation,
 * NAT, block size, MTU, `Iptables` or `BPF` dataplane) the operator turns
 * into the IPPool. Calico through `calico.yaml`, the networking guide's way,
 * with the pool CIDR, encapsulation and MTU set as data on the manifest's
 * objects instead of with `sed`. Flannel through its chart (pod network,
 * vxlan or host-gw). Cilium's chart values, untested here.
 *
 * Equivalent to: `helm install calico projectcalico/tigera-operator -f values.yaml`, or `sed -i 's#192.168.0.0/16#<pod cidr>#' calico.yaml && kubectl apply -f calico.yaml`, or `helm install flannel flannel/flannel`.
 */
export class Cni extends pulumi.ComponentResource {
    /** The plugin installed: `calico`, `flannel` or `cilium`. */
    public readonly plugin: string;

    constructor(name: string, args: CniArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:cluster:Cni", name, {}, opts);
        failPreview("Cni", name, checkCni(args).all, this);
        const k8s = kubernetes("Cni");
        if (args.calico?.install === "manifest") {
            this.plugin = "calico";
            this.calicoManifest(name, args.calico, args.chart);
        } else if (args.calico !== undefined) {
            this.plugin = "calico";
            this.chartInNamespace(name, "tigeraOperator", "tigera-operator", "calico", mergeValues(calicoOperatorValues(args.calico), args.values), args.chart);
        } else if (args.flannel !== undefined) {
            this.plugin = "flannel";
            this.chartInNamespace(name, "flannel", "kube-flannel", "flannel", mergeValues(flannelValues(args.flannel), args.values), args.chart);
        } else {
            this.plugin = "cilium";
            const chart = args.chart!;
            const values = mergeValues(ciliumValues(args.cilium!), args.values);
            const source =
                chart.path ?? (chart.repository?.startsWith("oci://") ? `${chart.repository}/${chart.chart ?? "cilium"}` : (chart.chart ?? "cilium"));
            const repositoryOpts = chart.path || chart.repository?.startsWith("oci://") ? undefined : { repo: chart.repository };
            new k8s.helm.v4.Chart(
                name,
                { chart: source, version: chart.version, repositoryOpts, namespace: "kube-system", values, name: "cilium" },
                { parent: this },
            );
        }
        this.registerOutputs({ plugin: this.plugin });
    }

    /** A privileged namespace of the plugin's own, then its chart (release `release`) in it. */
    private chartInNamespace(name: string, chart: ChartName, namespace: string, release: string, values: Values, source: ChartSource | undefined): void {
        const k8s = kubernetes("Cni");
        const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: namespace, labels: privileged() } }, { parent: this });
        new k8s.helm.v4.Chart(name, { ...chartArgs(chart, source, "chart", namespace, values, this), name: release }, { parent: this, dependsOn: ns });
    }

    /** calico.yaml with the pool, encapsulation and MTU set on its objects as they are registered. */
    private calicoManifest(name: string, input: CalicoInput, chart: ChartSource | undefined): void {
        const k8s = kubernetes("Cni");
        const file = manifestFile("calicoManifest", chart, "chart", "calico.yaml", this);
        const patch = (object: Record<string, unknown>) => Object.assign(object, patchCalicoManifest(object, input));
        new k8s.yaml.ConfigFile(name, { file, transformations: [patch], resourcePrefix: name }, { parent: this });
    }
}

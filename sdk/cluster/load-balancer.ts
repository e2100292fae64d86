import * as pulumi from "@pulumi/pulumi";
import { ChartSource } from "../model/cluster/charts";
import { LoadBalancerInput, METALLB_NAMESPACE, checkLoadBalancer, compileLoadBalancer } from "../model/cluster/load-balancer";
import { Values, chartArgs, failPreview, mergeValues } from "./charts";
import { applyCustomResources } from "./custom-resources";
import { kubernetes, privileged } from "./kubernetes";
import { ClusterConnectionArgs, ClusterReadiness } from "./readiness";

/** The CRDs MetalLB's custom resources need. */
const METALLB_CRDS = ["ipaddresspools.metallb.io", "l2advertisements.metallb.io", "bgpadvertisements.metallb.io", "bgppeers.metallb.io"];

/** LoadBalancer's arguments: the pools and announcement (see LoadBalancerInput), the chart and where the API server is. */
export interface LoadBalancerArgs extends LoadBalancerInput, ClusterConnectionArgs {
    /** MetalLB's chart. Default: https://metallb.github.io/metallb, chart metallb, 0.15.2; or a local folder / `oci://` mirror. */
    readonly chart?: ChartSource;
    /** Chart values merged over netplumb's (`speaker.frr.enabled: false`: MetalLB's native BGP). */
    readonly values?: Values;
    /** How long `up` waits for MetalLB's CRDs and webhook, in seconds. Default 300. */
    readonly readinessTimeoutSeconds?: number;
}

/**
 * MetalLB as a component: its namespace (`metallb-system`, privileged pod
 * security, as upstream installs it), its chart, then, once the CRDs are
 * established **and** the validating webhook answers a dry run, one
 * `IPAddressPool` per pool and an `L2Advertisement` (or `BGPAdvertisement`
 * and `BGPPeer`s) naming them. Pools are checked at preview as MetalLB's
 * webhook would check them, and against the node, pod and service networks
 * it cannot see. Destroy removes the custom resources before the chart.
 *
 * Equivalent to: `helm install metallb metallb/metallb -n metallb-system`,
 * `kubectl wait`, then `kubectl apply -f pools.yaml` (retried until the
 * webhook stops refusing).
 */
export class LoadBalancer extends pulumi.ComponentResource {
    /** The pools' names, as applied. */
    public readonly poolNames: string[];
    /** Seconds the last `up` waited for MetalLB to be ready. */
    public readonly readySeconds: pulumi.Output<number>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:cluster:LoadBalancer", name, {}, opts);
        failPreview("LoadBalancer", name, checkLoadBalancer(args).all, this);
        const k8s = kubernetes("LoadBalancer");
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: METALLB_NAMESPACE, labels: privileged() } }, { parent: this });
        const values = mergeValues({ speaker: { frr: { enabled: false } } }, args.values);
        const chart = new k8s.helm.v4.Chart(name, chartArgs("metallb", args.chart, "chart", METALLB_NAMESPACE, values, this), {
            parent: this,
            dependsOn: namespace,
        });
        const ready = new ClusterReadiness(
            `${name}-ready`,
            {
                what: "MetalLB",
                crds: METALLB_CRDS,
                probe: { path: `/apis/metallb.io/v1beta1/namespaces/${METALLB_NAMESPACE}/ipaddresspools`, object: probePool() },
                timeoutSeconds: args.readinessTimeoutSeconds,
                kubeconfig: args.kubeconfig,
                context: args.context,
            },
            { parent: this, dependsOn: chart },
        );
        applyCustomResources(this, "LoadBalancer", compileLoadBalancer(args, name), (o) => `${name}-${o.kind.toLowerCase()}-${o.metadata.name}`, [ready]);
        this.poolNames = Object.keys(args.pools).sort();
        this.readySeconds = ready.readySeconds;
        this.registerOutputs({ poolNames: this.poolNames, readySeconds: this.readySeconds });
    }
}

/** The dry-run object that proves the webhook answers: a one-address pool in a documentation range, never stored. */
function probePool(): Values {
    return {
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: "netplumb-readiness-probe", namespace: METALLB_NAMESPACE },
        spec: { addresses: ["192.0.2.255/32"], autoAssign: false },
    };
}

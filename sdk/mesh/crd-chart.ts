import * as pulumi from "@pulumi/pulumi";
import { ChartName, ChartSource } from "../model/cluster/charts";
import { Values, chartArgs } from "../cluster/charts";
import { kubernetes } from "../cluster/kubernetes";
import { ClusterConnectionArgs, ClusterReadiness } from "../cluster/readiness";

/** Where a mesh component's CRDs come from, when it installs them. */
export interface MeshCrdsArgs {
    /** The CRD chart. Default: the upstream repository at the tested version; a local folder or `oci://` mirror instead. */
    readonly chart?: ChartSource;
    /** Chart values merged over netplumb's. */
    readonly values?: Values;
    /** How long `up` waits for the CRDs to be Established, in seconds. Default 300. */
    readonly readinessTimeoutSeconds?: number;
    /**
     * Keep the CRDs when the stack is destroyed, as `helm uninstall` does
     * (the charts mark them `helm.sh/resource-policy: keep`). Default false:
     * destroy removes them, and with them every object of those kinds in the
     * cluster, as `kubectl delete crd` does; set true when something outside
     * this stack (istiod, Linkerd's control plane) uses them.
     */
    readonly retainOnDestroy?: boolean;
}

/** What to install: chart, release, namespace, values, and the CRDs that must be Established before objects are applied. */
export interface CrdChartPlan {
    readonly chart: ChartName;
    readonly release: string;
    readonly namespace: string;
    readonly values: Values;
    readonly crds: readonly string[];
    readonly what: string;
}

/**
 * Installs a mesh's CRD chart (as `helm install RELEASE CHART -n NAMESPACE`
 * would) and returns a readiness gate that opens once every CRD in
 * `plan.crds` is Established (`kubectl wait --for condition=established`).
 * Objects that depend on the gate are deleted before the chart on destroy,
 * so no custom resource outlives its CRD; the CRDs themselves are deleted
 * too unless `retainOnDestroy`.
 */
export function installCrdChart(
    owner: pulumi.Resource,
    name: string,
    component: string,
    plan: CrdChartPlan,
    args: MeshCrdsArgs & ClusterConnectionArgs,
    dependsOn: pulumi.Resource[],
): pulumi.Resource {
    const k8s = kubernetes(component);
    const chart = new k8s.helm.v4.Chart(
        `${name}-crds`,
        { ...chartArgs(plan.chart, args.chart, "crds.chart", plan.namespace, plan.values, owner), name: plan.release },
        { parent: owner, dependsOn, transforms: args.retainOnDestroy ? [] : [deleteCrdsOnDestroy] },
    );
    return new ClusterReadiness(
        `${name}-crds-ready`,
        { what: plan.what, crds: plan.crds, timeoutSeconds: args.readinessTimeoutSeconds, kubeconfig: args.kubeconfig, context: args.context },
        { parent: owner, dependsOn: chart },
    );
}

/**
 * Pulumi's Chart turns `helm.sh/resource-policy: keep` into `retainOnDelete`;
 * the mesh charts put it on every CRD. This takes it back off the CRDs, so
 * destroy leaves none behind.
 */
const deleteCrdsOnDestroy: pulumi.ResourceTransform = (args) =>
    args.type === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"
        ? { props: args.props, opts: { ...args.opts, retainOnDelete: false } }
        : undefined;

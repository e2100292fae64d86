import * as pulumi from "@pulumi/pulumi";
import { failPreview, mergeValues } from "../cluster/charts";
import { installGatewayApiCrds } from "../cluster/gateway-api-crds";
import { ChartSource } from "../model/cluster/charts";
import { applyCustomResources, objectResourceName } from "../cluster/custom-resources";
import { ClusterConnectionArgs } from "../cluster/readiness";
import { linkerdNamespaceAnnotations } from "../model/mesh/injection";
import { trafficSplitNote } from "../model/mesh/linkerd";
import { LinkerdMeshInput, checkLinkerdMesh, compileLinkerdMesh } from "../model/mesh/plans";
import { MeshCrdsArgs, installCrdChart } from "./crd-chart";
import { meshNamespaces } from "./namespaces";

/** LinkerdMesh's arguments: the traffic objects (see LinkerdMeshInput), whether to install Linkerd's CRDs, and where the API server is. */
export interface LinkerdMeshArgs extends LinkerdMeshInput, ClusterConnectionArgs {
    /**
     * Install Linkerd's CRDs from its `linkerd-crds` chart (release
     * `linkerd-crds`) before the objects. Default: not installed. `{}`
     * installs from https://helm.linkerd.io/edge, chart linkerd-crds
     * 2026.8.3. Splits need Gateway API's HTTPRoute CRD: give
     * `gatewayApiCrds` to install Gateway API's standard CRDs (v1.4.0) too,
     * for clusters without them (an `Ingress` installs them as well). Not
     * Linkerd's own `installGatewayAPI`: its chart marks those CRDs
     * `helm.sh/resource-policy: keep`, so destroy would leave them behind.
     */
    readonly crds?: MeshCrdsArgs & { readonly gatewayApiCrds?: ChartSource };
}

/**
 * Linkerd's traffic configuration as one component: namespaces annotated for
 * proxy injection, ServiceProfiles (per-route metrics, retries, timeouts;
 * path regexes checked as RE2 at preview) and weighted splits applied as
 * Gateway API HTTPRoutes whose parent is the Service, which is how Linkerd
 * splits traffic today. SMI TrafficSplits are accepted as input only and
 * applied as those HTTPRoutes; preview says so for each. With `crds`,
 * Linkerd's CRD chart first; destroy removes the objects, then the CRDs.
 *
 * Equivalent to `kubectl annotate namespace NS linkerd.io/inject=enabled`
 * and `kubectl apply -f service-profile.yaml -f httproute.yaml`.
 */
export class LinkerdMesh extends pulumi.ComponentResource {
    /** `kind namespace/name` of every object applied, in order. */
    public readonly objects: string[];

    constructor(name: string, args: LinkerdMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:mesh:LinkerdMesh", name, {}, opts);
        failPreview("LinkerdMesh", name, checkLinkerdMesh(args), this);
        (args.trafficSplits ?? []).forEach((ts, i) => void pulumi.log.warn(trafficSplitNote(ts, `trafficSplits[${i}]`), this));
        const namespaces = meshNamespaces(this, name, "LinkerdMesh", args.namespaces ?? {}, (ns) => ({
            annotations: linkerdNamespaceAnnotations(ns.injection as "enabled" | "disabled"),
        }));
        const gate = args.crds === undefined ? [] : [this.crds(name, args, args.crds)];
        const objects = compileLinkerdMesh(args);
        applyCustomResources(this, "LinkerdMesh", objects, (o) => objectResourceName(name, o), [...gate, ...namespaces]);
        this.objects = objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
        this.registerOutputs({ objects: this.objects });
    }

    private crds(name: string, args: LinkerdMeshArgs, crds: NonNullable<LinkerdMeshArgs["crds"]>): pulumi.Resource {
        const routes = (args.splits?.length ?? 0) + (args.trafficSplits?.length ?? 0) > 0;
        const needed = ["serviceprofiles.linkerd.io", ...(routes ? ["httproutes.gateway.networking.k8s.io"] : [])];
        const values = mergeValues({ installGatewayAPI: false }, crds.values);
        const gatewayApi =
            crds.gatewayApiCrds === undefined ? [] : [installGatewayApiCrds(this, name, "LinkerdMesh", crds.gatewayApiCrds, "crds.gatewayApiCrds")];
        const plan = { chart: "linkerdCrds" as const, release: "linkerd-crds", namespace: "linkerd", values, crds: needed, what: "Linkerd's CRDs" };
        return installCrdChart(this, name, "LinkerdMesh", plan, { ...crds, kubeconfig: args.kubeconfig, context: args.context }, gatewayApi);
    }
}

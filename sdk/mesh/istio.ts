import * as pulumi from "@pulumi/pulumi";
import { failPreview, mergeValues } from "../cluster/charts";
import { applyCustomResources, objectResourceName } from "../cluster/custom-resources";
import { kubernetes } from "../cluster/kubernetes";
import { ClusterConnectionArgs } from "../cluster/readiness";
import { CanaryInput } from "../model/mesh/istio";
import { istioNamespaceLabels } from "../model/mesh/injection";
import { IstioMeshInput, checkIstioMesh, compileIstioMesh } from "../model/mesh/plans";
import { MeshCrdsArgs, installCrdChart } from "./crd-chart";
import { meshNamespaces } from "./namespaces";

/** The Istio CRDs netplumb's objects need. */
const ISTIO_CRDS = ["gateways", "virtualservices", "destinationrules", "serviceentries"].map((kind) => `${kind}.networking.istio.io`);

/** IstioMesh's arguments: the traffic objects (see IstioMeshInput), whether to install Istio's CRDs, and where the API server is. */
export interface IstioMeshArgs extends IstioMeshInput, ClusterConnectionArgs {
    /**
     * Install Istio's CRDs from its `base` chart (release `istio-base` in
     * `istio-system`, which is created) before the objects. Default: not
     * installed (Istio is there already). `{}` installs from
     * https://istio-release.storage.googleapis.com/charts, chart base 1.30.3.
     */
    readonly crds?: MeshCrdsArgs & { readonly namespace?: string };
}

/**
 * Istio's traffic configuration as one component: namespaces labelled for
 * sidecar injection, Gateways, DestinationRules, VirtualServices (canaries
 * expanded into a pair each) and ServiceEntries, all checked together at
 * preview (weights, subsets against the rules of their host, hosts, ports
 * and protocols, resolution against endpoints, gateway servers and the
 * routes bound to them), then applied as networking.istio.io/v1 objects.
 * With `crds`, Istio's base chart first, and the objects only once its CRDs
 * are Established; destroy removes the objects, then the CRDs.
 *
 * Equivalent to `kubectl label namespace bookinfo istio-injection=enabled`
 * and `kubectl apply -f gateway.yaml -f virtual-service.yaml -f destination-rule.yaml -f service-entry.yaml`.
 */
export class IstioMesh extends pulumi.ComponentResource {
    /** `kind namespace/name` of every object applied, in order. */
    public readonly objects: string[];

    constructor(name: string, args: IstioMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:mesh:IstioMesh", name, {}, opts);
        this.objects = applyIstio(this, name, "IstioMesh", args);
        this.registerOutputs({ objects: this.objects });
    }
}

/** Canary's arguments: one canary (see CanaryInput), optionally Istio's CRDs, and where the API server is. */
export interface CanaryArgs extends CanaryInput, ClusterConnectionArgs {
    readonly crds?: IstioMeshArgs["crds"];
}

/**
 * A canary release on Istio: one service, a stable and a canary version
 * (pod label `version` by default), and the canary's share in percent. Makes
 * the DestinationRule defining both subsets and the VirtualService sending
 * `100 - canaryPercent` and `canaryPercent` of requests to them; changing
 * the share previews as those two weights only.
 */
export class Canary extends pulumi.ComponentResource {
    /** `kind namespace/name` of the two objects applied. */
    public readonly objects: string[];

    constructor(name: string, args: CanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:mesh:Canary", name, {}, opts);
        const { kubeconfig, context, crds, ...canary } = args;
        this.objects = applyIstio(this, name, "Canary", { kubeconfig, context, crds, canaries: [canary] });
        this.registerOutputs({ objects: this.objects });
    }
}

/** Checks the plan (stopping preview on failures), then makes its namespaces, CRDs and objects under `owner`; returns what it applies. */
function applyIstio(owner: pulumi.Resource, name: string, component: string, args: IstioMeshArgs): string[] {
    failPreview(component, name, checkIstioMesh(args), owner);
    const namespaces = meshNamespaces(owner, name, component, args.namespaces ?? {}, (ns) => ({ labels: istioNamespaceLabels(ns.injection) }));
    const gate = args.crds === undefined ? [] : [istioCrds(owner, name, component, args, args.crds)];
    const objects = compileIstioMesh(args);
    applyCustomResources(owner, component, objects, (o) => objectResourceName(name, o), [...gate, ...namespaces]);
    return objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
}

/** Istio's base chart in its namespace (created), and the gate that opens when the CRDs are Established. */
function istioCrds(
    owner: pulumi.Resource,
    name: string,
    component: string,
    args: ClusterConnectionArgs,
    crds: NonNullable<IstioMeshArgs["crds"]>,
): pulumi.Resource {
    const namespace = crds.namespace ?? "istio-system";
    const k8s = kubernetes(component);
    const ns = new k8s.core.v1.Namespace(`${name}-istio-namespace`, { metadata: { name: namespace } }, { parent: owner });
    const values = mergeValues({ global: { istioNamespace: namespace } }, crds.values);
    const plan = { chart: "istioBase" as const, release: "istio-base", namespace, values, crds: ISTIO_CRDS, what: "Istio's CRDs" };
    return installCrdChart(owner, name, component, plan, { ...crds, kubeconfig: args.kubeconfig, context: args.context }, [ns]);
}

import * as pulumi from "@pulumi/pulumi";
import { ClusterAddressing, checkAddressing } from "../model/cluster/addressing";
import { CalicoInput, CiliumInput, FlannelInput } from "../model/cluster/cni";
import { ingressNamespace } from "../model/cluster/ingress";
import { ClusterTopology, clusterTopology } from "../model/cluster/topology";
import { NetworkPoliciesInput, TierInput } from "../model/cluster/policies";
import { failPreview } from "./charts";
import { Cni, CniArgs } from "./cni";
import { Ingress, IngressArgs } from "./ingress";
import { LoadBalancer, LoadBalancerArgs } from "./load-balancer";
import { NetworkPolicies } from "./network-policies";
import { ClusterConnectionArgs } from "./readiness";

/** A component's inputs without `podCidr`, which ClusterNetwork passes itself. */
export type WithoutPodCidr<T> = Omit<T, "podCidr">;
/** The connection properties ClusterNetwork passes to each component itself. */
export type Connection = "kubeconfig" | "context";

/** ClusterNetwork's arguments: one address plan and the parts that use it. */
export interface ClusterNetworkArgs extends Omit<ClusterAddressing, "pools" | "ipPools">, ClusterConnectionArgs {
    /** The pods' network (`--cluster-cidr`), e.g. "10.244.0.0/16". */
    readonly podCidr: string;
    /** The services' network (`--service-cluster-ip-range`), e.g. "10.96.0.0/12". */
    readonly serviceCidr: string;
    /** The pod network plugin (its pod CIDR is `podCidr`). Default: none installed (the cluster has one). */
    readonly cni?: Omit<CniArgs, "calico" | "flannel" | "cilium"> & {
        readonly calico?: WithoutPodCidr<CalicoInput> & { readonly install?: "operator" | "manifest" };
        readonly flannel?: WithoutPodCidr<FlannelInput>;
        readonly cilium?: WithoutPodCidr<CiliumInput>;
    };
    /** MetalLB (its pools checked against the plan). Default: none. */
    readonly loadBalancer?: Omit<LoadBalancerArgs, "podCidr" | "serviceCidr" | "nodeAddresses" | Connection>;
    /** The ingress controller and Gateway. Default: none. */
    readonly ingress?: Omit<IngressArgs, Connection>;
    /** Policy intent; `from: "ingress-controller"` means the ingress controller's pods when `ingress` is given. Default: none. */
    readonly policies?: NetworkPoliciesInput;
}

/**
 * The production cluster network in one component: the CNI, MetalLB, the
 * ingress controller with its Gateway, and the NetworkPolicies, checked
 * together at preview (pod, service, node and pool networks disjoint, the
 * DNS address in the service network, no pool holding a node address, the
 * Calico pool inside the pod network) and applied in order: CNI, load
 * balancer, ingress (its Service takes an address from the pools), policies.
 * Destroy runs in reverse. The namespaces the policies name must exist.
 */
export class ClusterNetwork extends pulumi.ComponentResource {
    public readonly cni?: Cni;
    public readonly loadBalancer?: LoadBalancer;
    public readonly ingress?: Ingress;
    public readonly policies?: NetworkPolicies;
    /** The cluster's shape for tools: export it (`export const topology = network.topology`) and `netplumb diagram` draws it. */
    public readonly topology: ClusterTopology;

    constructor(name: string, args: ClusterNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:cluster:ClusterNetwork", name, {}, opts);
        const calicoPool = args.cni?.calico?.poolCidr;
        const plan = { ...args, pools: args.loadBalancer?.pools, ipPools: calicoPool === undefined ? undefined : [calicoPool] };
        failPreview("ClusterNetwork", name, checkAddressing(plan).all, this);
        this.topology = clusterTopology(name, args);
        const connection = { kubeconfig: args.kubeconfig, context: args.context };
        const after = (...parts: Array<pulumi.Resource | undefined>) => ({
            parent: this,
            dependsOn: parts.filter((p): p is pulumi.Resource => p !== undefined),
        });
        if (args.cni !== undefined) this.cni = new Cni(`${name}-cni`, withPodCidr(args.cni, args.podCidr), { parent: this });
        if (args.loadBalancer !== undefined) {
            const lb = { ...args.loadBalancer, podCidr: args.podCidr, serviceCidr: args.serviceCidr, nodeAddresses: args.nodeAddresses, ...connection };
            this.loadBalancer = new LoadBalancer(`${name}-lb`, lb, after(this.cni));
        }
        if (args.ingress !== undefined) this.ingress = new Ingress(`${name}-ingress`, { ...args.ingress, ...connection }, after(this.cni, this.loadBalancer));
        if (args.policies !== undefined) {
            const ingressController = args.policies.ingressController ?? ingressControllerPods(args.ingress);
            this.policies = new NetworkPolicies(`${name}-policies`, { ...args.policies, ingressController }, after(this.cni, this.ingress));
        }
        this.registerOutputs({ topology: this.topology });
    }
}

/** The ingress controller's pods, as its chart labels them. */
function ingressControllerPods(ingress: ClusterNetworkArgs["ingress"]): TierInput | undefined {
    if (ingress === undefined) return undefined;
    const app = ingress.controller === "ingress-nginx" ? "ingress-nginx" : "traefik";
    return { namespace: ingressNamespace(ingress), podSelector: { "app.kubernetes.io/name": app } };
}

function withPodCidr(cni: NonNullable<ClusterNetworkArgs["cni"]>, podCidr: string): CniArgs {
    return {
        ...cni,
        calico: cni.calico && { ...cni.calico, podCidr },
        flannel: cni.flannel && { ...cni.flannel, podCidr },
        cilium: cni.cilium && { ...cni.cilium, podCidr },
    };
}

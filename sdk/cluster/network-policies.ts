import type { types as K8sTypes } from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NetworkPoliciesInput, checkPolicies, compilePolicies } from "../model/cluster/policies";
import { failPreview } from "./charts";
import { kubernetes, owned } from "./kubernetes";

/** NetworkPolicies' arguments: the typed intent (see NetworkPoliciesInput). */
export type NetworkPoliciesArgs = NetworkPoliciesInput;

/**
 * Typed policy intent as NetworkPolicy objects: default-deny ingress per
 * namespace (egress too with `denyEgress`, DNS to the cluster's DNS pods
 * still allowed), and `allow-to-<tier>` / `allow-from-<tier>` policies for the
 * declared tiers and ports, one Kubernetes resource each, so a changed tier
 * previews as an update of that policy alone. Unknown tiers or namespaces,
 * bad names, labels and ports fail before anything is applied. The
 * namespaces must exist (make them first, or depend on them). Takes a
 * `provider` (a `k8s.Provider`) like any Kubernetes component.
 *
 * Equivalent to: `kubectl apply -f` of the NetworkPolicy manifests, written by hand.
 */
export class NetworkPolicies extends pulumi.ComponentResource {
    /** The policies' names, as `<namespace>/<name>`. */
    public readonly policyNames: string[];

    constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:cluster:NetworkPolicies", name, {}, opts);
        failPreview("NetworkPolicies", name, checkPolicies(args).all, this);
        const k8s = kubernetes("NetworkPolicies");
        const compiled = compilePolicies(args);
        for (const policy of compiled) {
            const id = `${policy.metadata.namespace}-${policy.metadata.name}`;
            // A plain copy: the compiled objects are read-only, the SDK's input types are not.
            const spec = JSON.parse(JSON.stringify(policy.spec)) as K8sTypes.input.networking.v1.NetworkPolicySpec;
            new k8s.networking.v1.NetworkPolicy(`${name}-${id}`, { metadata: owned(policy.metadata), spec }, { parent: this });
        }
        this.policyNames = compiled.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
        this.registerOutputs({ policyNames: this.policyNames });
    }
}

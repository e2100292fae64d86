// The guide's three tiers as netplumb NetworkPolicies on the test cluster:
// frontend -> backend:<backendPort> -> data:5432, the ingress controller ->
// frontend:80, default-deny ingress in the namespace.
//
// Config: kubeconfig (path), namespace (name), backendPort (default 8080),
// extraAllow (JSON list of allow entries appended, to test bad input).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NetworkPolicies } from "netplumb";
import type { model } from "netplumb";

const config = new pulumi.Config();
const provider = new k8s.Provider("test-cluster", { kubeconfig: config.require("kubeconfig") });
const ns = config.require("namespace");
const namespace = new k8s.core.v1.Namespace("shop", { metadata: { name: ns } }, { provider });

const policies = new NetworkPolicies(
    "shop",
    {
        namespaces: [ns],
        tiers: {
            frontend: { namespace: ns, podSelector: { tier: "frontend" } },
            backend: { namespace: ns, podSelector: { tier: "backend" } },
            data: { namespace: ns, podSelector: { tier: "data" } },
        },
        ingressController: { namespace: "traefik", podSelector: { "app.kubernetes.io/name": "traefik" } },
        allow: [
            { from: "ingress-controller", to: "frontend", ports: [{ port: 80 }] },
            { from: "frontend", to: "backend", ports: [{ port: config.getNumber("backendPort") ?? 8080 }] },
            { from: "backend", to: "data", ports: [{ port: 5432 }] },
            ...(config.getObject<model.cluster.AllowInput[]>("extraAllow") ?? []),
        ],
    },
    { provider, dependsOn: namespace },
);

export const policyNames = policies.policyNames;

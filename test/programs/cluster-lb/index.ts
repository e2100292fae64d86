// netplumb's LoadBalancer (MetalLB) on the test cluster, with one Service of
// type LoadBalancer that the real MetalLB controller gives an address.
//
// Config: kubeconfig (path), chartPath (the MetalLB chart's folder),
// pool (JSON list of pool entries), nodeAddresses (JSON list).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancer } from "netplumb";

const config = new pulumi.Config();
const kubeconfig = config.require("kubeconfig");
const provider = new k8s.Provider("test-cluster", { kubeconfig });

const lb = new LoadBalancer(
    "metallb",
    {
        pools: { public: config.requireObject<string[]>("pool") },
        nodeAddresses: config.getObject<string[]>("nodeAddresses") ?? [],
        chart: { path: config.require("chartPath") },
        kubeconfig,
    },
    { provider },
);

const app = new k8s.core.v1.Namespace("web", { metadata: { name: config.get("appNamespace") ?? "web" } }, { provider });
const service = new k8s.core.v1.Service(
    "web",
    {
        metadata: { name: "web", namespace: app.metadata.name },
        spec: { type: "LoadBalancer", ports: [{ port: 80, targetPort: 8080 }] },
    },
    { provider, dependsOn: lb, customTimeouts: { create: "5m" } },
);

export const poolNames = lb.poolNames;
export const readySeconds = lb.readySeconds;
export const address = service.status.loadBalancer.ingress[0].ip;

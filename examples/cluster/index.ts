// The networking guide's production script as one netplumb component:
// Calico (through its operator) with the cluster's pod network, MetalLB
// handing out addresses from a pool in L2 mode, Traefik with Gateway API
// (its Service takes an address from the pool), and default-deny plus
// tiered NetworkPolicies for the shop: ingress -> frontend:80 ->
// backend:8080 -> data:5432.
//
// Config (all optional):
//   kubeconfig     path or contents; default $KUBECONFIG or ~/.kube/config
//   podCidr        default 10.244.0.0/16      serviceCidr  default 10.96.0.0/12
//   dnsServiceAddress  default: the tenth address of serviceCidr
//   nodeAddresses  JSON list of the nodes' addresses (no pool may hold one)
//   pool           JSON list of pool entries; default ["192.168.10.240-192.168.10.250"]
//   backendPort    the backend tier's port; default 8080
//   chartMirror    a folder with local copies of the charts (air-gapped installs)
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterNetwork } from "netplumb";

const config = new pulumi.Config();
const kubeconfig = config.get("kubeconfig");
const provider = new k8s.Provider("cluster", { kubeconfig });
const mirror = config.get("chartMirror");
const local = (folder: string) => (mirror === undefined ? undefined : { path: `${mirror}/${folder}` });

const shop = new k8s.core.v1.Namespace("shop", { metadata: { name: "shop" } }, { provider });
const tier = (name: string, port: number) => {
    const labels = { app: name, tier: name };
    new k8s.apps.v1.Deployment(
        name,
        {
            metadata: { name, namespace: "shop" },
            spec: {
                selector: { matchLabels: labels },
                template: { metadata: { labels }, spec: { containers: [{ name, image: "nginx:1.29", ports: [{ containerPort: port }] }] } },
            },
        },
        { provider, dependsOn: shop },
    );
    return new k8s.core.v1.Service(
        name,
        { metadata: { name, namespace: "shop" }, spec: { selector: labels, ports: [{ port, targetPort: port }] } },
        { provider, dependsOn: shop },
    );
};
const frontend = tier("frontend", 80);

const network = new ClusterNetwork(
    "prod",
    {
        kubeconfig,
        podCidr: config.get("podCidr") ?? "10.244.0.0/16",
        serviceCidr: config.get("serviceCidr") ?? "10.96.0.0/12",
        dnsServiceAddress: config.get("dnsServiceAddress"),
        nodeAddresses: config.getObject<string[]>("nodeAddresses") ?? [],
        cni: { calico: { encapsulation: "VXLAN", mtu: 1450 }, chart: local("tigera-operator-3.31.7") },
        loadBalancer: { pools: { public: config.getObject<string[]>("pool") ?? ["192.168.10.240-192.168.10.250"] }, chart: local("metallb-0.15.2") },
        ingress: {
            addressPool: "public",
            chart: local("traefik-39.0.7"),
            gatewayApiCrds: local("gateway-api-crds-1.4.0/standard"),
            // Traefik binds a Gateway listener to the entry point with the same port: its chart's `web` is 8000 (Service port 80).
            gateway: { name: "web", listeners: [{ name: "http", port: 8000 }] },
            routes: [{ name: "shop", namespace: "shop", rules: [{ pathPrefix: "/", backends: [{ service: "frontend", port: 80 }] }] }],
        },
        policies: {
            namespaces: ["shop"],
            tiers: {
                frontend: { namespace: "shop", podSelector: { tier: "frontend" } },
                backend: { namespace: "shop", podSelector: { tier: "backend" } },
                data: { namespace: "shop", podSelector: { tier: "data" } },
            },
            allow: [
                { from: "ingress-controller", to: "frontend", ports: [{ port: 80 }] },
                { from: "frontend", to: "backend", ports: [{ port: config.getNumber("backendPort") ?? 8080 }] },
                { from: "backend", to: "data", ports: [{ port: 5432 }] },
            ],
        },
    },
    { provider, dependsOn: [shop, frontend] },
);

export const topology = network.topology;
export const policies = network.policies?.policyNames;
export const pools = network.loadBalancer?.poolNames;

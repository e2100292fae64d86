// The networking guide's service-mesh part as one netplumb component:
// bookinfo's namespace labelled for Istio's sidecar injection, a Gateway for
// bookinfo.example.com, productpage's canary (v1 and v2 at 90/10, as a
// VirtualService and the DestinationRule defining both subsets), and an
// external API the mesh may call, as a ServiceEntry. Every object is checked
// at preview: weights, subsets, hosts, ports, protocols, resolution.
//
// Config (all optional):
//   kubeconfig     path or contents; default $KUBECONFIG or ~/.kube/config
//   canaryPercent  productpage v2's share of requests; default 10
//   installCrds    "true": install Istio's CRDs (base chart 1.30.3); default true
//   chartMirror    a folder with local copies of the charts (air-gapped installs)
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IstioMesh, istioSidecar } from "netplumb";

const config = new pulumi.Config();
const kubeconfig = config.get("kubeconfig");
const provider = new k8s.Provider("cluster", { kubeconfig });
const mirror = config.get("chartMirror");
const istioBase = mirror === undefined ? undefined : { path: `${mirror}/istio-base-1.30.3` };

const mesh = new IstioMesh(
    "bookinfo",
    {
        kubeconfig,
        crds: config.getBoolean("installCrds") === false ? undefined : { chart: istioBase },
        namespaces: { bookinfo: { injection: "enabled" } },
        gateways: [
            {
                name: "bookinfo-gateway",
                namespace: "bookinfo",
                selector: { istio: "ingressgateway" },
                servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["bookinfo.example.com"] }],
            },
        ],
        canaries: [
            {
                service: "productpage",
                namespace: "bookinfo",
                canaryPercent: config.getNumber("canaryPercent") ?? 10,
                hosts: ["bookinfo.example.com"],
                gateways: ["bookinfo-gateway"],
            },
        ],
        serviceEntries: [
            {
                name: "external-api",
                namespace: "bookinfo",
                hosts: ["api.example.com"],
                ports: [{ number: 443, name: "tls", protocol: "TLS" }],
                resolution: "DNS",
                location: "MESH_EXTERNAL",
            },
        ],
    },
    { provider },
);

// productpage v1 and v2: one Service, two Deployments told apart by the `version` label the subsets select.
const labels = { app: "productpage" };
const version = (v: string) =>
    new k8s.apps.v1.Deployment(
        `productpage-${v}`,
        {
            metadata: { name: `productpage-${v}`, namespace: "bookinfo" },
            spec: {
                selector: { matchLabels: { ...labels, version: v } },
                template: {
                    metadata: { labels: { ...labels, version: v, ...istioSidecar(true) } },
                    spec: {
                        containers: [
                            { name: "productpage", image: `docker.io/istio/examples-bookinfo-productpage-v1:1.20.3`, ports: [{ containerPort: 9080 }] },
                        ],
                    },
                },
            },
        },
        { provider, dependsOn: mesh },
    );
version("v1");
version("v2");
new k8s.core.v1.Service(
    "productpage",
    { metadata: { name: "productpage", namespace: "bookinfo", labels }, spec: { selector: labels, ports: [{ name: "http", port: 9080 }] } },
    { provider, dependsOn: mesh },
);

export const objects = mesh.objects;

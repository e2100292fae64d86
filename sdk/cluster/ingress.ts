import * as pulumi from "@pulumi/pulumi";
import { ChartSource } from "../model/cluster/charts";
import { compileGateway, compileHttpRoute, INGRESS_NGINX_WARNING } from "../model/cluster/gateway";
import { IngressInput, checkIngress, ingressNamespace, ingressNginxValues, resolvedGateway, resolvedRoutes, traefikValues } from "../model/cluster/ingress";
import { Values, chartArgs, failPreview, mergeValues } from "./charts";
import { installGatewayApiCrds } from "./gateway-api-crds";
import { applyCustomResources, objectResourceName } from "./custom-resources";
import { kubernetes } from "./kubernetes";
import { ClusterConnectionArgs, ClusterReadiness } from "./readiness";

/** The Gateway API CRDs the Gateway and HTTPRoutes need. */
const GATEWAY_API_CRDS = ["gatewayclasses.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io"];

/** Ingress's arguments: the controller, Gateway and routes (see IngressInput), the sources and where the API server is. */
export interface IngressArgs extends IngressInput, ClusterConnectionArgs {
    /** The controller's chart. Default: Traefik 39.0.7 from https://traefik.github.io/charts (ingress-nginx 4.15.1 for that controller). */
    readonly chart?: ChartSource;
    /**
     * Gateway API's CRDs (standard channel, v1.4.0): default the release's
     * `standard-install.yaml` from GitHub; `path` may name that file or a
     * folder holding the release's `gateway.networking.k8s.io_*.yaml` files.
     */
    readonly gatewayApiCrds?: ChartSource;
    /** Chart values merged over netplumb's. */
    readonly values?: Values;
    /** How long `up` waits for the Gateway API CRDs, in seconds. Default 300. */
    readonly readinessTimeoutSeconds?: number;
}

/**
 * An ingress controller as a component. With Traefik (the default): Gateway
 * API's CRDs, Traefik's chart (release `traefik`, its Gateway API provider
 * on), then a typed GatewayClass and Gateway and the HTTPRoutes. The
 * controller's Service is of type LoadBalancer by default, taking an address
 * from the load balancer's pools. With `ingress-nginx`, its chart only, and
 * preview warns that it was retired upstream. Destroy removes the routes and
 * Gateway, then the controller, then the CRDs.
 *
 * Equivalent to: `kubectl apply -f standard-install.yaml`, `helm install traefik traefik/traefik --set providers.kubernetesGateway.enabled=true`,
 * then `kubectl apply -f gateway.yaml -f routes.yaml`.
 */
export class Ingress extends pulumi.ComponentResource {
    /** The controller's namespace. */
    public readonly namespace: string;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:cluster:Ingress", name, {}, opts);
        failPreview("Ingress", name, checkIngress(args).all, this);
        const k8s = kubernetes("Ingress");
        const nginx = args.controller === "ingress-nginx";
        if (nginx) void pulumi.log.warn(INGRESS_NGINX_WARNING, this);
        this.namespace = ingressNamespace(args);
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: this.namespace } }, { parent: this });
        const crds = nginx ? [] : [installGatewayApiCrds(this, name, "Ingress", args.gatewayApiCrds, "gatewayApiCrds")];
        const values = mergeValues(nginx ? ingressNginxValues(args) : traefikValues(args), args.values);
        const release = nginx ? "ingressNginx" : "traefik";
        const chart = new k8s.helm.v4.Chart(
            name,
            { ...chartArgs(release, args.chart, "chart", this.namespace, values, this), name: nginx ? "ingress-nginx" : "traefik", skipCrds: !nginx },
            { parent: this, dependsOn: [namespace, ...crds] },
        );
        if (!nginx) this.gatewayObjects(name, args, chart);
        this.registerOutputs({ namespace: this.namespace });
    }

    private gatewayObjects(name: string, args: IngressArgs, chart: pulumi.Resource): void {
        const gateway = resolvedGateway(args);
        const routes = resolvedRoutes(args);
        if (gateway === undefined && routes.length === 0) return;
        const ready = new ClusterReadiness(
            `${name}-gateway-api-ready`,
            { what: "Gateway API", crds: GATEWAY_API_CRDS, timeoutSeconds: args.readinessTimeoutSeconds, kubeconfig: args.kubeconfig, context: args.context },
            { parent: this, dependsOn: chart },
        );
        const objects = [...(gateway === undefined ? [] : compileGateway(gateway)), ...routes.map(compileHttpRoute)];
        applyCustomResources(this, "Ingress", objects, (o) => objectResourceName(name, o), [ready]);
    }
}

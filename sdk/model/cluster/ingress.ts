import { Failures, show } from "../failures";
import { GatewayInput, HttpRouteInput, checkGateway, checkHttpRoute } from "./gateway";
import { dns1123LabelError } from "./labels";

/** The ingress controllers the Ingress component installs. */
export type IngressController = "traefik" | "ingress-nginx";

/** How the controller's Service is exposed. */
export type ServiceType = "LoadBalancer" | "NodePort" | "ClusterIP";

/** The typed part of Ingress's arguments (charts and connection aside). */
export interface IngressInput {
    /** `traefik` (default: Gateway API and Ingress) or `ingress-nginx` (retired upstream in March 2026; Ingress objects only). */
    readonly controller?: IngressController;
    /** Where the controller runs. Default: the controller's name (`traefik`, `ingress-nginx`). */
    readonly namespace?: string;
    /** The controller Service's type. Default `LoadBalancer` (an address from the load balancer's pools). */
    readonly serviceType?: ServiceType;
    /** The MetalLB pool the Service takes its address from (annotation `metallb.io/address-pool`). Default: any pool. */
    readonly addressPool?: string;
    /** A GatewayClass and Gateway for Traefik; the Gateway's namespace defaults to the controller's. */
    readonly gateway?: Omit<GatewayInput, "namespace"> & { readonly namespace?: string };
    /** HTTPRoutes; each attaches to `gateway` unless it names another. */
    readonly routes?: ReadonlyArray<Omit<HttpRouteInput, "gateway"> & { readonly gateway?: HttpRouteInput["gateway"] }>;
}

/** The controller's namespace. */
export function ingressNamespace(input: IngressInput): string {
    return input.namespace ?? input.controller ?? "traefik";
}

/** The Gateway with its namespace filled in, or undefined. */
export function resolvedGateway(input: IngressInput): GatewayInput | undefined {
    return input.gateway === undefined ? undefined : { ...input.gateway, namespace: input.gateway.namespace ?? ingressNamespace(input) };
}

/** The routes with their Gateway filled in (the component's Gateway unless one is named). */
export function resolvedRoutes(input: IngressInput): HttpRouteInput[] {
    const gateway = resolvedGateway(input);
    return (input.routes ?? []).map((r) => ({ ...r, gateway: r.gateway ?? { name: gateway?.name ?? "", namespace: gateway?.namespace ?? "" } }));
}

/** Checks the controller choice, names, the Gateway and every route; Gateway API needs Traefik. */
export function checkIngress(input: IngressInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    const controller = input.controller ?? "traefik";
    if (controller !== "traefik" && controller !== "ingress-nginx")
        failures.add(at("controller"), `${show(controller)} is neither "traefik" nor "ingress-nginx"`);
    if (input.namespace !== undefined) failures.check(at("namespace"), dns1123LabelError(input.namespace));
    if (input.addressPool !== undefined) failures.check(at("addressPool"), dns1123LabelError(input.addressPool));
    const type = input.serviceType ?? "LoadBalancer";
    if (!["LoadBalancer", "NodePort", "ClusterIP"].includes(type)) failures.add(at("serviceType"), `${show(type)} is not LoadBalancer, NodePort or ClusterIP`);
    if (input.addressPool !== undefined && type !== "LoadBalancer")
        failures.add(at("addressPool"), `a pool gives addresses to LoadBalancer Services only; serviceType is ${show(type)}`);
    if (controller === "ingress-nginx" && (input.gateway !== undefined || (input.routes ?? []).length > 0)) {
        failures.add(at("gateway"), 'ingress-nginx does not implement Gateway API; use controller "traefik" for a Gateway and HTTPRoutes');
    }
    const gateway = resolvedGateway(input);
    if (gateway !== undefined) for (const f of checkGateway(gateway, at("gateway")).all) failures.add(f.property, f.reason);
    resolvedRoutes(input).forEach((route, i) => {
        if (input.routes?.[i].gateway === undefined && gateway === undefined)
            failures.add(at(`routes[${i}].gateway`), "no gateway to attach to; declare `gateway` or name one in the route");
        else for (const f of checkHttpRoute(route, at(`routes[${i}]`)).all) failures.add(f.property, f.reason);
    });
    return failures;
}

function serviceValues(input: IngressInput): Record<string, unknown> {
    const annotations = input.addressPool === undefined ? {} : { "metallb.io/address-pool": input.addressPool };
    return { type: input.serviceType ?? "LoadBalancer", annotations };
}

/**
 * Traefik chart values: the Gateway API provider on, Traefik's own CRD
 * provider off (its CRDs are not installed), no chart-made Gateway or
 * GatewayClass (the component makes typed ones), the Service as asked.
 */
export function traefikValues(input: IngressInput): Record<string, unknown> {
    return {
        providers: { kubernetesGateway: { enabled: true }, kubernetesCRD: { enabled: false }, kubernetesIngress: { enabled: true } },
        gateway: { enabled: false },
        gatewayClass: { enabled: false },
        service: serviceValues(input),
    };
}

/** ingress-nginx chart values: the controller Service as asked. */
export function ingressNginxValues(input: IngressInput): Record<string, unknown> {
    return { controller: { service: serviceValues(input) } };
}

import { Failures, show } from "../failures";
import { KubernetesObject } from "./kubernetes-object";
import { dns1123LabelError } from "./labels";

/** The GatewayClass controller name Traefik answers to. */
export const TRAEFIK_CONTROLLER = "traefik.io/gateway-controller";

/** One listener of a Gateway. */
export interface ListenerInput {
    readonly name: string;
    readonly port: number;
    /** Default "HTTP". HTTPS needs `certificateSecret`. */
    readonly protocol?: "HTTP" | "HTTPS";
    readonly hostname?: string;
    /** A kubernetes.io/tls Secret in the Gateway's namespace, for HTTPS. */
    readonly certificateSecret?: string;
}

/** A Gateway and its class. */
export interface GatewayInput {
    readonly name: string;
    readonly namespace: string;
    /** The GatewayClass. Default "traefik", controller `traefik.io/gateway-controller`. */
    readonly className?: string;
    readonly controllerName?: string;
    readonly listeners: readonly ListenerInput[];
}

/** A backend of a route rule; `weight` is relative (non-negative integers, positive sum). */
export interface BackendInput {
    readonly service: string;
    readonly port: number;
    /** Default 1. */
    readonly weight?: number;
}

/** A typed HTTPRoute: path prefixes to Services, attached to one Gateway. */
export interface HttpRouteInput {
    readonly name: string;
    readonly namespace: string;
    /** The Gateway (in its namespace) the route attaches to. */
    readonly gateway: { readonly name: string; readonly namespace: string };
    readonly hostnames?: readonly string[];
    readonly rules: ReadonlyArray<{ readonly pathPrefix?: string; readonly backends: readonly BackendInput[] }>;
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `port` is not a TCP/UDP port (a whole number from 1 to 65535), or undefined. */
export function portError(port: unknown): string | undefined {
    return Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535 ? undefined : `${show(port)} is not a port; use 1 to 65535`;
}

function hostnameError(name: unknown): string | undefined {
    return typeof name === "string" && name.length <= 253 && HOSTNAME.test(name)
        ? undefined
        : `${show(name)} is not a host name such as shop.example.test or *.example.test`;
}

/** Checks a Gateway: names, listener ports, protocols, hostnames, HTTPS certificates, unique listener names. */
export function checkGateway(input: GatewayInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("name"), dns1123LabelError(input.name));
    failures.check(at("namespace"), dns1123LabelError(input.namespace));
    if (input.className !== undefined) failures.check(at("className"), dns1123LabelError(input.className));
    if (input.listeners.length === 0) failures.add(at("listeners"), 'a Gateway needs at least one listener, e.g. { name: "http", port: 80 }');
    input.listeners.forEach((l, i) => {
        failures.check(at(`listeners[${i}].name`), dns1123LabelError(l.name));
        failures.check(at(`listeners[${i}].port`), portError(l.port));
        if (l.protocol !== undefined && l.protocol !== "HTTP" && l.protocol !== "HTTPS")
            failures.add(at(`listeners[${i}].protocol`), `${show(l.protocol)} is neither HTTP nor HTTPS`);
        if (l.hostname !== undefined) failures.check(at(`listeners[${i}].hostname`), hostnameError(l.hostname));
        if (l.protocol === "HTTPS" && !l.certificateSecret)
            failures.add(at(`listeners[${i}].certificateSecret`), "an HTTPS listener needs the name of a kubernetes.io/tls Secret");
        if (input.listeners.findIndex((o) => o.name === l.name) !== i)
            failures.add(at(`listeners[${i}].name`), `${show(l.name)} is used by an earlier listener; listener names must be unique`);
    });
    return failures;
}

/** Checks an HTTPRoute: names, hostnames, path prefixes, backends and their relative weights. */
export function checkHttpRoute(input: HttpRouteInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("name"), dns1123LabelError(input.name));
    failures.check(at("namespace"), dns1123LabelError(input.namespace));
    failures.check(at("gateway.name"), dns1123LabelError(input.gateway.name));
    (input.hostnames ?? []).forEach((h, i) => failures.check(at(`hostnames[${i}]`), hostnameError(h)));
    input.rules.forEach((rule, i) => {
        if (rule.pathPrefix !== undefined && !rule.pathPrefix.startsWith("/"))
            failures.add(at(`rules[${i}].pathPrefix`), `${show(rule.pathPrefix)} does not start with "/"`);
        if (rule.backends.length === 0) failures.add(at(`rules[${i}].backends`), "a rule needs at least one backend Service");
        rule.backends.forEach((b, j) => {
            failures.check(at(`rules[${i}].backends[${j}].service`), dns1123LabelError(b.service));
            failures.check(at(`rules[${i}].backends[${j}].port`), portError(b.port));
            if (b.weight !== undefined && (!Number.isInteger(b.weight) || b.weight < 0)) {
                failures.add(at(`rules[${i}].backends[${j}].weight`), `${show(b.weight)} is not a weight; weights are relative non-negative integers`);
            }
        });
        const sum = rule.backends.reduce((total, b) => total + (b.weight ?? 1), 0);
        if (rule.backends.length > 0 && sum <= 0)
            failures.add(at(`rules[${i}].backends`), "the weights sum to 0, so no request would be served; give at least one backend a positive weight");
    });
    return failures;
}

/** The GatewayClass and Gateway (gateway.networking.k8s.io/v1) for valid input. */
export function compileGateway(input: GatewayInput): KubernetesObject[] {
    const className = input.className ?? "traefik";
    const listeners = input.listeners.map((l) => ({
        name: l.name,
        port: l.port,
        protocol: l.protocol ?? "HTTP",
        ...(l.hostname ? { hostname: l.hostname } : {}),
        ...(l.protocol === "HTTPS" ? { tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: l.certificateSecret }] } } : {}),
        allowedRoutes: { namespaces: { from: "All" } },
    }));
    return [
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "GatewayClass",
            metadata: { name: className },
            spec: { controllerName: input.controllerName ?? TRAEFIK_CONTROLLER },
        },
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: input.name, namespace: input.namespace },
            spec: { gatewayClassName: className, listeners },
        },
    ];
}

/** The HTTPRoute (gateway.networking.k8s.io/v1) for valid input. */
export function compileHttpRoute(input: HttpRouteInput): KubernetesObject {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: input.name, namespace: input.namespace },
        spec: {
            parentRefs: [{ name: input.gateway.name, namespace: input.gateway.namespace }],
            ...(input.hostnames?.length ? { hostnames: [...input.hostnames] } : {}),
            rules: input.rules.map((rule) => ({
                matches: [{ path: { type: "PathPrefix", value: rule.pathPrefix ?? "/" } }],
                backendRefs: rule.backends.map((b) => ({ name: b.service, port: b.port, weight: b.weight ?? 1 })),
            })),
        },
    };
}

/** What preview says when a user picks ingress-nginx. */
export const INGRESS_NGINX_WARNING =
    "ingress-nginx was retired upstream in March 2026 and receives no more fixes; it is offered for existing users. " +
    "Migrate to Gateway API (netplumb's default Ingress controller is Traefik): each Ingress rule becomes an HTTPRoute rule " +
    "(host -> hostnames, path -> pathPrefix, service -> backends) attached to a Gateway.";

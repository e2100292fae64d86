import { ipAddressError } from "../addresses";
import { Failures, show } from "../failures";
import { portError } from "../cluster/gateway";
import { dns1123LabelError, labelsError } from "../cluster/labels";

/** Istio's networking API group and version the compiled objects use. */
export const ISTIO_API = "networking.istio.io/v1";

/** Where a route sends traffic: a host (Service name or FQDN), optionally a subset and port, with a relative weight. */
export interface DestinationInput {
    readonly host: string;
    readonly subset?: string;
    readonly port?: number;
    /** Relative weight: a non-negative integer. Default: the route's remaining share when it has one destination, else required. */
    readonly weight?: number;
}

/** One HTTP route of a VirtualService. */
export interface MeshHttpRouteInput {
    readonly name?: string;
    /** Matches (any of them): a URI prefix or exact path, and exact header values. Default: everything. */
    readonly match?: ReadonlyArray<{ readonly uriPrefix?: string; readonly uriExact?: string; readonly headers?: Readonly<Record<string, string>> }>;
    readonly route: readonly DestinationInput[];
    /** Retries: attempts (1 to 100) and the timeout of each, e.g. "2s". */
    readonly retries?: { readonly attempts: number; readonly perTryTimeout?: string };
    /** The whole request's timeout, e.g. "10s" or "500ms". */
    readonly timeout?: string;
}

/** A VirtualService: hosts, the gateways it binds to (default the mesh), HTTP routes in order. */
export interface VirtualServiceInput {
    readonly name: string;
    readonly namespace: string;
    readonly hosts: readonly string[];
    readonly gateways?: readonly string[];
    readonly http: readonly MeshHttpRouteInput[];
}

/** A DestinationRule: a host's subsets (by pod labels) and its traffic policy. */
export interface DestinationRuleInput {
    readonly name: string;
    readonly namespace: string;
    readonly host: string;
    readonly subsets: ReadonlyArray<{ readonly name: string; readonly labels: Readonly<Record<string, string>> }>;
    /** Load balancing (ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH) and mutual TLS (DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL). */
    readonly trafficPolicy?: { readonly loadBalancer?: string; readonly tls?: string };
}

/** Protocols a port of a ServiceEntry may name. */
export const MESH_PROTOCOLS = ["HTTP", "HTTPS", "HTTP2", "GRPC", "TCP", "TLS", "MONGO"] as const;
/** How a ServiceEntry's hosts resolve. */
export const RESOLUTIONS = ["NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN"] as const;

/** A ServiceEntry: an external (or internal) service the mesh may reach. */
export interface ServiceEntryInput {
    readonly name: string;
    readonly namespace: string;
    readonly hosts: readonly string[];
    readonly ports: ReadonlyArray<{ readonly number: number; readonly name: string; readonly protocol: string }>;
    /** Default "DNS". STATIC needs endpoints with IP addresses; DNS allows no wildcard host. */
    readonly resolution?: (typeof RESOLUTIONS)[number];
    /** Default "MESH_EXTERNAL". */
    readonly location?: "MESH_EXTERNAL" | "MESH_INTERNAL";
    readonly endpoints?: ReadonlyArray<{ readonly address: string }>;
}

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DURATION = /^\d+(\.\d+)?(ms|s|m|h)$/;

/** Why `host` is not a mesh host (a DNS name, optionally `*.`-prefixed, or `*`), or undefined. */
export function meshHostError(host: unknown): string | undefined {
    if (host === "*") return undefined;
    return typeof host === "string" && host.length <= 253 && HOST.test(host)
        ? undefined
        : `${show(host)} is not a host; use a DNS name such as reviews or api.example.com, or a *.-prefixed one`;
}

function durationError(value: unknown): string | undefined {
    return typeof value === "string" && DURATION.test(value) ? undefined : `${show(value)} is not a duration; write it as 500ms, 2s, 1m`;
}

/** A short host (`reviews`) as Kubernetes resolves it from `namespace`: `reviews.<namespace>.svc.cluster.local`. */
export function qualifiedHost(host: string, namespace: string): string {
    return host.includes(".") ? host : `${host}.${namespace}.svc.cluster.local`;
}

/** Why `ref` does not name a gateway (`mesh`, `name` or `namespace/name`), or undefined. */
function gatewayReferenceError(ref: unknown): string | undefined {
    const parts = typeof ref === "string" ? ref.split("/") : [];
    return parts.length >= 1 && parts.length <= 2 && parts.every((p) => dns1123LabelError(p) === undefined)
        ? undefined
        : `${show(ref)} does not name a gateway; use "mesh", a Gateway's name, or namespace/name`;
}

/** Checks one route's weights: non-negative integers with a positive sum (they are relative, as in Istio since 1.15). */
function checkWeights(route: MeshHttpRouteInput, at: (p: string) => string, failures: Failures): void {
    if (route.route.length > 1) {
        route.route.forEach((d, j) => {
            if (d.weight === undefined) failures.add(at(`route[${j}].weight`), "a route with several destinations needs a weight on each");
        });
    }
    route.route.forEach((d, j) => {
        if (d.weight !== undefined && (!Number.isInteger(d.weight) || d.weight < 0))
            failures.add(at(`route[${j}].weight`), `${show(d.weight)} is not a weight; weights are relative non-negative integers (e.g. 90 and 10)`);
    });
    const sum = route.route.reduce((total, d) => total + (d.weight ?? (route.route.length === 1 ? 1 : 0)), 0);
    if (route.route.length > 0 && sum <= 0)
        failures.add(at("route"), "the weights sum to 0, so no request would be routed; give a destination a positive weight");
}

/**
 * Checks VirtualServices against each other's inputs and the declared
 * DestinationRules: names, hosts, gateways, matches, retries and timeouts,
 * weights, and that every subset a route names is defined by a
 * DestinationRule of that host (short names resolved in the namespace).
 */
export function checkVirtualService(vs: VirtualServiceInput, rules: readonly DestinationRuleInput[], path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("name"), dns1123LabelError(vs.name));
    failures.check(at("namespace"), dns1123LabelError(vs.namespace));
    if (vs.hosts.length === 0) failures.add(at("hosts"), "a VirtualService needs at least one host");
    vs.hosts.forEach((h, i) => failures.check(at(`hosts[${i}]`), meshHostError(h)));
    (vs.gateways ?? []).forEach((g, i) => failures.check(at(`gateways[${i}]`), gatewayReferenceError(g)));
    if (vs.http.length === 0) failures.add(at("http"), "a VirtualService needs at least one HTTP route");
    vs.http.forEach((route, i) => {
        const r = (p: string) => at(`http[${i}].${p}`);
        if (route.route.length === 0) failures.add(r("route"), "a route needs at least one destination");
        (route.match ?? []).forEach((m, k) => {
            for (const key of ["uriPrefix", "uriExact"] as const) {
                const value = m[key];
                if (value !== undefined && !value.startsWith("/")) failures.add(r(`match[${k}].${key}`), `${show(value)} does not start with "/"`);
            }
        });
        route.route.forEach((d, j) => {
            failures.check(r(`route[${j}].host`), meshHostError(d.host));
            if (d.port !== undefined) failures.check(r(`route[${j}].port`), portError(d.port));
            if (d.subset === undefined) return;
            const host = qualifiedHost(d.host, vs.namespace);
            const rule = rules.filter((dr) => qualifiedHost(dr.host, dr.namespace) === host);
            if (!rule.some((dr) => dr.subsets.some((s) => s.name === d.subset))) {
                const known = rule.flatMap((dr) => dr.subsets.map((s) => s.name));
                failures.add(
                    r(`route[${j}].subset`),
                    `${show(d.subset)} is not defined by a DestinationRule of ${d.host}` +
                        (known.length ? `; its subsets are ${known.join(", ")}` : '; declare one with that subset (e.g. labels { version: "v2" })'),
                );
            }
        });
        checkWeights(route, r, failures);
        if (route.retries !== undefined) {
            const attempts = route.retries.attempts;
            if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100)
                failures.add(r("retries.attempts"), `${show(attempts)} is not a number of attempts; use 1 to 100`);
            if (route.retries.perTryTimeout !== undefined) failures.check(r("retries.perTryTimeout"), durationError(route.retries.perTryTimeout));
        }
        if (route.timeout !== undefined) failures.check(r("timeout"), durationError(route.timeout));
    });
    return failures;
}

const LOAD_BALANCERS = ["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH"];
const TLS_MODES = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];

/** Checks a DestinationRule: names, host, unique subsets with valid labels, traffic policy values. */
export function checkDestinationRule(dr: DestinationRuleInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("name"), dns1123LabelError(dr.name));
    failures.check(at("namespace"), dns1123LabelError(dr.namespace));
    failures.check(at("host"), meshHostError(dr.host));
    dr.subsets.forEach((s, i) => {
        failures.check(at(`subsets[${i}].name`), dns1123LabelError(s.name));
        failures.check(at(`subsets[${i}].labels`), labelsError(s.labels));
        if (Object.keys(s.labels).length === 0) failures.add(at(`subsets[${i}].labels`), 'a subset needs labels that pick its pods, e.g. { version: "v1" }');
        if (dr.subsets.findIndex((o) => o.name === s.name) !== i) failures.add(at(`subsets[${i}].name`), `${show(s.name)} is defined twice`);
    });
    const lb = dr.trafficPolicy?.loadBalancer;
    if (lb !== undefined && !LOAD_BALANCERS.includes(lb))
        failures.add(at("trafficPolicy.loadBalancer"), `${show(lb)} is not one of ${LOAD_BALANCERS.join(", ")}`);
    const tls = dr.trafficPolicy?.tls;
    if (tls !== undefined && !TLS_MODES.includes(tls)) failures.add(at("trafficPolicy.tls"), `${show(tls)} is not one of ${TLS_MODES.join(", ")}`);
    return failures;
}

/** Checks a ServiceEntry: hosts, ports and protocols, and that the resolution fits the hosts and endpoints. */
export function checkServiceEntry(se: ServiceEntryInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("name"), dns1123LabelError(se.name));
    failures.check(at("namespace"), dns1123LabelError(se.namespace));
    if (se.hosts.length === 0) failures.add(at("hosts"), "a ServiceEntry needs at least one host");
    se.hosts.forEach((h, i) => failures.check(at(`hosts[${i}]`), meshHostError(h)));
    if (se.ports.length === 0) failures.add(at("ports"), 'a ServiceEntry needs at least one port, e.g. { number: 443, name: "https", protocol: "TLS" }');
    se.ports.forEach((p, i) => {
        failures.check(at(`ports[${i}].number`), portError(p.number));
        failures.check(at(`ports[${i}].name`), dns1123LabelError(p.name));
        if (!(MESH_PROTOCOLS as readonly string[]).includes(p.protocol))
            failures.add(at(`ports[${i}].protocol`), `${show(p.protocol)} is not one of ${MESH_PROTOCOLS.join(", ")}`);
    });
    const resolution = se.resolution ?? "DNS";
    if (!(RESOLUTIONS as readonly string[]).includes(resolution)) {
        failures.add(at("resolution"), `${show(resolution)} is not one of ${RESOLUTIONS.join(", ")}`);
        return failures;
    }
    const endpoints = se.endpoints ?? [];
    if (resolution === "STATIC") {
        if (endpoints.length === 0) failures.add(at("endpoints"), "resolution STATIC needs endpoints with IP addresses");
        endpoints.forEach((e, i) => {
            if (ipAddressError(e.address) !== undefined)
                failures.add(at(`endpoints[${i}].address`), `${show(e.address)} is not an IP address, which resolution STATIC needs; use DNS for host names`);
        });
    }
    if (resolution.startsWith("DNS")) {
        se.hosts.forEach((h, i) => {
            if (h.startsWith("*") && endpoints.length === 0)
                failures.add(at(`hosts[${i}]`), `${show(h)} is a wildcard, which resolution ${resolution} cannot look up; give endpoints or use NONE`);
        });
        endpoints.forEach((e, i) => {
            if (meshHostError(e.address) !== undefined && ipAddressError(e.address) !== undefined)
                failures.add(at(`endpoints[${i}].address`), `${show(e.address)} is neither a host name nor an IP address`);
        });
    }
    if (resolution === "NONE" && endpoints.length > 0)
        failures.add(at("endpoints"), "resolution NONE sends traffic to the original destination and takes no endpoints; use STATIC or DNS");
    return failures;
}

/** Plain objects of the compiled mesh configuration. */
export type MeshObject = { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: Record<string, unknown> };

/** The VirtualService (networking.istio.io/v1) for valid input. */
export function compileVirtualService(vs: VirtualServiceInput): MeshObject {
    const http = vs.http.map((route) => ({
        ...(route.name ? { name: route.name } : {}),
        ...(route.match?.length
            ? {
                  match: route.match.map((m) => ({
                      ...(m.uriPrefix ? { uri: { prefix: m.uriPrefix } } : m.uriExact ? { uri: { exact: m.uriExact } } : {}),
                      ...(m.headers ? { headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, { exact: v }])) } : {}),
                  })),
              }
            : {}),
        route: route.route.map((d) => ({
            destination: { host: d.host, ...(d.subset ? { subset: d.subset } : {}), ...(d.port ? { port: { number: d.port } } : {}) },
            ...(d.weight !== undefined ? { weight: d.weight } : {}),
        })),
        ...(route.retries
            ? { retries: { attempts: route.retries.attempts, ...(route.retries.perTryTimeout ? { perTryTimeout: route.retries.perTryTimeout } : {}) } }
            : {}),
        ...(route.timeout ? { timeout: route.timeout } : {}),
    }));
    return {
        apiVersion: ISTIO_API,
        kind: "VirtualService",
        metadata: { name: vs.name, namespace: vs.namespace },
        spec: { hosts: [...vs.hosts], ...(vs.gateways?.length ? { gateways: [...vs.gateways] } : {}), http },
    };
}

/** The DestinationRule (networking.istio.io/v1) for valid input. */
export function compileDestinationRule(dr: DestinationRuleInput): MeshObject {
    const policy = dr.trafficPolicy;
    const trafficPolicy = policy
        ? { ...(policy.loadBalancer ? { loadBalancer: { simple: policy.loadBalancer } } : {}), ...(policy.tls ? { tls: { mode: policy.tls } } : {}) }
        : undefined;
    return {
        apiVersion: ISTIO_API,
        kind: "DestinationRule",
        metadata: { name: dr.name, namespace: dr.namespace },
        spec: { host: dr.host, subsets: dr.subsets.map((s) => ({ name: s.name, labels: { ...s.labels } })), ...(trafficPolicy ? { trafficPolicy } : {}) },
    };
}

/** The ServiceEntry (networking.istio.io/v1) for valid input. */
export function compileServiceEntry(se: ServiceEntryInput): MeshObject {
    return {
        apiVersion: ISTIO_API,
        kind: "ServiceEntry",
        metadata: { name: se.name, namespace: se.namespace },
        spec: {
            hosts: [...se.hosts],
            ports: se.ports.map((p) => ({ number: p.number, name: p.name, protocol: p.protocol })),
            resolution: se.resolution ?? "DNS",
            location: se.location ?? "MESH_EXTERNAL",
            ...(se.endpoints?.length ? { endpoints: se.endpoints.map((e) => ({ address: e.address })) } : {}),
        },
    };
}

/** A canary: one service, the stable and canary versions (pod label values) and the canary's share. */
export interface CanaryInput {
    readonly service: string;
    readonly namespace: string;
    /** The pod label telling versions apart. Default "version". */
    readonly versionLabel?: string;
    /** Default "v1" and "v2". */
    readonly stable?: string;
    readonly canary?: string;
    /** The canary's share of requests, a whole percentage from 0 to 100. */
    readonly canaryPercent: number;
    /** The VirtualService's hosts. Default: the service's name. */
    readonly hosts?: readonly string[];
    /** Gateways the VirtualService binds to (`name`, `namespace/name` or `mesh`). Default: the mesh only. */
    readonly gateways?: readonly string[];
}

/** Checks a canary's names and percentage. */
export function checkCanary(input: CanaryInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("service"), dns1123LabelError(input.service));
    failures.check(at("namespace"), dns1123LabelError(input.namespace));
    const p = input.canaryPercent;
    if (!Number.isInteger(p) || p < 0 || p > 100)
        failures.add(at("canaryPercent"), `${show(p)} is not a percentage; use a whole number from 0 to 100 (e.g. 10)`);
    if ((input.stable ?? "v1") === (input.canary ?? "v2")) failures.add(at("canary"), "the canary version must differ from the stable one");
    return failures;
}

/** The VirtualService and DestinationRule pair of a canary: subsets by version label, weights 100 - p and p. */
export function canary(input: CanaryInput): { virtualService: VirtualServiceInput; destinationRule: DestinationRuleInput } {
    const label = input.versionLabel ?? "version";
    const stable = input.stable ?? "v1";
    const next = input.canary ?? "v2";
    return {
        destinationRule: {
            name: input.service,
            namespace: input.namespace,
            host: input.service,
            subsets: [
                { name: stable, labels: { [label]: stable } },
                { name: next, labels: { [label]: next } },
            ],
        },
        virtualService: {
            name: input.service,
            namespace: input.namespace,
            hosts: [...(input.hosts ?? [input.service])],
            ...(input.gateways ? { gateways: [...input.gateways] } : {}),
            http: [
                {
                    name: "canary",
                    route: [
                        { host: input.service, subset: stable, weight: 100 - input.canaryPercent },
                        { host: input.service, subset: next, weight: input.canaryPercent },
                    ],
                },
            ],
        },
    };
}

import { Failures, show } from "../failures";
import { portError } from "../cluster/gateway";
import { dns1123LabelError } from "../cluster/labels";
import { MeshObject } from "./istio";

/** Linkerd's ServiceProfile API group and version. */
export const LINKERD_PROFILE_API = "linkerd.io/v1alpha2";
/** The Gateway API HTTPRoute version Linkerd reads for traffic splits. */
export const HTTP_ROUTE_API = "gateway.networking.k8s.io/v1";

/** HTTP methods a ServiceProfile route may match. */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;

/** One route of a ServiceProfile: requests it matches, and how Linkerd treats them. */
export interface ProfileRouteInput {
    /** Shown in Linkerd's per-route metrics, e.g. `GET /books/{id}`. Unique in the profile. */
    readonly name: string;
    /** Matches this method only. Default: any. */
    readonly method?: (typeof HTTP_METHODS)[number];
    /** An RE2 regular expression Linkerd matches against the whole path, e.g. `/books/[^/]*\.json`. */
    readonly pathRegex: string;
    /** Linkerd retries failed requests of this route (within the retry budget). Default false. */
    readonly isRetryable?: boolean;
    /** The request's timeout, a Go duration such as "300ms" or "1m30s". Default: Linkerd's (10s). */
    readonly timeout?: string;
}

/** A ServiceProfile: per-route metrics, retries and timeouts for one Service. */
export interface ServiceProfileInput {
    readonly service: string;
    readonly namespace: string;
    /** The cluster's DNS domain. Default "cluster.local"; the profile's name is `<service>.<namespace>.svc.<domain>`. */
    readonly clusterDomain?: string;
    readonly routes: readonly ProfileRouteInput[];
    /** How much extra load retries may add: a ratio of requests (e.g. 0.2), a floor per second, and the window (a Go duration). */
    readonly retryBudget?: { readonly retryRatio: number; readonly minRetriesPerSecond: number; readonly ttl: string };
}

/** A weighted split of one Service's traffic between backend Services: a Gateway API HTTPRoute whose parent is the Service, as Linkerd reads it. */
export interface MeshSplitInput {
    readonly name: string;
    readonly namespace: string;
    /** The Service clients call (the route's parent). */
    readonly service: string;
    /** Its port. Backends get the same port unless they name one. */
    readonly port: number;
    /** Backend Services with relative weights (non-negative integers, positive sum). */
    readonly backends: ReadonlyArray<{ readonly service: string; readonly weight: number; readonly port?: number }>;
}

/**
 * The guide's SMI TrafficSplit (split.smi-spec.io). SMI is archived
 * upstream and Linkerd no longer reads it: netplumb takes it as input only
 * and applies the equivalent HTTPRoute. TrafficSplit carries no port;
 * the HTTPRoute needs the Service's, so give it.
 */
export interface TrafficSplitInput {
    readonly name: string;
    readonly namespace: string;
    /** The root Service (`spec.service`). */
    readonly service: string;
    /** The root Service's port (not part of SMI; HTTPRoute needs it). */
    readonly port?: number;
    readonly backends: ReadonlyArray<{ readonly service: string; readonly weight: number }>;
}

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

function goDurationError(value: unknown): string | undefined {
    return typeof value === "string" && GO_DURATION.test(value) ? undefined : `${show(value)} is not a duration; write it as Go does: 300ms, 10s, 1m30s`;
}

/** RE2 constructs JavaScript also accepts, rewritten so JavaScript can compile the rest: `(?P<name>` and leading or group flags. */
function asJavaScript(source: string): string {
    return source
        .replace(/\(\?P</g, "(?<")
        .replace(/\(\?[imsU]+\)/g, "")
        .replace(/\(\?[imsU]+:/g, "(?:");
}

/**
 * Why `source` is not a regular expression Linkerd (Rust's `regex`, RE2
 * syntax) accepts, or undefined: it must compile, and lookaround and
 * backreferences, which RE2 does not have, are refused.
 */
export function re2Error(source: unknown): string | undefined {
    if (typeof source !== "string" || source === "") return `${show(source)} is not a regular expression; write one such as /books/[^/]*\\.json`;
    if (/\(\?<?[=!]/.test(source))
        return `${show(source)} uses lookaround ((?=, (?!, (?<=, (?<!), which RE2 does not support; match the path positively instead`;
    if (/\\[1-9]|\\k</.test(source)) return `${show(source)} uses a backreference, which RE2 does not support`;
    try {
        new RegExp(asJavaScript(source), "u");
        return undefined;
    } catch (error) {
        return `${show(source)} does not compile: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /, "")}`;
    }
}

/** The profile's object name: the Service's fully qualified DNS name. */
export function profileName(profile: ServiceProfileInput): string {
    return `${profile.service}.${profile.namespace}.svc.${profile.clusterDomain ?? "cluster.local"}`;
}

/** Checks a ServiceProfile: names, unique route names, methods, path regexes (RE2), timeouts and the retry budget. */
export function checkServiceProfile(profile: ServiceProfileInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("service"), dns1123LabelError(profile.service));
    failures.check(at("namespace"), dns1123LabelError(profile.namespace));
    if (profile.routes.length === 0)
        failures.add(at("routes"), 'a ServiceProfile needs at least one route, e.g. { name: "GET /", method: "GET", pathRegex: "/" }');
    profile.routes.forEach((route, i) => {
        const r = (p: string) => at(`routes[${i}].${p}`);
        if (typeof route.name !== "string" || route.name.trim() === "") failures.add(r("name"), "a route needs a name, shown in Linkerd's metrics");
        else if (profile.routes.findIndex((o) => o.name === route.name) !== i) failures.add(r("name"), `${show(route.name)} is used by an earlier route`);
        if (route.method !== undefined && !(HTTP_METHODS as readonly string[]).includes(route.method))
            failures.add(r("method"), `${show(route.method)} is not an HTTP method; use one of ${HTTP_METHODS.join(", ")}`);
        failures.check(r("pathRegex"), re2Error(route.pathRegex));
        if (route.timeout !== undefined) failures.check(r("timeout"), goDurationError(route.timeout));
    });
    const budget = profile.retryBudget;
    if (budget !== undefined) {
        if (typeof budget.retryRatio !== "number" || !(budget.retryRatio >= 0) || !Number.isFinite(budget.retryRatio))
            failures.add(at("retryBudget.retryRatio"), `${show(budget.retryRatio)} is not a ratio; use a non-negative number such as 0.2 (20% extra load)`);
        if (!Number.isInteger(budget.minRetriesPerSecond) || budget.minRetriesPerSecond < 0)
            failures.add(at("retryBudget.minRetriesPerSecond"), `${show(budget.minRetriesPerSecond)} is not a whole number of retries per second`);
        failures.check(at("retryBudget.ttl"), goDurationError(budget.ttl));
    }
    return failures;
}

/** Checks a split: names, ports, backends and their relative weights. */
export function checkMeshSplit(split: MeshSplitInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("name"), dns1123LabelError(split.name));
    failures.check(at("namespace"), dns1123LabelError(split.namespace));
    failures.check(at("service"), dns1123LabelError(split.service));
    failures.check(at("port"), portError(split.port));
    if (split.backends.length === 0) failures.add(at("backends"), "a split needs at least one backend Service");
    split.backends.forEach((b, i) => {
        failures.check(at(`backends[${i}].service`), dns1123LabelError(b.service));
        if (b.port !== undefined) failures.check(at(`backends[${i}].port`), portError(b.port));
        if (!Number.isInteger(b.weight) || b.weight < 0)
            failures.add(at(`backends[${i}].weight`), `${show(b.weight)} is not a weight; weights are relative non-negative integers (e.g. 90 and 10)`);
        if (split.backends.findIndex((o) => o.service === b.service && (o.port ?? split.port) === (b.port ?? split.port)) !== i)
            failures.add(at(`backends[${i}].service`), `${show(b.service)} is listed twice; give it one weight`);
    });
    const sum = split.backends.reduce((total, b) => total + (Number.isInteger(b.weight) && b.weight > 0 ? b.weight : 0), 0);
    if (split.backends.length > 0 && sum <= 0)
        failures.add(at("backends"), "the weights sum to 0, so no request would be routed; give a backend a positive weight");
    return failures;
}

/** The split a TrafficSplit stands for: the same name, parent Service, port and weights. */
export function translateTrafficSplit(ts: TrafficSplitInput & { readonly port: number }): MeshSplitInput {
    return { name: ts.name, namespace: ts.namespace, service: ts.service, port: ts.port, backends: ts.backends.map((b) => ({ ...b })) };
}

/** Checks a TrafficSplit as the HTTPRoute it becomes; a missing port gets its own message. */
export function checkTrafficSplit(ts: TrafficSplitInput, path = ""): Failures {
    const failures = new Failures();
    if (ts.port === undefined)
        failures.add(path ? `${path}.port` : "port", "a TrafficSplit names no port, but the HTTPRoute it becomes needs the Service's; add port (e.g. 9080)");
    // Without a port, a placeholder lets the rest be checked in the same preview.
    for (const f of checkMeshSplit(translateTrafficSplit({ ...ts, port: ts.port ?? 1 }), path).all) failures.add(f.property, f.reason);
    return failures;
}

/** What preview says for each TrafficSplit: SMI is archived; here is what netplumb applies instead. */
export function trafficSplitNote(ts: TrafficSplitInput, path: string): string {
    const weights = ts.backends.map((b) => `${b.service}=${b.weight}`).join(", ");
    return (
        `${path} (${ts.namespace}/${ts.name}): SMI TrafficSplit is archived upstream and Linkerd no longer reads it. ` +
        `netplumb applies it as HTTPRoute ${ts.namespace}/${ts.name} (gateway.networking.k8s.io/v1) with parent Service ${ts.service}:${ts.port} ` +
        `and backend weights ${weights}, which Linkerd does read. Declare it under splits to drop this note.`
    );
}

/** The ServiceProfile (linkerd.io/v1alpha2) for valid input. */
export function compileServiceProfile(profile: ServiceProfileInput): MeshObject {
    return {
        apiVersion: LINKERD_PROFILE_API,
        kind: "ServiceProfile",
        metadata: { name: profileName(profile), namespace: profile.namespace },
        spec: {
            routes: profile.routes.map((r) => ({
                name: r.name,
                condition: { ...(r.method ? { method: r.method } : {}), pathRegex: r.pathRegex },
                ...(r.isRetryable ? { isRetryable: true } : {}),
                ...(r.timeout ? { timeout: r.timeout } : {}),
            })),
            ...(profile.retryBudget ? { retryBudget: { ...profile.retryBudget } } : {}),
        },
    };
}

/** The HTTPRoute (gateway.networking.k8s.io/v1, parent the Service itself) for a valid split. */
export function compileMeshSplit(split: MeshSplitInput): MeshObject {
    return {
        apiVersion: HTTP_ROUTE_API,
        kind: "HTTPRoute",
        metadata: { name: split.name, namespace: split.namespace },
        spec: {
            parentRefs: [{ group: "core", kind: "Service", name: split.service, port: split.port }],
            rules: [{ backendRefs: split.backends.map((b) => ({ name: b.service, port: b.port ?? split.port, weight: b.weight })) }],
        },
    };
}

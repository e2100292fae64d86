import { isKind } from "../host/errors";
import { Target, targetFor } from "../host/target";
import { canonicalDestination, familyOf, parseInterfaceAddress } from "../model/addresses";
import { RouteState, parseRoutes } from "../model/observed";
import { ROUTE_PROTOCOL } from "../model/ownership";
import { RouteSpec } from "../model/specs";
import { OwnershipError } from "./ownership";

const PROTO = ["proto", String(ROUTE_PROTOCOL)];

function describe(spec: RouteSpec): string {
    return `route to ${spec.destination}${spec.metric !== undefined ? ` metric ${spec.metric}` : ""}${spec.namespace ? ` in namespace ${spec.namespace}` : ""}`;
}

/** `-4` or `-6`: from the gateway, else the destination; `default` with only a device is IPv4. */
export function routeFamily(spec: Pick<RouteSpec, "destination" | "via">): "-4" | "-6" {
    if (spec.via !== undefined) return familyOf(spec.via) === 6 ? "-6" : "-4";
    if (spec.destination !== "default") return parseInterfaceAddress(spec.destination).family === 6 ? "-6" : "-4";
    return "-4";
}

/** The selector and attributes of `ip route add|replace|del` for this route. */
export function routeArgs(spec: RouteSpec): string[] {
    return [
        spec.destination,
        ...(spec.via !== undefined ? ["via", spec.via] : []),
        ...(spec.device !== undefined ? ["dev", spec.device] : []),
        ...(spec.metric !== undefined ? ["metric", String(spec.metric)] : []),
        ...PROTO,
    ];
}

function target(spec: RouteSpec): Target {
    return targetFor(spec.host, spec.namespace);
}

/** Normalises `ip -j` destinations ("192.0.2.5" for a /32) to canonical prefixes. */
function sameDestination(live: string, spec: RouteSpec): boolean {
    if (live === "default" || spec.destination === "default") return live === spec.destination;
    const withPrefix = live.includes("/") ? live : `${live}/${familyOf(live) === 6 ? 128 : 32}`;
    return canonicalDestination(withPrefix) === spec.destination;
}

/** Routes to this destination (any protocol), as the kernel reports them. */
async function liveRoutes(spec: RouteSpec): Promise<RouteState[]> {
    try {
        const out = await target(spec).ip([routeFamily(spec), "-j", "route", "show", "exact", spec.destination]);
        return parseRoutes(out.stdout).filter((r) => sameDestination(r.destination, spec));
    } catch (error) {
        if (isKind(error, "NotFound")) return [];
        throw error;
    }
}

function matchesMetric(r: RouteState, spec: RouteSpec): boolean {
    return spec.metric === undefined || r.metric === spec.metric;
}

/**
 * Adds the route marked with netplumb's protocol. An existing route to the
 * same destination and metric is taken when it is netplumb's with the same
 * gateway and device (an interrupted run), or when `adopt` is set; otherwise
 * create fails. Equivalent to: `ip [-4|-6] [-n NS] route add DEST [via GW] [dev IF] [metric M] proto 222`.
 */
export async function createRoute(spec: RouteSpec): Promise<void> {
    try {
        await target(spec).ip([routeFamily(spec), "route", "add", ...routeArgs(spec)]);
    } catch (error) {
        if (!isKind(error, "Exists")) throw error;
        const existing = (await liveRoutes(spec)).find((r) => matchesMetric(r, spec));
        const ours =
            existing &&
            existing.protocol === String(ROUTE_PROTOCOL) &&
            existing.via === spec.via &&
            (spec.device === undefined || existing.device === spec.device);
        if (!ours && !spec.adopt) {
            throw new OwnershipError(`${describe(spec)} already exists and is not managed by this stack; remove it or set adopt: true to take it over`);
        }
        await target(spec).ip([routeFamily(spec), "route", "replace", ...routeArgs(spec)]);
    }
}

/** The live route as a spec (gateway/device/metric drift visible), or undefined when gone. */
export async function readRoute(spec: RouteSpec): Promise<RouteSpec | undefined> {
    const live = (await liveRoutes(spec)).find((r) => r.protocol === String(ROUTE_PROTOCOL) && matchesMetric(r, spec));
    if (live === undefined) return undefined;
    return { ...spec, via: live.via, device: spec.device === undefined ? undefined : live.device };
}

/**
 * Changes gateway, device or metric in place: `ip route replace` with the new
 * attributes; when the metric changed (part of the kernel's key) the old route is removed.
 */
export async function updateRoute(previous: RouteSpec, spec: RouteSpec): Promise<void> {
    await target(spec).ip([routeFamily(spec), "route", "replace", ...routeArgs(spec)]);
    if (previous.metric !== spec.metric) await deleteRoute(previous);
}

/**
 * Deletes the route, matching netplumb's protocol so no one else's route with
 * the same destination is removed; gone is success.
 * Equivalent to: `ip [-4|-6] [-n NS] route del DEST [via GW] [dev IF] [metric M] proto 222`.
 */
export async function deleteRoute(spec: RouteSpec): Promise<void> {
    try {
        await target(spec).ip([routeFamily(spec), "route", "del", ...routeArgs(spec)]);
    } catch (error) {
        if (!isKind(error, "NotFound")) throw error;
    }
}

import { Target, targetFor } from "../host/target";
import { LinkState } from "../model/observed";
import { ROUTE_PROTOCOL } from "../model/ownership";
import { VethEndSpec, VethPairSpec } from "../model/specs";
import { LinkSettings, convergeCommands, deleteLink, nameTaken, readLink, retagLink } from "./links";
import { OwnershipError, assertOwned, claimExisting } from "./ownership";

interface End {
    readonly spec: VethEndSpec;
    readonly target: Target;
}

function ends(pair: VethPairSpec): [End, End] {
    return [
        { spec: pair.a, target: targetFor(pair.host, pair.a.namespace) },
        { spec: pair.b, target: targetFor(pair.host, pair.b.namespace) },
    ];
}

function describe(end: End): string {
    return `veth end ${JSON.stringify(end.spec.name)}${end.target.netns ? ` in namespace ${end.target.netns}` : ""}`;
}

function linkArgs(end: VethEndSpec): string[] {
    return [...(end.mac ? ["address", end.mac] : []), ...(end.mtu ? ["mtu", String(end.mtu)] : [])];
}

/**
 * `link add` for the pair, run on the side whose namespace is the host's own
 * when there is one (so the root namespace never needs a name), with the
 * peer created directly in its namespace.
 * Equivalent to: `ip [-n NSA] link add A [address M] [mtu N] type veth peer name B [address M] [mtu N] [netns NSB]`.
 */
export function vethAddCommand(first: End, second: End): string[] {
    const netns = second.target.netns !== first.target.netns && second.target.netns ? ["netns", second.target.netns] : [];
    return ["link", "add", first.spec.name, ...linkArgs(first.spec), "type", "veth", "peer", "name", second.spec.name, ...linkArgs(second.spec), ...netns];
}

function creationOrder(pair: VethPairSpec): [End, End] {
    const [a, b] = ends(pair);
    return a.target.netns !== undefined && b.target.netns === undefined ? [b, a] : [a, b];
}

function settings(end: VethEndSpec, owner: string, previous?: VethEndSpec): LinkSettings {
    const leaveBridge = end.bridge === undefined && previous?.bridge !== undefined;
    return { mtu: end.mtu, mac: end.mac, alias: owner, master: leaveBridge ? null : end.bridge, addresses: end.addresses, up: true };
}

/** Settings of an end that `link add` just made: MTU and MAC were set by the add itself. */
function freshSettings(end: VethEndSpec, owner: string): LinkSettings {
    return { ...settings(end, owner), mtu: undefined, mac: undefined };
}

/** The commands that set a default route via `gateway` (or remove the old one). */
export function gatewayCommands(end: VethEndSpec, previous?: VethEndSpec): string[][] {
    const proto = ["proto", String(ROUTE_PROTOCOL)];
    if (end.gateway === previous?.gateway) return [];
    if (end.gateway !== undefined) return [["route", "replace", "default", "via", end.gateway, "dev", end.name, ...proto]];
    return [["route", "del", "default", "via", previous!.gateway!, "dev", end.name, ...proto]];
}

async function convergeEnd(end: End, owner: string, live?: LinkState, previous?: VethEndSpec): Promise<void> {
    const wanted = live === undefined ? freshSettings(end.spec, owner) : settings(end.spec, owner, previous);
    const commands = [...convergeCommands(end.spec.name, wanted, live), ...gatewayCommands(end.spec, previous)];
    if (commands.length > 0) await end.target.ipBatch(commands);
}

/**
 * Creates the pair with each end in its namespace, tagged, joined to its
 * bridge, addressed and up (three `ip` processes); any failure after the
 * pair exists deletes it again. An existing pair is converged when this
 * resource made it or `adopt` is set.
 */
export async function createVethPair(pair: VethPairSpec): Promise<void> {
    const [first] = creationOrder(pair);
    const creation = pairCreation(pair);
    try {
        await first.target.ipBatch(creation.firstCommands);
    } catch (error) {
        if (nameTaken(error)) return convergeExisting(pair);
        await deleteLink(first.target, first.spec.name);
        throw error;
    }
    try {
        if (creation.secondCommands.length > 0) await creation.second.ipBatch(creation.secondCommands);
    } catch (error) {
        await deleteLink(first.target, first.spec.name);
        throw error;
    }
}

/** A new pair's commands for each side: `link add` and the first end's settings, then the second end's settings and its gateway. */
export interface PairCreation {
    readonly first: Target;
    /** `link add` first, then the first end's tag, bridge, addresses and `up`. */
    readonly firstCommands: string[][];
    readonly second: Target;
    readonly secondCommands: string[][];
}

/** The commands createVethPair runs for a new pair (one `ip -batch` per side), for callers that batch them with others. */
export function pairCreation(pair: VethPairSpec): PairCreation {
    const [first, second] = creationOrder(pair);
    const settingsOf = (end: End) => [...convergeCommands(end.spec.name, freshSettings(end.spec, pair.owner)), ...gatewayCommands(end.spec)];
    return {
        first: first.target,
        firstCommands: [vethAddCommand(first, second), ...settingsOf(first)],
        second: second.target,
        secondCommands: settingsOf(second),
    };
}

async function convergeExisting(pair: VethPairSpec): Promise<void> {
    for (const end of ends(pair)) {
        const live = await readLink(end.target, end.spec.name);
        if (live === undefined || live.kind !== "veth") {
            const found = live === undefined ? "missing" : `a ${live.kind ?? "plain device"}`;
            throw new OwnershipError(`${describe(end)}: an interface of that name exists on one side but this end is ${found}; choose other names`);
        }
        claimExisting(describe(end), live.alias, pair.owner, pair.adopt, pair.resumed);
        await convergeEnd(end, pair.owner, live);
    }
}

/** One end's link and default routes read beforehand in one process with others (see `readMany`), so reading the pair runs nothing on that side. */
export interface EndReading {
    /** The end's link, undefined when it is gone. */
    readonly link: LinkState | undefined;
    /** The JSON of `ip -j route show default dev NAME proto N`; undefined when the link is gone. */
    readonly defaultRoutes: string | undefined;
}

/** The reads of an end for `readMany`: its link, then its default routes. */
export function endReadCommands(end: VethEndSpec): string[][] {
    return [
        ["addr", "show", "dev", end.name],
        ["route", "show", "default", "dev", end.name, "proto", String(ROUTE_PROTOCOL)],
    ];
}

/** True when the routes (JSON of `ip -j route show default ...`) hold one via `gateway`. */
function viaGateway(routes: string | undefined, gateway: string): boolean {
    return (JSON.parse(routes || "[]") as Array<{ gateway?: string }>).some((r) => r.gateway === gateway);
}

/** Equivalent to: `ip [-n NS] -j route show default dev NAME proto N`. */
async function hasDefaultRoute(end: End, gateway: string): Promise<boolean> {
    const out = await end.target.ip(["-j", "route", "show", "default", "dev", end.spec.name, "proto", String(ROUTE_PROTOCOL)]);
    return viaGateway(out.stdout, gateway);
}

async function readEnd(end: End, owner: string, reading?: EndReading): Promise<VethEndSpec | undefined> {
    const live = reading ? reading.link : await readLink(end.target, end.spec.name);
    if (live === undefined || live.kind !== "veth" || live.alias !== owner) return undefined;
    const wanted = end.spec.gateway;
    const hasGateway = wanted !== undefined && (reading ? viaGateway(reading.defaultRoutes, wanted) : await hasDefaultRoute(end, wanted));
    return {
        ...end.spec,
        bridge: live.master,
        addresses: live.addresses,
        mtu: end.spec.mtu === undefined ? undefined : live.mtu,
        mac: end.spec.mac === undefined ? undefined : live.mac,
        gateway: hasGateway ? wanted : undefined,
    };
}

/**
 * The live pair as a spec, or undefined when either end is gone or not this
 * resource's. `readingB`: end b as already read (a lab member reads its side
 * in one process with its namespace's loopback); `readingA` likewise for end
 * a (a lab's members read their host-side ends in one process).
 */
export async function readVethPair(pair: VethPairSpec, readingB?: EndReading, readingA?: EndReading): Promise<VethPairSpec | undefined> {
    const [a, b] = ends(pair);
    const liveA = await readEnd(a, pair.owner, readingA);
    const liveB = liveA && (await readEnd(b, pair.owner, readingB));
    return liveA && liveB ? { ...pair, a: liveA, b: liveB } : undefined;
}

/** Converges bridge membership, addresses, MTU, MAC and gateway of both ends in place. */
export async function updateVethPair(previous: VethPairSpec, pair: VethPairSpec): Promise<void> {
    const olds = [previous.a, previous.b];
    for (const [i, end] of ends(pair).entries()) {
        const live = await readLink(end.target, end.spec.name);
        if (live === undefined) throw new OwnershipError(`${describe(end)} is gone; run pulumi refresh, then up to recreate the pair`);
        assertOwned(describe(end), live.alias, pair.owner);
        await convergeEnd(end, pair.owner, live, olds[i]);
    }
}

/** Moves both ends' tags (their aliases) to `owner`. */
export async function retagVethPair(previous: VethPairSpec, owner: string): Promise<void> {
    for (const end of ends(previous)) await retagLink(end.target, end.spec.name, previous.owner, owner, describe(end));
}

/**
 * Deletes the pair (deleting one end deletes its peer). Gone, or a namespace
 * already deleted, is success; an interface that is not this resource's is left alone.
 * Equivalent to: `ip [-n NSA] link del dev A`.
 */
export async function deleteVethPair(pair: VethPairSpec): Promise<void> {
    for (const end of ends(pair)) {
        const live = await readLink(end.target, end.spec.name);
        if (live === undefined) continue;
        assertOwned(describe(end), live.alias, pair.owner);
        await deleteLink(end.target, end.spec.name);
        return;
    }
}

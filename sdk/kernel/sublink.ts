import { CommandError, isKind } from "../host/errors";
import { Target, targetFor } from "../host/target";
import { LinkState, parseLink } from "../model/observed";
import { SublinkSpec, parseSublinkMode, sublinkAddArgs } from "../model/sublink";
import { convergeCommands, converge, deleteLink, nameTaken } from "./links";
import { OwnershipError, assertOwned, claimExisting } from "./ownership";

function describe(spec: SublinkSpec): string {
    return `${spec.kind} ${JSON.stringify(spec.name)} in namespace ${spec.namespace}`;
}

/** The namespace side: tag, MTU, addresses, up; then the default route when a gateway is given. */
function settingsCommands(spec: SublinkSpec, live?: LinkState): string[][] {
    const settings = convergeCommands(spec.name, { alias: spec.owner, mtu: spec.mtu, mac: spec.mac, addresses: spec.addresses, up: true }, live);
    const route = spec.gateway ? [["route", "replace", "default", "via", spec.gateway, "dev", spec.name, "proto", "222"]] : [];
    return [...settings, ...route];
}

async function readSublink(target: Target, spec: SublinkSpec): Promise<{ link: LinkState; mode?: string } | undefined> {
    try {
        const { stdout } = await target.ip(["-j", "-d", "addr", "show", "dev", spec.name]);
        const link = parseLink(stdout);
        return link && { link, mode: parseSublinkMode(stdout, spec.kind) };
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
}

/** Says plainly when the kernel has no module for the kind (this machine's lacks ipvlan). */
function explainMissingKind(spec: SublinkSpec, error: unknown): unknown {
    if (error instanceof CommandError && /Unknown device type|not supported/i.test(error.result.stderr))
        return new Error(
            `${describe(spec)}: this kernel has no ${spec.kind} support (the ${spec.kind} module); use ${spec.kind === "ipvlan" ? "a Macvlan" : "a bridge member"} instead, or load the module (modprobe ${spec.kind})`,
            { cause: error },
        );
    return error;
}

/**
 * Creates the interface on the parent directly in its namespace, then tags
 * it, sets its addresses, brings it up and adds the default route; a failure
 * removes it again. Equivalent to: `ip link add link PARENT name NAME netns NS type KIND mode MODE`, then `ip -n NS link set dev NAME alias TAG`,
 * `ip -n NS addr replace A dev NAME`, `ip -n NS link set dev NAME up`,
 * `ip -n NS route replace default via GW dev NAME proto 222`.
 */
export async function createSublink(spec: SublinkSpec): Promise<void> {
    const host = targetFor(spec.host);
    const inside = targetFor(spec.host, spec.namespace);
    try {
        await host.ip(sublinkAddArgs(spec));
    } catch (error) {
        if (nameTaken(error)) return convergeExisting(inside, spec);
        throw explainMissingKind(spec, error);
    }
    try {
        await inside.ipBatch(settingsCommands(spec));
    } catch (error) {
        await deleteLink(inside, spec.name);
        throw error;
    }
}

async function convergeExisting(inside: Target, spec: SublinkSpec): Promise<void> {
    const live = await readSublink(inside, spec);
    if (live === undefined) throw new OwnershipError(`${describe(spec)}: the name is taken, but not inside the namespace (on the host?); choose another name`);
    if (live.mode !== spec.mode)
        throw new OwnershipError(
            `${describe(spec)}: an interface of that name exists and is not a ${spec.kind} in mode ${spec.mode}; remove it or choose another name`,
        );
    claimExisting(describe(spec), live.link.alias, spec.owner, spec.adopt, spec.resumed);
    await inside.ipBatch(settingsCommands(spec, live.link));
}

/** The live interface as a spec (addresses and MTU as they are), undefined when gone, someone else's, or of another kind or mode. */
export async function readSublinkSpec(spec: SublinkSpec): Promise<SublinkSpec | undefined> {
    const live = await readSublink(targetFor(spec.host, spec.namespace), spec);
    if (live === undefined || live.link.alias !== spec.owner || live.mode !== spec.mode) return undefined;
    return {
        ...spec,
        addresses: live.link.addresses,
        mtu: spec.mtu === undefined ? undefined : live.link.mtu,
        mac: spec.mac === undefined ? undefined : live.link.mac,
    };
}

/** Converges addresses, MTU, MAC and the default route in place. */
export async function updateSublink(spec: SublinkSpec): Promise<void> {
    const inside = targetFor(spec.host, spec.namespace);
    const live = await readSublink(inside, spec);
    if (live === undefined) throw new OwnershipError(`${describe(spec)} is gone; run pulumi refresh, then up to recreate it`);
    assertOwned(describe(spec), live.link.alias, spec.owner);
    await converge(inside, spec.name, { alias: spec.owner, mtu: spec.mtu, mac: spec.mac, addresses: spec.addresses, up: true }, live.link);
    if (spec.gateway) await inside.ip(["route", "replace", "default", "via", spec.gateway, "dev", spec.name, "proto", "222"]);
}

/** Deletes the interface; gone (or its namespace gone) is success. Equivalent to: `ip -n NS link del dev NAME`. */
export async function deleteSublink(spec: SublinkSpec): Promise<void> {
    const inside = targetFor(spec.host, spec.namespace);
    const live = await readSublink(inside, spec);
    if (live === undefined) return;
    assertOwned(describe(spec), live.link.alias, spec.owner);
    await deleteLink(inside, spec.name);
}

import { Target, targetFor } from "../host/target";
import { BridgeSpec } from "../model/specs";
import { LinkSettings, convergeCommands, converge, deleteLink, nameTaken, readLink, retagLink } from "./links";
import { OwnershipError, assertOwned, claimExisting } from "./ownership";

function settings(spec: BridgeSpec): LinkSettings {
    return { mtu: spec.mtu, mac: spec.mac, alias: spec.owner, addresses: spec.addresses, up: spec.up };
}

function describe(spec: BridgeSpec): string {
    return `bridge ${JSON.stringify(spec.name)}${spec.namespace ? ` in namespace ${spec.namespace}` : ""}`;
}

/**
 * Creates the bridge, tags it, adds its addresses and brings it up, in one
 * `ip -batch` process; a failure after the bridge exists deletes it again.
 * An existing interface of that name is converged when this resource made it
 * (an interrupted run) or when `adopt` is set and it is a bridge.
 * Equivalent to: `ip [-n NS] link add NAME address MAC [mtu M] type bridge stp_state 0`,
 * `ip link set dev NAME alias TAG`, `ip addr replace A dev NAME`, `ip link set dev NAME up`.
 */
export async function createBridge(spec: BridgeSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const mtu = spec.mtu === undefined ? [] : ["mtu", String(spec.mtu)];
    const mac = spec.mac ? ["address", spec.mac] : [];
    const add = ["link", "add", spec.name, ...mac, ...mtu, "type", "bridge", "stp_state", spec.stp ? "1" : "0"];
    try {
        await target.ipBatch([add, ...convergeCommands(spec.name, { ...settings(spec), mtu: undefined, mac: undefined })]);
    } catch (error) {
        if (nameTaken(error)) return convergeExisting(target, spec);
        await deleteLink(target, spec.name);
        throw error;
    }
}

async function convergeExisting(target: Target, spec: BridgeSpec): Promise<void> {
    const live = await readLink(target, spec.name);
    if (live === undefined) throw new OwnershipError(`${describe(spec)} vanished while being created; run again`);
    if (live.kind !== "bridge") {
        throw new OwnershipError(
            `${describe(spec)}: an interface of that name exists and is a ${live.kind ?? "plain device"}, not a bridge; choose another name`,
        );
    }
    claimExisting(describe(spec), live.alias, spec.owner, spec.adopt, spec.resumed);
    await setStp(target, spec, live.stp);
    await converge(target, spec.name, settings(spec), live);
}

async function setStp(target: Target, spec: BridgeSpec, current: boolean | undefined): Promise<void> {
    if (current !== spec.stp) {
        await target.ip(["link", "set", "dev", spec.name, "type", "bridge", "stp_state", spec.stp ? "1" : "0"]);
    }
}

/**
 * The live bridge as a spec (drift shows as differing properties), or
 * undefined when it is gone or is no longer this resource's bridge.
 */
export async function readBridge(spec: BridgeSpec): Promise<BridgeSpec | undefined> {
    const live = await readLink(targetFor(spec.host, spec.namespace), spec.name);
    if (live === undefined || live.kind !== "bridge" || live.alias !== spec.owner) return undefined;
    return {
        ...spec,
        mtu: spec.mtu === undefined ? undefined : live.mtu,
        mac: spec.mac === undefined ? spec.mac : live.mac,
        addresses: live.addresses,
        up: live.up,
        stp: live.stp ?? false,
    };
}

/** Converges MTU, addresses, STP and up/down in place. */
export async function updateBridge(spec: BridgeSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const live = await readLink(target, spec.name);
    if (live === undefined) throw new OwnershipError(`${describe(spec)} is gone; run pulumi refresh, then up to recreate it`);
    assertOwned(describe(spec), live.alias, spec.owner);
    await setStp(target, spec, live.stp);
    await converge(target, spec.name, settings(spec), live);
}

/** Moves the bridge's tag (its alias) to `owner`. */
export async function retagBridge(previous: BridgeSpec, owner: string): Promise<void> {
    await retagLink(targetFor(previous.host, previous.namespace), previous.name, previous.owner, owner, describe(previous));
}

/**
 * Deletes the bridge (its ports leave it; they are not deleted). Gone is success;
 * an interface of that name that is not this resource's is left alone.
 * Equivalent to: `ip [-n NS] link del dev NAME`.
 */
export async function deleteBridge(spec: BridgeSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const live = await readLink(target, spec.name);
    if (live === undefined) return;
    assertOwned(describe(spec), live.alias, spec.owner);
    await deleteLink(target, spec.name);
}

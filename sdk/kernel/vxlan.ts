import { isKind } from "../host/errors";
import { Target, targetFor } from "../host/target";
import { LinkState, parseLink } from "../model/observed";
import { batchInput } from "../model/script-safety";
import { VxlanInfo, VxlanSpec, floodEntryCommands, parseFloodPeers, parseVxlanInfo, vxlanAddArgs } from "../model/vxlan";
import { LinkSettings, converge, convergeCommands, deleteLink, nameTaken, retagLink } from "./links";
import { OwnershipError, assertOwned, claimExisting } from "./ownership";

function settings(spec: VxlanSpec): LinkSettings {
    return { mtu: spec.mtu, alias: spec.owner, master: spec.bridge ?? null, up: true };
}

function describe(spec: VxlanSpec): string {
    return `VXLAN device ${JSON.stringify(spec.name)}${spec.namespace ? ` in namespace ${spec.namespace}` : ""}`;
}

interface LiveVxlan {
    readonly link: LinkState;
    readonly vxlan?: VxlanInfo;
}

/** The device and its VXLAN settings from one `ip -j -d addr show dev NAME`, or undefined when gone. */
async function readDevice(target: Target, name: string): Promise<LiveVxlan | undefined> {
    try {
        const { stdout } = await target.ip(["-j", "-d", "addr", "show", "dev", name]);
        const link = parseLink(stdout);
        return link && { link, vxlan: parseVxlanInfo(stdout) };
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
}

/** The flooding entries' destinations. Equivalent to: `bridge -j fdb show dev NAME`. */
async function readFloodPeers(target: Target, name: string): Promise<string[]> {
    return parseFloodPeers((await target.exec(["bridge", "-j", "fdb", "show", "dev", name])).stdout);
}

/** Brings the flooding entries from `live` to the spec's peers, in one `bridge -batch -`. */
async function convergePeers(target: Target, spec: VxlanSpec, live: readonly string[]): Promise<void> {
    const lines = floodEntryCommands(spec.name, live, spec.peers);
    if (lines.length > 0) await target.exec(["bridge", "-batch", "-"], { input: batchInput(lines) });
}

/** Why an existing device of this name cannot be this resource's (undefined: it can). */
function mismatch(spec: VxlanSpec, live: LiveVxlan): string | undefined {
    const v = live.vxlan;
    if (!v) return `an interface of that name exists and is a ${live.link.kind ?? "plain device"}, not a VXLAN device; choose another name`;
    if (v.vni !== spec.vni || v.port !== spec.port || v.local !== spec.local || v.group !== spec.group)
        return `it exists with VNI ${v.vni}, port ${v.port}, local ${v.local ?? "none"}${v.group ? `, group ${v.group}` : ""}, not what is declared; remove it or choose another name`;
    return undefined;
}

/**
 * Creates the device (no MAC learning), tags it, joins the bridge, brings it
 * up, then writes one flooding FDB entry per peer; a failure removes the
 * device again (its FDB goes with it). Equivalent to: `ip link add NAME mtu M type vxlan id VNI dstport PORT local LOCAL nolearning`, `ip link set dev NAME alias TAG master BR up`, `bridge fdb append 00:00:00:00:00:00 dev NAME dst PEER` for each peer.
 */
export async function createVxlan(spec: VxlanSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    try {
        await target.ipBatch([vxlanAddArgs(spec), ...convergeCommands(spec.name, { ...settings(spec), mtu: undefined, master: spec.bridge })]);
    } catch (error) {
        if (nameTaken(error)) return convergeExisting(target, spec);
        await deleteLink(target, spec.name);
        throw error;
    }
    try {
        await convergePeers(target, spec, []);
    } catch (error) {
        await deleteLink(target, spec.name);
        throw error;
    }
}

async function convergeExisting(target: Target, spec: VxlanSpec): Promise<void> {
    const live = await readDevice(target, spec.name);
    if (live === undefined) throw new OwnershipError(`${describe(spec)} vanished while being created; run again`);
    const why = mismatch(spec, live);
    if (why) throw new OwnershipError(`${describe(spec)}: ${why}`);
    claimExisting(describe(spec), live.link.alias, spec.owner, spec.adopt, spec.resumed);
    await converge(target, spec.name, settings(spec), live.link);
    await convergePeers(target, spec, await readFloodPeers(target, spec.name));
}

/**
 * The live device as a spec (a changed MTU, bridge or peer list shows as
 * drift), or undefined when it is gone, is no longer this resource's, or
 * has other VXLAN settings (it would need replacing).
 */
export async function readVxlan(spec: VxlanSpec): Promise<VxlanSpec | undefined> {
    const target = targetFor(spec.host, spec.namespace);
    const live = await readDevice(target, spec.name);
    if (live === undefined || live.link.alias !== spec.owner || mismatch(spec, live) !== undefined) return undefined;
    return { ...spec, mtu: live.link.mtu, bridge: live.link.master, peers: await readFloodPeers(target, spec.name) };
}

/** Converges MTU, bridge, up and the flooding entries in place: only changed peers are appended or deleted. */
export async function updateVxlan(spec: VxlanSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const live = await readDevice(target, spec.name);
    if (live === undefined) throw new OwnershipError(`${describe(spec)} is gone; run pulumi refresh, then up to recreate it`);
    assertOwned(describe(spec), live.link.alias, spec.owner);
    await converge(target, spec.name, settings(spec), live.link);
    await convergePeers(target, spec, await readFloodPeers(target, spec.name));
}

/** Moves the device's tag (its alias) to `owner`. */
export async function retagVxlan(previous: VxlanSpec, owner: string): Promise<void> {
    await retagLink(targetFor(previous.host, previous.namespace), previous.name, previous.owner, owner, describe(previous));
}

/**
 * Deletes the device (with its FDB). Gone is success; an interface of that
 * name that is not this resource's is left alone. Equivalent to: `ip link del dev NAME`.
 */
export async function deleteVxlan(spec: VxlanSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const live = await readDevice(target, spec.name);
    if (live === undefined) return;
    assertOwned(describe(spec), live.link.alias, spec.owner);
    await deleteLink(target, spec.name);
}

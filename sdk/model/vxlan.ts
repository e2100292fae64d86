import { isIPv4, isIPv6 } from "net";
import { canonicalIp, ipAddressError } from "./addresses";
import { CheckResult, readManaged } from "./checks";
import { Failures, show } from "./failures";
import { InputReader } from "./inputs";
import { mtuError } from "./link-properties";
import { interfaceNameError, namespaceNameError } from "./names";
import { ManagedSpec } from "./specs";
import { isUnknown } from "./unknown";

/** VXLAN's IANA port. */
export const VXLAN_PORT = 4789;
/** Bytes VXLAN adds to each frame: outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
export const OVERHEAD_IPV4 = 50;
/** With an IPv6 underlay: outer IPv6 (40) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
export const OVERHEAD_IPV6 = 70;
/** The all-zero MAC: an FDB entry for it floods broadcast, unknown-unicast and multicast frames to its `dst`. */
export const FLOOD_MAC = "00:00:00:00:00:00";

/** One VXLAN device on one host: a tunnel endpoint of a layer-2 segment. */
export interface VxlanSpec extends ManagedSpec {
    /** Interface name (1-15 bytes). */
    readonly name: string;
    /** Namespace holding the device; undefined: the host's own. */
    readonly namespace?: string;
    /** VXLAN network identifier, 1-16777215. */
    readonly vni: number;
    /** UDP port, both ends. */
    readonly port: number;
    /** This host's underlay address: the tunnel's source. */
    readonly local: string;
    /** Underlay interface the tunnel is bound to; needed with `group`. */
    readonly device?: string;
    /** Multicast group replacing `peers` (the underlay must route multicast). */
    readonly group?: string;
    /** Other hosts' underlay addresses: one flooding FDB entry each (head-end replication), sorted. */
    readonly peers: readonly string[];
    /** Bridge the device is a port of. */
    readonly bridge?: string;
    /** The device's MTU: at most underlayMtu minus VXLAN's overhead. */
    readonly mtu: number;
    /** MTU of the underlay path, for the check. */
    readonly underlayMtu: number;
}

/** VXLAN's overhead for an underlay address's family. */
export function overheadFor(local: string): number {
    return isIPv6(local) ? OVERHEAD_IPV6 : OVERHEAD_IPV4;
}

/** Why the overlay's MTU does not fit the underlay's (undefined: it fits). */
export function overlayMtuError(mtu: number, underlayMtu: number, local: string): string | undefined {
    const overhead = overheadFor(local);
    if (mtu + overhead <= underlayMtu) return undefined;
    const family = overhead === OVERHEAD_IPV6 ? "IPv6" : "IPv4";
    return `MTU ${mtu} does not fit an underlay MTU of ${underlayMtu}: VXLAN over ${family} adds ${overhead} bytes; use at most ${underlayMtu - overhead}, or raise the underlay's MTU to ${mtu + overhead}`;
}

function vniError(v: unknown): string | undefined {
    return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 16777215 ? undefined : `VNI ${show(v)} is not a whole number from 1 to 16777215`;
}

function portError(v: unknown): string | undefined {
    return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 65535
        ? undefined
        : `port ${show(v)} is not a whole number from 1 to 65535; VXLAN's is 4789`;
}

function groupError(v: unknown): string | undefined {
    if (typeof v !== "string" || ipAddressError(v) !== undefined) return ipAddressError(v);
    const multicast = isIPv4(v) ? Number(v.split(".")[0]) >= 224 && Number(v.split(".")[0]) <= 239 : canonicalIp(v).startsWith("ff");
    return multicast ? undefined : `${show(v)} is not a multicast address (224.0.0.0/4 or ff00::/8)`;
}

/** Validates a Vxlan resource's inputs. Defaults: port 4789, mtu = underlayMtu − overhead, underlayMtu 1500. */
export function checkVxlan(raw: Record<string, unknown>): CheckResult<VxlanSpec> {
    const r = new InputReader(raw, "", new Failures());
    const local = r.string("local", ipAddressError) ?? "";
    const peers = r.strings("peers", ipAddressError);
    const group = r.optionalString("group", groupError);
    const device = r.optionalString("device", interfaceNameError);
    const underlayMtu = r.number("underlayMtu", (v) => mtuError(v, false)) ?? 1500;
    const known = (v: string) => !isUnknown(v) && ipAddressError(v) === undefined;
    const overhead = known(local) ? overheadFor(local) : OVERHEAD_IPV4;
    const mtu = r.number("mtu", (v) => mtuError(v, false)) ?? underlayMtu - overhead;
    if (known(local) && !isUnknown(mtu)) r.failures.check("mtu", overlayMtuError(mtu, underlayMtu, local));
    if (group !== undefined && peers.length > 0) r.failures.add("group", "give a multicast group or peers, not both: the group replaces head-end replication");
    if (group !== undefined && device === undefined)
        r.failures.add("device", 'a multicast group needs the underlay interface to join it on; give device (e.g. "eth0")');
    for (const [i, peer] of peers.entries()) {
        if (!known(peer) || !known(local)) continue;
        if (canonicalIp(peer) === canonicalIp(local))
            r.failures.add(`peers[${i}]`, `${show(peer)} is this host's own address (local); list only the other hosts`);
        else if (isIPv6(peer) !== isIPv6(local))
            r.failures.add(`peers[${i}]`, `${show(peer)} is not of local's family (${show(local)}); one tunnel has one underlay family`);
    }
    const canonicalPeers = peers.map((p) => (known(p) ? canonicalIp(p) : p));
    const duplicate = canonicalPeers.find((p, i) => canonicalPeers.indexOf(p) !== i);
    if (duplicate !== undefined) r.failures.add("peers", `${show(duplicate)} is listed twice`);
    const spec: VxlanSpec = {
        ...readManaged(r),
        name: r.string("name", interfaceNameError) ?? "",
        namespace: r.optionalString("namespace", namespaceNameError),
        vni: r.number("vni", vniError) ?? 0,
        port: r.number("port", portError) ?? VXLAN_PORT,
        local: known(local) ? canonicalIp(local) : local,
        device,
        group: group !== undefined && known(group) ? canonicalIp(group) : group,
        peers: [...new Set(canonicalPeers)].sort(),
        bridge: r.optionalString("bridge", interfaceNameError),
        mtu,
        underlayMtu,
    };
    if (!r.known("vni")) r.failures.check("vni", r.has("vni") ? undefined : "vni is required");
    return { spec, failures: [...r.failures.all] };
}

/**
 * `ip link add` for the device: no MAC learning (the FDB is what netplumb
 * writes). Equivalent to: `ip link add NAME mtu M type vxlan id VNI dstport PORT local LOCAL [dev DEV] [group G] nolearning`.
 */
export function vxlanAddArgs(spec: VxlanSpec): string[] {
    const device = spec.device ? ["dev", spec.device] : [];
    const group = spec.group ? ["group", spec.group] : [];
    return [
        "link",
        "add",
        spec.name,
        "mtu",
        String(spec.mtu),
        "type",
        "vxlan",
        "id",
        String(spec.vni),
        "dstport",
        String(spec.port),
        "local",
        spec.local,
        ...device,
        ...group,
        "nolearning",
    ];
}

/**
 * `bridge -batch` lines making the flooding entries match `peers`: append
 * the missing, delete the extra. Equivalent to: `bridge fdb append 00:00:00:00:00:00 dev NAME dst PEER` / `bridge fdb del … dst PEER`.
 */
export function floodEntryCommands(name: string, live: readonly string[], peers: readonly string[]): string[][] {
    const add = peers.filter((p) => !live.includes(p)).map((p) => ["fdb", "append", FLOOD_MAC, "dev", name, "dst", p]);
    const remove = live.filter((p) => !peers.includes(p)).map((p) => ["fdb", "del", FLOOD_MAC, "dev", name, "dst", p]);
    return [...add, ...remove];
}

/** The device's VXLAN settings as `ip -j -d link show` reports them. */
export interface VxlanInfo {
    readonly vni: number;
    readonly port: number;
    readonly local?: string;
    readonly group?: string;
    readonly device?: string;
    readonly learning: boolean;
}

/** Parses the VXLAN part of `ip -j -d link show dev NAME` (undefined: not a VXLAN device, or gone). */
export function parseVxlanInfo(json: string): VxlanInfo | undefined {
    const [raw] = JSON.parse(json || "[]") as Array<{ linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> } }>;
    const data = raw?.linkinfo?.info_kind === "vxlan" ? raw.linkinfo.info_data : undefined;
    if (!data) return undefined;
    return {
        vni: data.id as number,
        port: data.port as number,
        local: typeof data.local === "string" ? canonicalIp(data.local) : typeof data.local6 === "string" ? canonicalIp(data.local6) : undefined,
        group: typeof data.group === "string" ? canonicalIp(data.group) : typeof data.group6 === "string" ? canonicalIp(data.group6) : undefined,
        device: typeof data.link === "string" ? data.link : undefined,
        learning: data.learning === true,
    };
}

/** The flooding entries' destinations in `bridge -j fdb show dev NAME`, sorted. */
export function parseFloodPeers(json: string): string[] {
    const entries = JSON.parse(json || "[]") as Array<{ mac?: string; dst?: string }>;
    return entries
        .filter((e) => e.mac === FLOOD_MAC && typeof e.dst === "string")
        .map((e) => canonicalIp(e.dst!))
        .sort();
}

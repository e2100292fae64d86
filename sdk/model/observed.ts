import { canonicalIp } from "./addresses";

/** A link as the kernel reports it (`ip -j -d addr show dev NAME`). */
export interface LinkState {
    readonly name: string;
    /** `bridge`, `veth`, ... ; undefined for plain devices such as `lo`. */
    readonly kind?: string;
    readonly mtu: number;
    /** Administratively up (`ip link set ... up`). */
    readonly up: boolean;
    readonly alias?: string;
    /** The bridge this link is a port of. */
    readonly master?: string;
    readonly mac: string;
    /** Global and host-scope addresses, canonical `address/prefix`, sorted; link-local ones are left out. */
    readonly addresses: readonly string[];
    /** Bridges only: spanning tree on. */
    readonly stp?: boolean;
}

/** One address of a link in `ip -j addr show`. */
export interface RawAddrInfo {
    family?: string;
    local?: string;
    prefixlen?: number;
    scope?: string;
}

/** One link of `ip -j -d addr show` as the kernel prints it (the fields netplumb reads). */
export interface RawLink {
    ifname: string;
    mtu: number;
    flags?: string[];
    ifalias?: string;
    master?: string;
    address?: string;
    linkinfo?: { info_kind?: string; info_data?: { stp_state?: number } };
    addr_info?: RawAddrInfo[];
}

/** Parses the JSON of `ip -j -d addr show dev NAME` into the first link's state. */
export function parseLink(json: string): LinkState | undefined {
    const raw = (JSON.parse(json || "[]") as RawLink[])[0];
    return raw === undefined ? undefined : toLinkState(raw);
}

/** One link of `ip -j -d addr show` as LinkState: link-local addresses left out, the rest canonical and sorted. */
export function toLinkState(raw: RawLink): LinkState {
    const addresses = (raw.addr_info ?? [])
        .filter((a) => a.local !== undefined && a.scope !== "link")
        .map((a) => `${canonicalIp(a.local!)}/${a.prefixlen}`)
        .sort();
    const stp = raw.linkinfo?.info_data?.stp_state;
    return {
        name: raw.ifname,
        kind: raw.linkinfo?.info_kind,
        mtu: raw.mtu,
        up: (raw.flags ?? []).includes("UP"),
        alias: raw.ifalias,
        master: raw.master,
        mac: (raw.address ?? "").toLowerCase(),
        addresses,
        stp: stp === undefined ? undefined : stp !== 0,
    };
}

/** One route as `ip -j route show` reports it. */
export interface RouteState {
    readonly destination: string;
    readonly via?: string;
    readonly device?: string;
    readonly metric: number;
    readonly protocol: string;
}

interface RawRoute {
    dst: string;
    gateway?: string;
    dev?: string;
    metric?: number;
    protocol?: string;
}

/** Parses `ip -j route show ...` output. */
export function parseRoutes(json: string): RouteState[] {
    const routes = JSON.parse(json || "[]") as RawRoute[];
    return routes.map((r) => ({
        destination: r.dst,
        via: r.gateway === undefined ? undefined : canonicalIp(r.gateway),
        device: r.dev,
        metric: r.metric ?? 0,
        protocol: String(r.protocol ?? ""),
    }));
}

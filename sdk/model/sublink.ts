import { canonicalIp, interfaceAddressError, ipAddressError } from "./addresses";
import { CheckResult, addresses, readManaged } from "./checks";
import { Failures, show } from "./failures";
import { InputReader } from "./inputs";
import { macError, mtuError } from "./link-properties";
import { interfaceNameError, namespaceNameError } from "./names";
import { ManagedSpec } from "./specs";

/**
 * macvlan and ipvlan: an interface stacked on a parent (the host's uplink),
 * moved into a namespace, with an address on the parent's own network.
 * Traffic between it and the outside does not pass the host's forward path,
 * so netplumb's nftables policies cannot apply to it.
 */
export type SublinkKind = "macvlan" | "ipvlan";

/** Each kind's modes, as `ip link add … type KIND mode MODE` takes them. */
export const MODES: Record<SublinkKind, readonly string[]> = {
    macvlan: ["bridge", "private", "vepa", "passthru", "source"],
    ipvlan: ["l2", "l3", "l3s"],
};

/** The default mode: macvlan's bridge (siblings talk directly), ipvlan's l2. */
export const DEFAULT_MODE: Record<SublinkKind, string> = { macvlan: "bridge", ipvlan: "l2" };

/** Sublink's inputs once checked: what its provider works from. */
export interface SublinkSpec extends ManagedSpec {
    readonly kind: SublinkKind;
    /** The interface's name inside `namespace`. */
    readonly name: string;
    /** The namespace it is moved into (a member's). */
    readonly namespace: string;
    /** The parent interface, in the host's namespace. */
    readonly parent: string;
    readonly mode: string;
    /** Addresses with prefix length, canonical, sorted. */
    readonly addresses: readonly string[];
    /** Default route via this gateway, when given. */
    readonly gateway?: string;
    readonly mtu?: number;
    /** macvlan only: the interface's MAC (ipvlan shares the parent's). */
    readonly mac?: string;
}

/** Validates a Macvlan or Ipvlan resource's inputs. */
export function checkSublink(kind: SublinkKind, raw: Record<string, unknown>): CheckResult<SublinkSpec> {
    const r = new InputReader(raw, "", new Failures());
    const modeValue = r.optionalString("mode") ?? DEFAULT_MODE[kind];
    if (!MODES[kind].includes(modeValue)) r.failures.add("mode", `${show(modeValue)} is not a ${kind} mode; use one of ${MODES[kind].join(", ")}`);
    const list = addresses(r.strings("addresses", interfaceAddressError));
    const gateway = r.optionalString("gateway", ipAddressError);
    const mac = r.optionalString("mac", macError)?.toLowerCase();
    if (kind === "ipvlan" && mac !== undefined) r.failures.add("mac", "an ipvlan interface has its parent's MAC; leave mac out, or use a Macvlan");
    const spec: SublinkSpec = {
        ...readManaged(r),
        kind,
        name: r.string("name", interfaceNameError) ?? "",
        namespace: r.string("namespace", namespaceNameError) ?? "",
        parent: r.string("parent", interfaceNameError) ?? "",
        mode: modeValue,
        addresses: list,
        gateway: gateway !== undefined && ipAddressError(gateway) === undefined ? canonicalIp(gateway) : gateway,
        mtu: r.number("mtu", (v) => mtuError(v, false)),
        mac,
    };
    return { spec, failures: [...r.failures.all] };
}

/**
 * `ip link add` creating the interface directly in its namespace.
 * Equivalent to: `ip link add link PARENT name NAME netns NS [address MAC] [mtu M] type KIND mode MODE`.
 */
export function sublinkAddArgs(spec: SublinkSpec): string[] {
    const mac = spec.mac ? ["address", spec.mac] : [];
    const mtu = spec.mtu === undefined ? [] : ["mtu", String(spec.mtu)];
    return ["link", "add", "link", spec.parent, "name", spec.name, "netns", spec.namespace, ...mac, ...mtu, "type", spec.kind, "mode", spec.mode];
}

/** The interface's kind and mode as `ip -j -d link show` reports them (undefined: another kind, or gone). */
export function parseSublinkMode(json: string, kind: SublinkKind): string | undefined {
    const [raw] = JSON.parse(json || "[]") as Array<{ linkinfo?: { info_kind?: string; info_data?: { mode?: string } } }>;
    if (raw?.linkinfo?.info_kind !== kind) return undefined;
    return raw.linkinfo.info_data?.mode ?? DEFAULT_MODE[kind];
}

import { createHash } from "crypto";
import { CheckResult, readManaged } from "./checks";
import { Failures, show } from "./failures";
import { InputReader } from "./inputs";
import { interfaceNameError, namespaceNameError } from "./names";
import { ManagedSpec } from "./specs";
import { isUnknown } from "./unknown";

/** How one direction of an interface's traffic is shaped. */
export interface DirectionShaping {
    /** Rate in bits per second (TBF). */
    readonly rate: number;
    /** Bucket size in bytes: how much may pass at line rate before the rate holds. */
    readonly burst: number;
    /** Longest a packet may wait in the bucket's queue, in milliseconds (TBF's `latency`). */
    readonly latency: number;
    /** Added delay in milliseconds (netem). */
    readonly delay?: number;
    /** Variation of that delay in milliseconds (netem). */
    readonly jitter?: number;
    /** Share of packets dropped, in percent (netem). */
    readonly loss?: number;
}

/** Shaping of one interface's traffic, both directions, all of it on the host side. */
export interface ShapingSpec extends ManagedSpec {
    /** The interface, e.g. a member's host-side veth end. */
    readonly interface: string;
    /** Namespace holding it; undefined: the host's own. */
    readonly namespace?: string;
    /** Traffic leaving the interface (towards a member, for its host-side end): a root TBF on it. */
    readonly outbound?: DirectionShaping;
    /** Traffic arriving on it (from a member): redirected to an IFB device, shaped by a TBF there. */
    readonly inbound?: DirectionShaping;
    /** The IFB device carrying inbound traffic (`ifb-<hash>`), made when `inbound` is given. */
    readonly ifb: string;
}

const UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

/** Bits per second of a rate given as a number (bits per second) or as tc writes it (`"10mbit"`, `"512kbit"`); undefined when malformed. */
export function parseRate(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) && value >= 8 ? Math.round(value) : undefined;
    if (typeof value !== "string") return undefined;
    const match = /^(\d+(?:\.\d+)?)\s*(bit|kbit|mbit|gbit)$/i.exec(value.trim());
    if (!match) return undefined;
    const bits = Math.round(Number(match[1]) * UNITS[match[2].toLowerCase()]);
    return bits >= 8 ? bits : undefined;
}

/** The default bucket: 10 ms at the rate, at least two 1500-byte frames. */
export function defaultBurst(rate: number): number {
    return Math.max(Math.ceil(rate / 8 / 100), 3000);
}

/** The IFB device's name for an interface: stable, at most 15 bytes. */
export function ifbName(namespace: string | undefined, iface: string): string {
    return `ifb-${createHash("sha256")
        .update(`${namespace ?? ""}/${iface}`)
        .digest("hex")
        .slice(0, 8)}`;
}

function checkDirection(r: InputReader, key: "outbound" | "inbound"): DirectionShaping | undefined {
    if (!r.has(key)) return undefined;
    const d = r.object(key);
    const rawRate = d.value("rate");
    const rate = isUnknown(rawRate) ? 0 : parseRate(rawRate);
    if (rate === undefined)
        d.failures.add(d.path("rate"), `rate ${show(rawRate)} is not a rate; give bits per second (10000000) or tc's notation ("10mbit", "512kbit")`);
    const whole = (low: number, high: number, unit: string) => (v: unknown) =>
        typeof v === "number" && Number.isInteger(v) && v >= low && v <= high
            ? undefined
            : `${show(v)} is not a whole number of ${unit} from ${low} to ${high}`;
    const burst = d.number("burst", whole(1500, 1 << 30, "bytes")) ?? defaultBurst(rate ?? 0);
    const latency = d.number("latency", whole(1, 10_000, "milliseconds")) ?? 50;
    const delay = d.number("delay", whole(0, 60_000, "milliseconds"));
    const jitter = d.number("jitter", whole(0, 60_000, "milliseconds"));
    const loss = d.number("loss", (v) => (typeof v === "number" && v >= 0 && v <= 100 ? undefined : `loss ${show(v)} is not a percentage from 0 to 100`));
    if (jitter !== undefined && delay === undefined) d.failures.add(d.path("jitter"), "jitter varies a delay; give delay too");
    return { rate: rate ?? 0, burst, latency, delay, jitter, loss };
}

/** Validates a TrafficShaping resource's inputs. Defaults: burst 10 ms at the rate (at least 3000 bytes), latency 50 ms. */
export function checkShaping(raw: Record<string, unknown>): CheckResult<ShapingSpec> {
    const r = new InputReader(raw, "", new Failures());
    const iface = r.string("interface", interfaceNameError) ?? "";
    const namespace = r.optionalString("namespace", namespaceNameError);
    const outbound = checkDirection(r, "outbound");
    const inbound = checkDirection(r, "inbound");
    if (!outbound && !inbound)
        r.failures.add("outbound", 'neither outbound nor inbound is given: shape at least one direction, e.g. outbound: { rate: "10mbit" }');
    const spec: ShapingSpec = { ...readManaged(r), interface: iface, namespace, outbound, inbound, ifb: ifbName(namespace, iface) };
    return { spec, failures: [...r.failures.all] };
}

/** Whether a direction needs netem (delay, jitter or loss), which this kernel may lack. */
export function needsNetem(d: DirectionShaping | undefined): boolean {
    return d !== undefined && (d.delay !== undefined || d.loss !== undefined);
}

/**
 * The `tc` lines (for `tc -batch -`) that shape `dev` as `d`: a root TBF,
 * or with delay/loss a root netem with the TBF as its child. `replace`
 * makes them idempotent. Equivalent to: `tc qdisc replace dev DEV root handle 1: tbf rate Rbit burst B latency Lms` (or `… root handle 1: netem delay Dms Jms loss P%` and `… parent 1: handle 2: tbf …`).
 */
export function directionCommands(dev: string, d: DirectionShaping): string[][] {
    const tbf = ["tbf", "rate", `${d.rate}bit`, "burst", String(d.burst), "latency", `${d.latency}ms`];
    if (!needsNetem(d)) return [["qdisc", "replace", "dev", dev, "root", "handle", "1:", ...tbf]];
    const delay = d.delay === undefined ? [] : ["delay", `${d.delay}ms`, ...(d.jitter === undefined ? [] : [`${d.jitter}ms`])];
    const loss = d.loss === undefined ? [] : ["loss", `${d.loss}%`];
    return [
        ["qdisc", "replace", "dev", dev, "root", "handle", "1:", "netem", ...delay, ...loss],
        ["qdisc", "replace", "dev", dev, "parent", "1:", "handle", "2:", ...tbf],
    ];
}

/**
 * The `tc` lines redirecting everything arriving on `dev` to `ifb`: an
 * ingress qdisc and a match-all u32 filter with a mirred action.
 * Equivalent to: `tc qdisc replace dev DEV handle ffff: ingress`, `tc filter replace dev DEV parent ffff: protocol all prio 1 u32 match u32 0 0 action mirred egress redirect dev IFB`.
 */
export function redirectCommands(dev: string, ifb: string): string[][] {
    return [
        ["qdisc", "replace", "dev", dev, "handle", "ffff:", "ingress"],
        [
            "filter",
            "replace",
            "dev",
            dev,
            "parent",
            "ffff:",
            "protocol",
            "all",
            "prio",
            "1",
            "handle",
            "800::1",
            "u32",
            "match",
            "u32",
            "0",
            "0",
            "action",
            "mirred",
            "egress",
            "redirect",
            "dev",
            ifb,
        ],
    ];
}

/** A direction as `tc -j qdisc show dev DEV` reports it (the TBF's rate and burst, netem's delay and loss), undefined when not shaped. */
export function parseDirection(json: string): (Pick<DirectionShaping, "rate" | "burst"> & { readonly netem: boolean }) | undefined {
    const qdiscs = JSON.parse(json || "[]") as Array<{ kind?: string; options?: { rate?: number; burst?: number } }>;
    const tbf = qdiscs.find((q) => q.kind === "tbf");
    if (!tbf?.options?.rate) return undefined;
    return { rate: tbf.options.rate * 8, burst: tbf.options.burst ?? 0, netem: qdiscs.some((q) => q.kind === "netem") };
}

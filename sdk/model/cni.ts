import { IPv4, IPv6 } from "ip-num";
import { canonicalIp, interfaceAddressError, ipAddressError, parseInterfaceAddress, subnetContains } from "./addresses";
import { CheckResult, readManaged } from "./checks";
import { Failures, show } from "./failures";
import { InputReader } from "./inputs";
import { overlaps, subnetOf } from "./ipam";
import { interfaceNameError } from "./names";
import { ManagedSpec } from "./specs";

/** CNI specification versions netplumb writes without a note. */
export const CNI_VERSIONS = ["1.0.0", "1.1.0"] as const;
/** Older versions still accepted (the guide's configurations use them), with a note at preview. */
export const LEGACY_CNI_VERSIONS = ["0.3.0", "0.3.1", "0.4.0"] as const;
/** Where runtimes read network configurations by default. */
export const CNI_CONF_DIR = "/etc/cni/net.d";
/** Where runtimes look for plugins by default. */
export const CNI_BIN_DIR = "/opt/cni/bin";

/** One plugin of a configuration list: its `type` (the binary's name) and its own keys. */
export type CniPluginConfig = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A CniNetwork's inputs once checked. */
export interface CniNetworkSpec extends ManagedSpec {
    /** The network's name (CNI: letters, digits, '_', '.', '-'; starting with a letter or digit). */
    readonly name: string;
    readonly cniVersion: string;
    /** The file's priority prefix, 0-99: `<dir>/<NN>-<name>.conflist`. Runtimes take the first file in lexical order. */
    readonly priority: number;
    readonly dir: string;
    readonly binDir: string;
    readonly disableCheck: boolean;
    readonly plugins: readonly CniPluginConfig[];
}

/** Plugins that make the container's interface: what may come first in a list. */
const INTERFACE_PLUGINS = [
    "bridge",
    "macvlan",
    "ipvlan",
    "ptp",
    "host-device",
    "loopback",
    "vlan",
    "flannel",
    "calico",
    "weave-net",
    "cilium-cni",
    "multus",
    "multus-shim",
];
/** Plugins that only adjust what an earlier one made. */
const CHAINED_PLUGINS = ["portmap", "firewall", "bandwidth", "tuning", "sbr", "vrf"];

const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PLUGIN_TYPE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function networkNameError(v: unknown): string | undefined {
    if (typeof v === "string" && NETWORK_NAME.test(v) && v.length <= 200) return undefined;
    return `network name ${show(v)} must start with a letter or digit and hold only letters, digits, '_', '.' and '-' (the CNI specification's rule)`;
}

function absolutePathError(v: unknown): string | undefined {
    if (typeof v === "string" && v.startsWith("/") && !v.split("/").includes("..") && !/[\0\n]/.test(v)) return undefined;
    return `${show(v)} is not an absolute path without '..'`;
}

/** The file a network is written to: `<dir>/<NN>-<name>.conflist`. */
export function conflistPath(spec: Pick<CniNetworkSpec, "dir" | "priority" | "name">): string {
    return `${spec.dir.replace(/\/+$/, "")}/${String(spec.priority).padStart(2, "0")}-${spec.name}.conflist`;
}

/** The key of the file naming its owner (ignored by runtimes: they read `name`, `cniVersion`, `disableCheck`, `plugins`). */
export const OWNER_KEY = "netplumbOwner";

/** The configuration list as written: stable key order, two-space indents, a final newline. */
export function renderConflist(spec: CniNetworkSpec): string {
    const list = {
        cniVersion: spec.cniVersion,
        name: spec.name,
        ...(spec.disableCheck ? { disableCheck: true } : {}),
        plugins: spec.plugins,
        [OWNER_KEY]: spec.owner,
    };
    return `${JSON.stringify(list, null, 2)}\n`;
}

function checkRange(raw: unknown, path: string, failures: Failures): string | undefined {
    const range = (raw ?? {}) as Record<string, unknown>;
    const subnetError = interfaceAddressError(range.subnet);
    if (subnetError !== undefined) {
        failures.add(`${path}.subnet`, subnetError);
        return undefined;
    }
    const subnet = parseInterfaceAddress(range.subnet as string);
    for (const key of ["rangeStart", "rangeEnd", "gateway"]) {
        if (range[key] === undefined) continue;
        const error = ipAddressError(range[key]);
        if (error !== undefined) failures.add(`${path}.${key}`, error);
        else if (!subnetContains(subnet, range[key] as string))
            failures.add(`${path}.${key}`, `${show(range[key])} is not inside the range's subnet ${show(range.subnet)}`);
    }
    const start = range.rangeStart as string | undefined;
    const end = range.rangeEnd as string | undefined;
    if (start && end && ipAddressError(start) === undefined && ipAddressError(end) === undefined && ordinal(start) > ordinal(end)) {
        failures.add(`${path}.rangeStart`, `rangeStart ${start} comes after rangeEnd ${end}`);
    }
    return subnetOf(range.subnet as string);
}

/** An address as a number, for ordering within a family. */
function ordinal(ip: string): bigint {
    return ip.includes(":") ? new IPv6(canonicalIp(ip)).value : new IPv4(ip).value;
}

function checkRoutes(raw: unknown, path: string, failures: Failures): void {
    if (raw === undefined) return;
    if (!Array.isArray(raw)) return failures.add(path, `routes must be a list such as [{ dst: "0.0.0.0/0" }]`);
    raw.forEach((route: Record<string, unknown>, i) => {
        failures.check(`${path}[${i}].dst`, interfaceAddressError(route?.dst));
        if (route?.gw !== undefined) failures.check(`${path}[${i}].gw`, ipAddressError(route.gw));
    });
}

/** Checks an `ipam` section; returns the subnets it hands addresses from (host-local ranges, static addresses). */
export function checkIpam(raw: unknown, path: string, failures: Failures): string[] {
    if (raw === undefined) return [];
    const ipam = raw as Record<string, unknown>;
    const subnets: string[] = [];
    if (ipam.type === "host-local") {
        if (!Array.isArray(ipam.ranges) || ipam.ranges.length === 0) {
            failures.add(`${path}.ranges`, `host-local needs ranges, e.g. [[{ subnet: "10.22.0.0/16" }]] (a list of range sets)`);
        } else {
            ipam.ranges.forEach((set: unknown, i) => {
                if (!Array.isArray(set)) return failures.add(`${path}.ranges[${i}]`, "each range set is a list of ranges");
                set.forEach((range, j) => {
                    const subnet = checkRange(range, `${path}.ranges[${i}][${j}]`, failures);
                    if (subnet === undefined) return;
                    const clash = subnets.find((s) => overlaps(s, subnet));
                    if (clash) failures.add(`${path}.ranges[${i}][${j}].subnet`, `${subnet} overlaps ${clash}, another range of this network`);
                    subnets.push(subnet);
                });
            });
        }
        if (ipam.dataDir !== undefined) failures.check(`${path}.dataDir`, absolutePathError(ipam.dataDir));
    } else if (ipam.type === "static") {
        const addresses = Array.isArray(ipam.addresses) ? (ipam.addresses as Array<Record<string, unknown>>) : [];
        if (addresses.length === 0) failures.add(`${path}.addresses`, `static needs addresses, e.g. [{ address: "10.10.0.1/24", gateway: "10.10.0.254" }]`);
        addresses.forEach((a, i) => {
            const error = interfaceAddressError(a?.address);
            if (error !== undefined) return failures.add(`${path}.addresses[${i}].address`, error);
            if (a.gateway !== undefined) {
                if (ipAddressError(a.gateway) !== undefined) failures.add(`${path}.addresses[${i}].gateway`, ipAddressError(a.gateway)!);
                else if (!subnetContains(parseInterfaceAddress(a.address as string), a.gateway as string)) {
                    failures.add(`${path}.addresses[${i}].gateway`, `${show(a.gateway)} is not inside ${show(a.address)}'s subnet`);
                }
            }
            subnets.push(subnetOf(a.address as string));
        });
    } else if (typeof ipam.type !== "string" || !PLUGIN_TYPE.test(ipam.type)) {
        failures.add(`${path}.type`, `ipam type ${show(ipam.type)} is not a plugin name; use "host-local", "static" or another IPAM plugin's`);
    }
    checkRoutes(ipam.routes, `${path}.routes`, failures);
    return subnets;
}

function positiveInteger(v: unknown): boolean {
    return typeof v === "number" && Number.isInteger(v) && v > 0;
}

/** Checks what the reference plugins require of their own keys. */
function checkPluginKeys(plugin: CniPluginConfig, path: string, failures: Failures): void {
    if (plugin.type === "bridge" && plugin.bridge !== undefined) failures.check(`${path}.bridge`, interfaceNameError(plugin.bridge));
    if ((plugin.type === "macvlan" || plugin.type === "ipvlan") && plugin.master !== undefined)
        failures.check(`${path}.master`, interfaceNameError(plugin.master));
    if (plugin.mtu !== undefined && !(positiveInteger(plugin.mtu) && (plugin.mtu as number) >= 68 && (plugin.mtu as number) <= 65535)) {
        failures.add(`${path}.mtu`, `MTU ${show(plugin.mtu)} is not a whole number from 68 to 65535`);
    }
    if (plugin.type === "bandwidth") {
        for (const key of ["ingressRate", "ingressBurst", "egressRate", "egressBurst"]) {
            if (plugin[key] !== undefined && !positiveInteger(plugin[key]))
                failures.add(`${path}.${key}`, `${key} ${show(plugin[key])} is not a positive whole number (bits per second, bits)`);
        }
        if (
            (plugin.ingressRate === undefined) !== (plugin.ingressBurst === undefined) ||
            (plugin.egressRate === undefined) !== (plugin.egressBurst === undefined)
        ) {
            failures.add(path, "bandwidth needs a rate and a burst together for each direction it limits");
        }
    }
    if (plugin.type === "macvlan" && plugin.mode !== undefined && !["bridge", "private", "vepa", "passthru"].includes(plugin.mode as string)) {
        failures.add(`${path}.mode`, `macvlan mode ${show(plugin.mode)} is not one of bridge, private, vepa, passthru`);
    }
}

/** Checks the plugin list; returns the subnets its IPAM sections hand out. */
function checkPlugins(raw: unknown, failures: Failures): { plugins: CniPluginConfig[]; subnets: string[] } {
    if (!Array.isArray(raw) || raw.length === 0) {
        failures.add(
            "plugins",
            `plugins must be a non-empty list, e.g. [{ type: "bridge", bridge: "cni0", ipam: { type: "host-local", ranges: [[{ subnet: "10.22.0.0/16" }]] } }]`,
        );
        return { plugins: [], subnets: [] };
    }
    const subnets: string[] = [];
    const plugins = raw as CniPluginConfig[];
    plugins.forEach((plugin, i) => {
        const path = `plugins[${i}]`;
        if (plugin === null || typeof plugin !== "object" || typeof plugin.type !== "string" || !PLUGIN_TYPE.test(plugin.type)) {
            return failures.add(`${path}.type`, `plugin type ${show(plugin?.type)} must be a plugin binary's name: letters, digits, '_', '.', '-' (no '/')`);
        }
        if (i === 0 && CHAINED_PLUGINS.includes(plugin.type)) {
            failures.add(
                `${path}.type`,
                `${plugin.type} only adjusts what an earlier plugin made, so it cannot come first; start with one of ${INTERFACE_PLUGINS.slice(0, 6).join(", ")}`,
            );
        }
        if (i > 0 && plugin.type === plugins[0].type) failures.add(`${path}.type`, `${plugin.type} is already the first plugin`);
        checkPluginKeys(plugin, path, failures);
        subnets.push(...checkIpam(plugin.ipam, `${path}.ipam`, failures));
    });
    return { plugins, subnets };
}

/** Validates a CniNetwork's inputs. Defaults: cniVersion 1.0.0, priority 10, dir /etc/cni/net.d, binDir /opt/cni/bin. */
export function checkCniNetwork(raw: Record<string, unknown>): CheckResult<CniNetworkSpec> {
    const failures = new Failures();
    const r = new InputReader(raw, "", failures);
    const cniVersion = r.optionalString("cniVersion") ?? "1.0.0";
    if (![...CNI_VERSIONS, ...LEGACY_CNI_VERSIONS].includes(cniVersion as never)) {
        failures.add(
            "cniVersion",
            `cniVersion ${show(cniVersion)} is not one netplumb writes; use ${CNI_VERSIONS.join(" or ")} (${LEGACY_CNI_VERSIONS.join(", ")} accepted for older runtimes)`,
        );
    }
    const priority =
        raw.priority === undefined
            ? 10
            : (r.number("priority", (v) =>
                  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 99 ? undefined : `priority ${show(v)} is not a whole number from 0 to 99`,
              ) ?? 10);
    const { plugins } = checkPlugins(raw.plugins, failures);
    const spec: CniNetworkSpec = {
        ...readManaged(r),
        name: r.string("name", networkNameError) ?? "",
        cniVersion,
        priority,
        dir: r.optionalString("dir", absolutePathError) ?? CNI_CONF_DIR,
        binDir: r.optionalString("binDir", absolutePathError) ?? CNI_BIN_DIR,
        disableCheck: r.boolean("disableCheck", false),
        plugins,
    };
    return { spec, failures: failures.all };
}

/** The subnets a configuration list's IPAM sections hand out (for the check against the host's other networks). */
export function subnetsOf(plugins: readonly unknown[]): string[] {
    const failures = new Failures();
    return plugins.flatMap((p, i) => checkIpam((p as Record<string, unknown>)?.ipam, `plugins[${i}].ipam`, failures));
}

/** A configuration file found on the host, as far as the checks at `up` need it. */
export interface FoundConfig {
    readonly file: string;
    readonly text: string;
}

/**
 * Why this network cannot join the host's others (undefined: it can): its
 * priority prefix is another file's, or its ranges overlap another
 * network's. `own` is this network's file (skipped).
 */
export function conflictWithOthers(spec: CniNetworkSpec, found: readonly FoundConfig[]): string | undefined {
    const own = conflistPath(spec);
    const prefix = `${String(spec.priority).padStart(2, "0")}-`;
    const mine = subnetsOf(spec.plugins);
    for (const other of found) {
        if (other.file === own) continue;
        const base = other.file.slice(other.file.lastIndexOf("/") + 1);
        if (base.startsWith(prefix)) return `priority ${spec.priority} is taken by ${other.file}; give this network another priority (0-99)`;
        let parsed: { plugins?: unknown[]; ipam?: unknown };
        try {
            parsed = JSON.parse(other.text) as typeof parsed;
        } catch {
            continue; // not ours to judge; the runtime will say so
        }
        const theirs = subnetsOf(parsed.plugins ?? [parsed]);
        for (const a of mine) {
            const b = theirs.find((s) => overlaps(a, s));
            if (b !== undefined) return `range ${a} overlaps ${b} of ${other.file}; give this network a range of its own`;
        }
    }
    return undefined;
}

import { interfaceAddressError } from "./addresses";
import { CheckResult, readManaged } from "./checks";
import { CniPluginConfig, checkCniNetwork } from "./cni";
import { Failures, show } from "./failures";
import { InputReader } from "./inputs";
import { interfaceNameError, namespaceNameError } from "./names";
import { ManagedSpec } from "./specs";

/** What a runtime asks a plugin to do (CNI_COMMAND). */
export type CniCommand = "ADD" | "CHECK" | "DEL" | "GC" | "VERSION";

/** A port mapping the runtime passes to plugins declaring the `portMappings` capability (portmap). */
export interface CniPortMapping {
    readonly hostPort: number;
    readonly containerPort: number;
    /** Default "tcp". */
    readonly protocol?: "tcp" | "udp";
    readonly hostIP?: string;
}

/** Capabilities a runtime passes as `runtimeConfig` to the plugins that declare them. */
export interface CniCapabilities {
    readonly portMappings?: readonly CniPortMapping[];
    /** Rates in bits per second, bursts in bits (the bandwidth plugin). */
    readonly bandwidth?: { readonly ingressRate?: number; readonly ingressBurst?: number; readonly egressRate?: number; readonly egressBurst?: number };
    /** Addresses asked of IPAM, with prefix: ["10.22.0.50/24"]. */
    readonly ips?: readonly string[];
    readonly mac?: string;
}

/** The network an attachment joins: what its configuration list says. */
export interface CniNetworkRef {
    readonly name: string;
    readonly cniVersion: string;
    readonly plugins: readonly CniPluginConfig[];
    readonly binDir: string;
}

/** A CniAttachment's inputs once checked. */
export interface CniAttachmentSpec extends ManagedSpec {
    readonly network: CniNetworkRef;
    /** The namespace attached (`/run/netns/<namespace>` is CNI_NETNS). */
    readonly namespace: string;
    /** CNI_IFNAME. */
    readonly ifName: string;
    /** CNI_CONTAINERID. */
    readonly containerId: string;
    /** CNI_ARGS, as key/value pairs. */
    readonly args: readonly (readonly [string, string])[];
    readonly capabilities: CniCapabilities;
}

/** A plugin's result (CNI 1.0.0): interfaces, addresses, routes, DNS. */
export interface CniResult {
    readonly cniVersion?: string;
    readonly interfaces?: ReadonlyArray<{ readonly name: string; readonly mac?: string; readonly sandbox?: string }>;
    readonly ips?: ReadonlyArray<{ readonly address: string; readonly gateway?: string; readonly interface?: number }>;
    readonly routes?: ReadonlyArray<{ readonly dst: string; readonly gw?: string }>;
    readonly dns?: { readonly nameservers?: readonly string[]; readonly domain?: string; readonly search?: readonly string[] };
}

const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const ARG_PART = /^[A-Za-z0-9_.:/-]+$/;

/**
 * The configuration one plugin of a list gets on standard input, as libcni
 * builds it: the plugin's own keys, the list's `name` and `cniVersion`, a
 * `runtimeConfig` holding the capabilities the plugin declares and the
 * runtime supplies, and the previous result when there is one.
 */
export function pluginConfig(network: CniNetworkRef, plugin: CniPluginConfig, capabilities: CniCapabilities, prevResult?: CniResult): Record<string, unknown> {
    const declared = (plugin.capabilities ?? {}) as Record<string, unknown>;
    const runtimeConfig = Object.fromEntries(Object.entries(capabilities).filter(([key, value]) => declared[key] === true && value !== undefined));
    return {
        ...plugin,
        name: network.name,
        cniVersion: network.cniVersion,
        ...(Object.keys(runtimeConfig).length > 0 ? { runtimeConfig } : {}),
        ...(prevResult !== undefined ? { prevResult } : {}),
    };
}

/** The plugin binary's path. */
export function pluginPath(binDir: string, type: string): string {
    return `${binDir.replace(/\/+$/, "")}/${type}`;
}

/**
 * The argv that runs one plugin as a runtime does: its environment set by
 * `env` (no shell), its configuration on standard input. PATH keeps the
 * usual system directories (portmap and firewall call iptables).
 */
export function pluginArgv(
    spec: Pick<CniAttachmentSpec, "network" | "namespace" | "ifName" | "containerId" | "args">,
    type: string,
    command: CniCommand,
): string[] {
    return [
        "env",
        `CNI_COMMAND=${command}`,
        `CNI_CONTAINERID=${spec.containerId}`,
        `CNI_NETNS=/run/netns/${spec.namespace}`,
        `CNI_IFNAME=${spec.ifName}`,
        `CNI_ARGS=${spec.args.map(([k, v]) => `${k}=${v}`).join(";")}`,
        `CNI_PATH=${spec.network.binDir}`,
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        pluginPath(spec.network.binDir, type),
    ];
}

/** A plugin's error as one sentence: the CNI error object's code, message and details when it printed one. */
export function pluginFailure(type: string, command: CniCommand, stdout: string, stderr: string): string {
    try {
        const error = JSON.parse(stdout) as { code?: number; msg?: string; details?: string };
        if (typeof error.msg === "string") {
            return `CNI plugin ${type} failed ${command} (code ${error.code ?? "?"}): ${error.msg}${error.details ? `: ${error.details}` : ""}`;
        }
    } catch {
        // not a CNI error object
    }
    const text = (stderr || stdout).trim().split("\n").slice(-3).join(" ");
    return `CNI plugin ${type} failed ${command}: ${text || "no message"}`;
}

/** The result a plugin printed (ADD), or an error naming it when it is not one. */
export function parseResult(type: string, stdout: string): CniResult {
    try {
        const result = JSON.parse(stdout) as CniResult;
        if (result !== null && typeof result === "object") return result;
    } catch {
        // fall through
    }
    throw new Error(`CNI plugin ${type} printed no result on ADD: ${JSON.stringify(stdout.slice(0, 200))}`);
}

/** The CNI versions a plugin's VERSION answer lists (`supportedVersions`). */
export function supportedVersions(stdout: string): string[] {
    try {
        const answer = JSON.parse(stdout) as { supportedVersions?: unknown };
        return Array.isArray(answer.supportedVersions) ? answer.supportedVersions.filter((v): v is string => typeof v === "string") : [];
    } catch {
        return [];
    }
}

function checkCapabilities(raw: unknown, failures: Failures): CniCapabilities {
    if (raw === undefined) return {};
    const c = raw as Record<string, unknown>;
    const port = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 65535;
    const mappings = c.portMappings === undefined ? undefined : Array.isArray(c.portMappings) ? (c.portMappings as CniPortMapping[]) : [];
    (mappings ?? []).forEach((m, i) => {
        for (const key of ["hostPort", "containerPort"] as const) {
            if (!port(m?.[key])) failures.add(`capabilities.portMappings[${i}].${key}`, `${key} ${show(m?.[key])} is not a whole number from 1 to 65535`);
        }
        if (m?.protocol !== undefined && m.protocol !== "tcp" && m.protocol !== "udp")
            failures.add(`capabilities.portMappings[${i}].protocol`, `protocol ${show(m.protocol)} is not "tcp" or "udp"`);
    });
    const ips = Array.isArray(c.ips) ? (c.ips as string[]) : undefined;
    (ips ?? []).forEach((ip, i) => failures.check(`capabilities.ips[${i}]`, interfaceAddressError(ip)));
    if (c.mac !== undefined && !(typeof c.mac === "string" && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(c.mac))) {
        failures.add("capabilities.mac", `${show(c.mac)} is not a MAC address such as "02:42:ac:11:00:02"`);
    }
    return {
        // Runtimes always fill in the protocol (portmap refuses a mapping without one).
        ...(mappings ? { portMappings: mappings.map((m) => ({ ...m, protocol: m?.protocol ?? "tcp" })) } : {}),
        ...(c.bandwidth !== undefined ? { bandwidth: c.bandwidth as CniCapabilities["bandwidth"] } : {}),
        ...(ips ? { ips } : {}),
        ...(c.mac !== undefined ? { mac: c.mac as string } : {}),
    };
}

/** Validates a CniAttachment's inputs. Defaults: ifName eth0, containerId derived from the owner tag, no CNI_ARGS. */
export function checkCniAttachment(raw: Record<string, unknown>): CheckResult<CniAttachmentSpec> {
    const failures = new Failures();
    const r = new InputReader(raw, "", failures);
    const network = (raw.network ?? {}) as Record<string, unknown>;
    const checked = checkCniNetwork({ owner: raw.owner, host: raw.host, adopt: false, ...network });
    for (const f of checked.failures) if (f.property !== "owner") failures.add(`network.${f.property}`, f.reason);
    const managed = readManaged(r);
    const containerId =
        r.optionalString("containerId", (v) =>
            typeof v === "string" && CONTAINER_ID.test(v)
                ? undefined
                : `container id ${show(v)} must start with a letter or digit and hold only letters, digits, '_', '.' and '-'`,
        ) ?? defaultContainerId(managed.owner);
    const args = Array.isArray(raw.args) ? (raw.args as Array<[string, string]>) : [];
    args.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => typeof p === "string" && ARG_PART.test(p))) {
            failures.add(`args[${i}]`, `${show(pair)} must be a [key, value] pair of letters, digits and _.:/- (CNI_ARGS joins them with '=' and ';')`);
        }
    });
    const spec: CniAttachmentSpec = {
        ...managed,
        network: { name: checked.spec.name, cniVersion: checked.spec.cniVersion, plugins: checked.spec.plugins, binDir: checked.spec.binDir },
        namespace: r.string("namespace", namespaceNameError) ?? "",
        ifName: r.optionalString("ifName", interfaceNameError) ?? "eth0",
        containerId,
        args: args.map(([k, v]) => [k, v] as const),
        capabilities: checkCapabilities(raw.capabilities, failures),
    };
    return { spec, failures: failures.all };
}

/** A container id from the owner tag: `netplumb-` and the tag's letters, digits and dots (stable for the resource). */
export function defaultContainerId(owner: string): string {
    return `netplumb-${owner.replace(/^netplumb:/, "").replace(/[^A-Za-z0-9_.-]/g, "-")}`.slice(0, 200);
}

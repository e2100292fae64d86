import { Target, hostFor } from "../host/target";
import { CniAttachmentSpec, CniCommand, CniResult, parseResult, pluginArgv, pluginConfig, pluginFailure, supportedVersions } from "../model/cni-exec";
import { CniPluginConfig } from "../model/cni";
import { namespaceExists } from "./namespace";

/** What an attachment holds besides its inputs: the result of ADD (what CHECK and DEL are given), and drift found by refresh. */
export interface CniAttachmentState extends CniAttachmentSpec {
    readonly result?: CniResult;
    readonly drift?: string;
}

/** Plugins run in the host's namespace (where the bridge and the host's rules are), as a runtime runs them. */
function target(spec: Pick<CniAttachmentSpec, "host">): Target {
    return new Target(hostFor(spec.host), spec.host.netns);
}

/** Runs one plugin of the list; returns its standard output, or throws the plugin's error as a sentence. */
async function runPlugin(t: Target, spec: CniAttachmentSpec, plugin: CniPluginConfig, command: CniCommand, prevResult?: CniResult): Promise<string> {
    const input = JSON.stringify(pluginConfig(spec.network, plugin, spec.capabilities, prevResult));
    const result = await t.host.exec(t.execArgv(pluginArgv(spec, plugin.type, command)), { input });
    if (result.code !== 0) throw new Error(pluginFailure(plugin.type, command, result.stdout, result.stderr));
    return result.stdout;
}

/**
 * DEL for the whole list in reverse order, each plugin given the cached
 * result; every plugin is asked even when an earlier one fails (DEL must
 * tolerate what is already gone). Returns the failures.
 */
async function deleteAll(t: Target, spec: CniAttachmentSpec, result: CniResult | undefined): Promise<string[]> {
    const failures: string[] = [];
    for (const plugin of [...spec.network.plugins].reverse()) {
        try {
            await runPlugin(t, spec, plugin, "DEL", result);
        } catch (error) {
            failures.push((error as Error).message);
        }
    }
    return failures;
}

/**
 * ADD, as libcni runs a list: each plugin in order, each given the previous
 * one's result; the last result is the attachment's. When a plugin fails,
 * DEL runs for the whole list (as a runtime does), and the error names the
 * plugin and anything DEL could not undo.
 */
export async function createCniAttachment(spec: CniAttachmentSpec): Promise<CniAttachmentState> {
    const t = target(spec);
    if (!(await namespaceExists(t, spec.namespace))) {
        throw new Error(`namespace ${spec.namespace} does not exist: create it first (a NetworkNamespace, or a lab member's)`);
    }
    let result: CniResult | undefined;
    try {
        for (const plugin of spec.network.plugins) result = parseResult(plugin.type, await runPlugin(t, spec, plugin, "ADD", result));
    } catch (error) {
        const undo = await deleteAll(t, spec, result);
        const left = undo.length > 0 ? `; undoing with DEL failed too: ${undo.join("; ")}` : "";
        throw new Error(`attaching ${spec.namespace} to CNI network ${spec.network.name}: ${(error as Error).message}${left}`, { cause: error });
    }
    return { ...spec, result };
}

/**
 * True for a plugin whose CHECK the reference plugins (1.1.1) get wrong, so
 * CHECK is not sent to it: bandwidth panics when it limits nothing (no rates
 * in its configuration and no `bandwidth` capability); portmap looks for its
 * IPv6 chains when the attachment has no IPv6 address, and fails.
 */
export function checkPanics(plugin: CniPluginConfig, spec: Pick<CniAttachmentState, "capabilities" | "result">): boolean {
    if (plugin.type === "portmap") return !(spec.result?.ips ?? []).some((ip) => ip.address.includes(":"));
    if (plugin.type !== "bandwidth") return false;
    const rates = ["ingressRate", "egressRate"].some((k) => plugin[k] !== undefined);
    const runtime = (plugin.capabilities as { bandwidth?: boolean } | undefined)?.bandwidth === true && spec.capabilities.bandwidth !== undefined;
    return !rates && !runtime;
}

/**
 * Refresh: gone when the namespace is; otherwise CHECK (CNI 0.4.0 and
 * later) with the cached result, each plugin in order: a failing CHECK is
 * `drift` naming the plugin, and the next `up` attaches again.
 */
export async function readCniAttachment(state: CniAttachmentState): Promise<CniAttachmentState | undefined> {
    if (!(await namespaceExists(target(state), state.namespace))) return undefined;
    const { drift: _drift, ...spec } = state;
    if (state.network.cniVersion.startsWith("0.3.")) return spec;
    const t = target(state);
    try {
        for (const plugin of state.network.plugins.filter((p) => !checkPanics(p, state))) await runPlugin(t, state, plugin, "CHECK", state.result);
        return spec;
    } catch (error) {
        return { ...spec, drift: (error as Error).message };
    }
}

/** Repairs drift (or a changed input that does not replace): DEL, then ADD again. */
export async function updateCniAttachment(previous: CniAttachmentState, spec: CniAttachmentSpec): Promise<CniAttachmentState> {
    const failures = await deleteAll(target(previous), previous, previous.result);
    if (failures.length > 0) throw new Error(`re-attaching ${spec.namespace}: DEL failed: ${failures.join("; ")}`);
    return createCniAttachment(spec);
}

/** DEL for the whole list with the cached result; a namespace already gone is fine (plugins tolerate it). */
export async function deleteCniAttachment(state: CniAttachmentState): Promise<void> {
    const failures = await deleteAll(target(state), state, state.result);
    if (failures.length > 0) throw new Error(`detaching ${state.namespace} from CNI network ${state.network.name}: ${failures.join("; ")}`);
}

/**
 * GC for a network that goes (CNI 1.1.0): sent only to plugins whose
 * VERSION lists 1.1.0, with no valid attachments left; the reference
 * plugins (1.1.1) list none, so for them each attachment's DEL is all.
 * Returns the plugins GC was sent to.
 */
export async function collectGarbage(spec: Pick<CniAttachmentSpec, "host" | "network">): Promise<string[]> {
    const t = target(spec);
    const sent: string[] = [];
    const runtime = { network: spec.network, namespace: "none", ifName: "eth0", containerId: "gc", args: [] as [] };
    for (const plugin of spec.network.plugins) {
        const version = await t.host.exec(t.execArgv(pluginArgv(runtime, plugin.type, "VERSION")), {
            input: JSON.stringify({ cniVersion: spec.network.cniVersion }),
        });
        if (!supportedVersions(version.stdout).includes("1.1.0")) continue;
        const input = JSON.stringify({ ...pluginConfig({ ...spec.network, cniVersion: "1.1.0" }, plugin, {}), "cni.dev/valid-attachments": [] });
        const result = await t.host.exec(t.execArgv(pluginArgv(runtime, plugin.type, "GC")), { input });
        if (result.code !== 0) throw new Error(pluginFailure(plugin.type, "GC", result.stdout, result.stderr));
        sent.push(plugin.type);
    }
    return sent;
}

import { Target, hostFor } from "../host/target";
import { CniNetworkSpec, FoundConfig, OWNER_KEY, conflictWithOthers, conflistPath, renderConflist } from "../model/cni";
import { cniBridges, staleGateways } from "../model/cni-bridges";
import { isKind } from "../host/errors";
import { collectGarbage } from "./cni-attachment";
import { deleteLink, readLink } from "./links";
import { directoryExists, isMissing, listDirectory, makeDirectories, readFile, removeFile, writeFileIn } from "./files";

/** What a CniNetwork's read reports besides its inputs. */
export interface CniNetworkState extends CniNetworkSpec {
    /** Set by refresh when the file is not what netplumb wrote (hand-edited, or not JSON). */
    readonly drift?: string;
    /** Bridges the network's `bridge` plugins will make: absent when the network was created (or when it changed to name them). Destroy removes them once no port is left. */
    readonly createdBridges?: readonly string[];
}

/** Where the plugins make their bridges: the host's network namespace (`{ netns }` acting as host, or the root one). */
function pluginTarget(spec: CniNetworkSpec): Target {
    return new Target(hostFor(spec.host), spec.host.netns);
}

/** The network's bridges that do not exist yet: the plugins will make them, so they are this network's to remove. Equivalent to: `ip link show NAME` for each. */
async function bridgesToBeMade(spec: CniNetworkSpec): Promise<string[]> {
    const t = pluginTarget(spec);
    const missing: string[] = [];
    for (const bridge of cniBridges(spec)) if ((await readLink(t, bridge.name)) === undefined) missing.push(bridge.name);
    return missing;
}

/**
 * Takes the old range's gateway address off a bridge when the range changes:
 * the bridge plugin refuses a bridge holding another gateway ("already has
 * an IP address different from ..."). Gone is success. Equivalent to:
 * `ip address del ADDRESS dev BRIDGE`.
 */
async function removeStaleGateways(old: CniNetworkSpec, spec: CniNetworkSpec): Promise<void> {
    const t = pluginTarget(spec);
    for (const { bridge, address } of staleGateways(old, spec)) {
        try {
            await t.ip(["address", "del", address, "dev", bridge]);
        } catch (error) {
            if (!isKind(error, "NotFound") && !/Cannot assign requested address/i.test((error as Error).message)) throw error;
        }
    }
}

/** Deletes the bridges the plugins made for this network once no port is left on them (one with ports is someone else's now). Equivalent to: `ip link show master B`, then `ip link del B`. */
async function removeMadeBridges(spec: CniNetworkState): Promise<void> {
    const t = pluginTarget(spec);
    for (const bridge of spec.createdBridges ?? []) {
        if ((await readLink(t, bridge)) === undefined) continue;
        const ports = await t.ip(["-j", "link", "show", "master", bridge]);
        if ((JSON.parse(ports.stdout || "[]") as unknown[]).length === 0) await deleteLink(t, bridge);
    }
}

/** Files live on the machine itself, whichever namespace acts as its host. */
function target(spec: CniNetworkSpec): Target {
    return new Target(hostFor(spec.host), undefined);
}

/** The plugin binaries a list runs: every plugin's `type` and every IPAM section's. */
export function pluginBinaries(spec: Pick<CniNetworkSpec, "plugins">): string[] {
    const types = spec.plugins.flatMap((p) => [p.type, (p.ipam as { type?: unknown } | undefined)?.type]);
    return [...new Set(types.filter((t): t is string => typeof t === "string"))];
}

/** Fails naming the first plugin binary missing from binDir. Equivalent to: `test -x BINDIR/TYPE` for each. */
async function requirePlugins(t: Target, spec: CniNetworkSpec): Promise<void> {
    for (const binary of pluginBinaries(spec)) {
        const path = `${spec.binDir.replace(/\/+$/, "")}/${binary}`;
        if ((await t.host.exec(["test", "-x", path])).code !== 0) {
            throw new Error(
                `CNI plugin ${binary} is not in ${spec.binDir} (${path} is missing or not executable): install it there, or set binDir to where it is`,
            );
        }
    }
}

/** The configuration files in the directory (`*.conflist`, `*.conf`, `*.json`, as libcni reads them). */
async function configurations(t: Target, dir: string): Promise<FoundConfig[]> {
    if (!(await directoryExists(t, dir))) return [];
    const names = (await listDirectory(t, dir)).filter((n) => /\.(conflist|conf|json)$/.test(n)).sort();
    const found: FoundConfig[] = [];
    for (const name of names) {
        const file = `${dir.replace(/\/+$/, "")}/${name}`;
        const text = await readFile(t, file);
        if (text !== undefined) found.push({ file, text });
    }
    return found;
}

/** Writes the file after the checks only the host can answer: plugins present, no clash with the host's other networks. */
async function write(spec: CniNetworkSpec): Promise<void> {
    const t = target(spec);
    await requirePlugins(t, spec);
    const clash = conflictWithOthers(spec, await configurations(t, spec.dir));
    if (clash !== undefined) throw new Error(`CniNetwork ${spec.name}: ${clash}`);
    await makeDirectories(t, spec.dir);
    await writeFileIn(t, conflistPath(spec), renderConflist(spec));
}

/** Creates `<dir>/<NN>-<name>.conflist` (mode 0644, temporary file and rename); an existing file of another owner is refused unless `adopt`. */
export async function createCniNetwork(spec: CniNetworkSpec): Promise<CniNetworkState> {
    const existing = await readFile(target(spec), conflistPath(spec));
    if (existing !== undefined && !spec.adopt && ownerOf(existing) !== spec.owner) {
        throw new Error(`${conflistPath(spec)} already exists and is not this resource's: remove it, choose another name or priority, or set adopt: true`);
    }
    const createdBridges = await bridgesToBeMade(spec);
    await write(spec);
    return { ...spec, createdBridges };
}

/** The owner recorded in a file's text, if it is JSON with one. */
function ownerOf(text: string): string | undefined {
    try {
        const owner = (JSON.parse(text) as Record<string, unknown>)[OWNER_KEY];
        return typeof owner === "string" ? owner : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Reads the file back. Gone: undefined (the next `up` writes it again).
 * Edited: the state takes the file's name, version and plugins, so preview
 * shows what changed and `up` puts it back; not JSON: `drift` says so.
 */
export async function readCniNetwork(spec: CniNetworkSpec): Promise<CniNetworkState | undefined> {
    const text = await readFile(target(spec), conflistPath(spec));
    if (text === undefined) return undefined;
    if (text === renderConflist(spec)) return spec;
    let parsed: Record<string, unknown>;
    try {
        parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
        return { ...spec, drift: `${conflistPath(spec)} is not valid JSON any more` };
    }
    // The name stays the resource's (it names the file); an edited one is drift the next up puts back.
    const renamed = parsed.name !== spec.name ? `; its name is ${JSON.stringify(parsed.name)}` : "";
    return {
        ...spec,
        cniVersion: typeof parsed.cniVersion === "string" ? parsed.cniVersion : "",
        disableCheck: parsed.disableCheck === true,
        plugins: Array.isArray(parsed.plugins) ? (parsed.plugins as CniNetworkSpec["plugins"]) : [],
        drift: `${conflistPath(spec)} differs from what netplumb wrote${renamed}`,
    };
}

/** Rewrites the file in place (same path), first taking a changed range's old gateway off its bridge. */
export async function updateCniNetwork(old: CniNetworkState, spec: CniNetworkSpec): Promise<CniNetworkState> {
    const createdBridges = [...new Set([...(old.createdBridges ?? []), ...(await bridgesToBeMade(spec))])];
    await write(spec);
    await removeStaleGateways(old, spec);
    return { ...spec, createdBridges };
}

/**
 * Removes the file when it is still this resource's (a file another owner
 * put there is left alone; gone is success), then sends GC to the plugins
 * that support CNI 1.1.0 (see collectGarbage): the network is gone. Last,
 * the bridges its plugins made go, once no port is left on them.
 */
export async function deleteCniNetwork(spec: CniNetworkState): Promise<void> {
    await removeOwnFile(spec);
    await collectGarbage({ host: spec.host, network: { name: spec.name, cniVersion: spec.cniVersion, plugins: spec.plugins, binDir: spec.binDir } });
    await removeMadeBridges(spec);
}

async function removeOwnFile(spec: CniNetworkSpec): Promise<void> {
    const t = target(spec);
    try {
        const text = await readFile(t, conflistPath(spec));
        if (text === undefined) return;
        const owner = ownerOf(text);
        if (owner !== undefined && owner !== spec.owner) return;
        await removeFile(t, conflistPath(spec));
    } catch (error) {
        if (!isMissing(error)) throw error;
    }
}

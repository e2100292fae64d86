import { CommandError, classify, isKind } from "../host/errors";
import { Target } from "../host/target";
import { batchInput } from "../model/script-safety";
import { LinkState, parseLink } from "../model/observed";
import { OwnershipError } from "./ownership";

/**
 * Reads a link and its addresses, or undefined when it (or its namespace) is gone.
 * Equivalent to: `ip [-n NS] -j -d addr show dev NAME`.
 */
export async function readLink(target: Target, name: string): Promise<LinkState | undefined> {
    try {
        const result = await target.ip(["-j", "-d", "addr", "show", "dev", name]);
        return parseLink(result.stdout);
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
}

/**
 * Runs several read-only `ip -j -d` commands in one process in this
 * namespace and returns each one's JSON output, or undefined for one whose
 * object is gone ("does not exist", "Cannot find device"); when the whole
 * namespace is gone, every entry is undefined. Any other failure throws.
 * One process instead of one per read: a refresh reads every member this way.
 * Equivalent to: `ip [-n NS] -j -d -force -batch -` with one command per line.
 */
export async function readMany(target: Target, commands: readonly string[][]): Promise<Array<string | undefined>> {
    const argv = target.ipArgv(["-j", "-d", "-force", "-batch", "-"]);
    const result = await target.host.exec(argv, { input: batchInput(commands) });
    const failed = failedLines(result.stderr);
    if (result.code !== 0 && failed.size === 0) {
        if (classify(result.stderr) === "NotFound") return commands.map(() => undefined);
        throw new CommandError(classify(result.stderr), argv, result);
    }
    for (const message of failed.values()) {
        if (classify(message) !== "NotFound") throw new CommandError(classify(message), argv, result);
    }
    const outputs = result.stdout.split("\n").filter((line) => line.trim() !== "");
    if (outputs.length !== commands.length - failed.size) {
        throw new CommandError("Failed", argv, { ...result, stderr: `${outputs.length} outputs for ${commands.length - failed.size} commands that succeeded` });
    }
    return commands.map((_, i) => (failed.has(i + 1) ? undefined : outputs.shift()));
}

/** The message of each failed line of an `ip -force -batch` run's stderr, by line number (`Command failed -:N` follows it). */
export function failedLines(stderr: string): Map<number, string> {
    const failed = new Map<number, string>();
    let message: string[] = [];
    for (const line of stderr.split("\n")) {
        const end = /^Command failed -:(\d+)$/.exec(line.trim());
        if (end) {
            failed.set(Number(end[1]), message.join("\n"));
            message = [];
        } else if (line.trim() !== "") message.push(line);
    }
    return failed;
}

/**
 * Deletes a link; a link (or namespace) that is already gone is success.
 * Equivalent to: `ip [-n NS] link del dev NAME`.
 */
export async function deleteLink(target: Target, name: string): Promise<void> {
    try {
        await target.ip(["link", "del", "dev", name]);
    } catch (error) {
        if (!isKind(error, "NotFound")) throw error;
    }
}

/**
 * Moves a link's owner tag from `from` to `to`; a link already carrying `to`
 * is left as it is, a gone one is skipped, and one tagged otherwise is an
 * OwnershipError (it is someone else's). Equivalent to: `ip [-n NS] link set dev NAME alias TO`.
 */
export async function retagLink(target: Target, name: string, from: string, to: string, what: string): Promise<void> {
    const live = await readLink(target, name);
    if (live === undefined || live.alias === to) return;
    if (live.alias !== from) {
        throw new OwnershipError(`${what} carries ${JSON.stringify(live.alias ?? "")}, not this resource's tag ${JSON.stringify(from)}; it was not re-tagged`);
    }
    await target.ip(["link", "set", "dev", name, "alias", to]);
}

/**
 * The `ip` commands that move a link's addresses from `current` to `desired`
 * (`addr replace` for missing ones, `addr del` for extra ones).
 */
export function addressCommands(name: string, current: readonly string[], desired: readonly string[]): string[][] {
    const add = desired.filter((a) => !current.includes(a)).map((a) => ["addr", "replace", a, "dev", name]);
    const del = current.filter((a) => !desired.includes(a)).map((a) => ["addr", "del", a, "dev", name]);
    return [...del, ...add];
}

/** Properties of a link that netplumb converges (undefined: leave as is). */
export interface LinkSettings {
    readonly mtu?: number;
    readonly mac?: string;
    readonly alias?: string;
    /** Bridge to join; null: leave any bridge. */
    readonly master?: string | null;
    readonly up?: boolean;
    readonly addresses?: readonly string[];
}

/**
 * The `ip` commands that bring `current` (undefined: a new link) to `settings`.
 * Addresses are applied before the link goes up.
 */
export function convergeCommands(name: string, settings: LinkSettings, current?: LinkState): string[][] {
    const commands: string[][] = [];
    const set = (args: string[]) => commands.push(["link", "set", "dev", name, ...args]);
    if (settings.mtu !== undefined && settings.mtu !== current?.mtu) set(["mtu", String(settings.mtu)]);
    if (settings.mac !== undefined && settings.mac !== current?.mac) set(["address", settings.mac]);
    if (settings.alias !== undefined && settings.alias !== current?.alias) set(["alias", settings.alias]);
    if (settings.master === null && current?.master !== undefined) set(["nomaster"]);
    if (typeof settings.master === "string" && settings.master !== current?.master) set(["master", settings.master]);
    if (settings.addresses !== undefined) commands.push(...addressCommands(name, current?.addresses ?? [], settings.addresses));
    if (settings.up !== undefined && settings.up !== current?.up) set([settings.up ? "up" : "down"]);
    return commands;
}

/** Runs converge commands in one `ip -batch -` process (nothing when already converged). */
export async function converge(target: Target, name: string, settings: LinkSettings, current?: LinkState): Promise<void> {
    const commands = convergeCommands(name, settings, current);
    if (commands.length > 0) await target.ipBatch(commands);
}

/** The 1-based line of an `ip -batch` input that failed, when the error says. */
export function failedBatchLine(error: unknown): number | undefined {
    const match = error instanceof Error ? /Command failed -:(\d+)/.exec(error.message) : null;
    return match ? Number(match[1]) : undefined;
}

/** True when a batch that starts with `link add` failed on that first line because the name is taken. */
export function nameTaken(error: unknown): boolean {
    return isKind(error, "Exists") && (failedBatchLine(error) ?? 1) === 1;
}

import { Target, hostFor } from "../host/target";
import { SysctlSpec } from "../model/specs";
import { isMissing, listDirectory, readFile, removeEmptyDirectory, removeFile, renameAtomically, writeFile } from "./files";

/**
 * Who holds a shared sysctl. `net.ipv4.ip_forward` and the like are shared by
 * every stack (and other software) in a namespace, so each netplumb resource
 * that sets one is recorded as a holder, with the value that was there before
 * the first holder:
 *   `/run/netplumb/sysctl/<namespace or _host>/<key>/original`
 *   `/run/netplumb/sysctl/<namespace or _host>/<key>/holders/<owner>`
 * (in /run, emptied by a reboot like the sysctls themselves). The last holder
 * out restores the original value, and only when the live value is still the
 * one it set.
 */
export const SYSCTL_DIR = "/run/netplumb/sysctl";

function fileSafe(text: string): string {
    return text.replace(/[^A-Za-z0-9_.-]/g, "_");
}

function keyDir(spec: Pick<SysctlSpec, "namespace" | "host" | "key">): string {
    return `${SYSCTL_DIR}/${fileSafe(spec.namespace ?? spec.host.netns ?? "_host")}/${fileSafe(spec.key)}`;
}

function files(spec: SysctlSpec) {
    const dir = keyDir(spec);
    return { dir, original: `${dir}/original`, holders: `${dir}/holders`, mine: `${dir}/holders/${fileSafe(spec.owner)}` };
}

function target(spec: SysctlSpec): Target {
    return new Target(hostFor(spec.host), undefined);
}

/**
 * Records this resource as a holder; the first holder also records `live`
 * as the value to restore. Returns the value to restore once all are gone.
 */
export async function hold(spec: SysctlSpec, live: string): Promise<string> {
    const t = target(spec);
    const f = files(spec);
    const recorded = (await readFile(t, f.original))?.trim() || undefined;
    const original = recorded ?? live;
    if (recorded === undefined) await writeFile(t, f.dir, f.original, `${original}\n`);
    await writeFile(t, f.holders, f.mine, `${spec.value}\n`);
    return original;
}

/**
 * Moves this resource's holder record to the name of `owner` (nothing when it
 * holds no record). Equivalent to: `mv -T holders/OLD holders/NEW`.
 */
export async function retagHolder(previous: SysctlSpec, owner: string): Promise<void> {
    const t = target(previous);
    const from = files(previous).mine;
    if ((await readFile(t, from)) === undefined) return;
    await renameAtomically(t, from, files({ ...previous, owner }).mine);
}

/**
 * Removes this resource as a holder. Returns the value to write back when it
 * was the last holder and the live value is still the one it set (another
 * program or person changed it otherwise), or undefined to leave it.
 */
export async function release(spec: SysctlSpec, live: string | undefined, fallback: string): Promise<string | undefined> {
    const t = target(spec);
    const f = files(spec);
    const original = (await readFile(t, f.original))?.trim() || fallback;
    await removeFile(t, f.mine);
    // Only a missing directory means no other holder; any other error must not restore a value someone still holds.
    const others = await listDirectory(t, f.holders).catch((error: unknown) => {
        if (isMissing(error)) return [] as string[];
        throw error;
    });
    if (others.filter((name) => !name.endsWith(".netplumb-tmp")).length > 0) return undefined;
    await removeFile(t, f.original);
    for (const dir of [f.holders, f.dir, f.dir.slice(0, f.dir.lastIndexOf("/")), SYSCTL_DIR, "/run/netplumb"]) await removeEmptyDirectory(t, dir);
    return live === spec.value ? original : undefined;
}

import { CommandError, classify, isKind } from "../host/errors";
import { FileAccess } from "../host/host";
import { temporaryOf } from "../host/local-files";
import { Target } from "../host/target";

/**
 * File operations on a host. A host with its own file access (the local
 * machine) does them in-process; otherwise they are argv commands, so they
 * work the same over SSH. Inside a namespace (`ip netns exec` bind-mounts
 * /etc/netns/<ns>/ over /etc) they are always commands.
 */

function direct(target: Target): FileAccess | undefined {
    return target.netns === undefined ? target.host.files : undefined;
}

/** The file's text, or undefined when it does not exist. Equivalent to: `cat PATH`. */
export async function readFile(target: Target, path: string): Promise<string | undefined> {
    const files = direct(target);
    if (files) return files.read(path);
    try {
        return (await target.exec(["cat", path])).stdout;
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
}

/** True when the directory exists. Equivalent to: `test -d DIR`. */
export async function directoryExists(target: Target, dir: string): Promise<boolean> {
    const files = direct(target);
    if (files) return files.isDirectory(dir);
    return (await target.host.exec(target.execArgv(["test", "-d", dir]))).code === 0;
}

/** Makes the directory and its parents; existing is fine. Equivalent to: `mkdir -p DIR`. */
export async function makeDirectories(target: Target, dir: string): Promise<void> {
    const files = direct(target);
    if (files) await files.makeDirectory(dir, true);
    else await target.exec(["mkdir", "-p", dir]);
}

/**
 * Makes one directory, atomically: false when it already existed (the
 * primitive claims are built on). Equivalent to: `mkdir DIR`.
 */
export async function makeDirectory(target: Target, dir: string): Promise<boolean> {
    const files = direct(target);
    if (files) return files.makeDirectory(dir, false);
    try {
        await target.exec(["mkdir", dir]);
        return true;
    } catch (error) {
        if (isKind(error, "Exists")) return false;
        throw error;
    }
}

/** Mode of every file netplumb writes unless told otherwise: rw-r--r--. */
export const FILE_MODE = 0o644;

/**
 * Replaces the file (its directory exists) atomically: a temporary file
 * beside it, flushed, renamed over it; refused when the file or its
 * directory is a symbolic link. Equivalent to: `test ! -L DIR && test ! -L PATH && tee PATH.tmp < content && chmod MODE PATH.tmp && sync PATH.tmp && mv -fT PATH.tmp PATH`.
 */
export async function writeFileIn(target: Target, path: string, content: string, mode = FILE_MODE): Promise<void> {
    const files = direct(target);
    if (files) return files.write(path, content, mode);
    for (const p of [path.slice(0, path.lastIndexOf("/")) || "/", path]) {
        if ((await target.host.exec(target.execArgv(["test", "-L", p]))).code === 0)
            throw new Error(`refusing to write through ${p}: it is a symbolic link; remove it and run again`);
    }
    const temporary = temporaryOf(path);
    await target.exec(["tee", temporary], { input: content });
    await target.exec(["chmod", mode.toString(8), temporary]);
    await target.exec(["sync", temporary]);
    await target.exec(["mv", "-f", "-T", temporary, path]);
}

/** Writes the file (creating its directory). Equivalent to: `mkdir -p DIR`, then writeFileIn. */
export async function writeFile(target: Target, dir: string, path: string, content: string, mode = FILE_MODE): Promise<void> {
    await inDirectory(target, dir, () => writeFileIn(target, path, content, mode));
}

/** True when an operation failed because a path (a directory on the way) does not exist. */
export function isMissing(error: unknown): boolean {
    return (error as NodeJS.ErrnoException)?.code === "ENOENT" || isKind(error, "NotFound");
}

/**
 * Makes `dir` (and its parents), then runs `work` in it. Shared directories
 * (/run/netplumb, a pool's directory) are removed by the last resource that
 * leaves them, possibly at the same moment in a parallel delete; when `work`
 * finds the directory gone, it is made again and `work` retried (ten tries).
 */
export async function inDirectory<T>(target: Target, dir: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            // Inside the retry too: `mkdir -p` itself fails when a parent it just made is removed under it.
            await makeDirectories(target, dir);
            return await work();
        } catch (error) {
            if (attempt >= 10 || !isMissing(error)) throw error;
        }
    }
}

/**
 * Renames `from` to `to` in one step; false when `to` already exists (a
 * directory that is not empty, or a file). Equivalent to: `mv -T FROM TO`.
 */
export async function renameAtomically(target: Target, from: string, to: string): Promise<boolean> {
    const files = direct(target);
    if (files) return files.rename(from, to);
    const argv = ["mv", "-T", "--no-clobber", from, to];
    const result = await target.host.exec(target.execArgv(argv));
    const exists = async (path: string) => (await target.host.exec(target.execArgv(["test", "-e", path]))).code === 0;
    if (!(await exists(from))) return true;
    if (await exists(to)) return false;
    throw new CommandError(classify(result.stderr), argv, result);
}

/** The names in a directory. Equivalent to: `ls -1 DIR`. */
export async function listDirectory(target: Target, dir: string): Promise<string[]> {
    const files = direct(target);
    if (files) return files.list(dir);
    return (await target.exec(["ls", "-1", dir])).stdout.split("\n").filter((name) => name !== "");
}

/** Removes the file and any temporary file a cut-off write of it left; already gone is success. Equivalent to: `rm -f PATH PATH.netplumb-tmp`. */
export async function removeFile(target: Target, path: string): Promise<void> {
    const files = direct(target);
    if (files) await files.remove(path);
    else await target.exec(["rm", "-f", path, temporaryOf(path)]);
}

/** Removes the directory when it is empty; a directory that is not empty or gone is left as it is. */
export async function removeEmptyDirectory(target: Target, dir: string): Promise<void> {
    const files = direct(target);
    if (files) await files.removeEmptyDirectory(dir);
    else await target.host.exec(target.execArgv(["rmdir", "--ignore-fail-on-non-empty", dir]));
}

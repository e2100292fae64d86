import { isKind } from "../host/errors";
import { FileAccess } from "../host/host";
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

/** Writes the file whose directory exists. Equivalent to: `tee PATH < content`. */
export async function writeFileIn(target: Target, path: string, content: string): Promise<void> {
    const files = direct(target);
    if (files) await files.write(path, content);
    else await target.exec(["tee", path], { input: content });
}

/** Writes the file (creating its directory). Equivalent to: `mkdir -p DIR && tee PATH < content`. */
export async function writeFile(target: Target, dir: string, path: string, content: string): Promise<void> {
    await makeDirectories(target, dir);
    await writeFileIn(target, path, content);
}

/** The names in a directory. Equivalent to: `ls -1 DIR`. */
export async function listDirectory(target: Target, dir: string): Promise<string[]> {
    const files = direct(target);
    if (files) return files.list(dir);
    return (await target.exec(["ls", "-1", dir])).stdout.split("\n").filter((name) => name !== "");
}

/** Removes the file; already gone is success. Equivalent to: `rm -f PATH`. */
export async function removeFile(target: Target, path: string): Promise<void> {
    const files = direct(target);
    if (files) await files.remove(path);
    else await target.exec(["rm", "-f", path]);
}

/** Removes the directory when it is empty; a directory that is not empty or gone is left as it is. */
export async function removeEmptyDirectory(target: Target, dir: string): Promise<void> {
    const files = direct(target);
    if (files) await files.removeEmptyDirectory(dir);
    else await target.host.exec(target.execArgv(["rmdir", "--ignore-fail-on-non-empty", dir]));
}

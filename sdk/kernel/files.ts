import { isKind } from "../host/errors";
import { Target } from "../host/target";

/**
 * File operations on a host, as argv commands so that they work the same
 * locally and, later, over SSH.
 */

/** The file's text, or undefined when it does not exist. Equivalent to: `cat PATH`. */
export async function readFile(target: Target, path: string): Promise<string | undefined> {
    try {
        return (await target.exec(["cat", path])).stdout;
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
}

/** True when the directory exists. Equivalent to: `test -d DIR`. */
export async function directoryExists(target: Target, dir: string): Promise<boolean> {
    return (await target.host.exec(target.execArgv(["test", "-d", dir]))).code === 0;
}

/** Writes the file (creating its directory). Equivalent to: `mkdir -p DIR && tee PATH < content`. */
export async function writeFile(target: Target, dir: string, path: string, content: string): Promise<void> {
    await target.exec(["mkdir", "-p", dir]);
    await target.exec(["tee", path], { input: content });
}

/** Removes the file; already gone is success. Equivalent to: `rm -f PATH`. */
export async function removeFile(target: Target, path: string): Promise<void> {
    await target.exec(["rm", "-f", path]);
}

/** Removes the directory when it is empty; a directory that is not empty or gone is left as it is. */
export async function removeEmptyDirectory(target: Target, dir: string): Promise<void> {
    await target.host.exec(target.execArgv(["rmdir", "--ignore-fail-on-non-empty", dir]));
}

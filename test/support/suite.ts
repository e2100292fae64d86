import { accessSync, constants } from "fs";
import { join } from "path";

/** True when this process runs as root (network namespaces need it). */
export function isRoot(): boolean {
    return typeof process.getuid === "function" && process.getuid() === 0;
}

/** True when the tests run in CI, where a skipped suite is a failure. */
export function inCI(): boolean {
    return process.env.CI === "true";
}

/**
 * Skips the suite with a one-line reason when `ok` is false, except in CI,
 * where a suite that cannot run fails instead.
 */
export function requireOrSkip(context: Mocha.Context, ok: boolean, reason: string): void {
    if (ok) return;
    if (inCI()) throw new Error(`cannot run in CI: ${reason}`);
    console.log(`    skipped: ${reason}`);
    context.skip();
}

/** True when `command` is on PATH. */
export function hasCommand(command: string, path = process.env.PATH ?? ""): boolean {
    return path.split(":").some((dir) => {
        try {
            accessSync(join(dir, command), constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
}

/** A short random tag for unique names in this run, e.g. "k3x9". */
export function runTag(): string {
    return Math.random().toString(36).slice(2, 6);
}

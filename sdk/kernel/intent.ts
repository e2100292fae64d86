import { Target, hostFor } from "../host/target";
import { ManagedSpec } from "../model/specs";
import { readFile, removeEmptyDirectory, removeFile, writeFile } from "./files";

/**
 * A write-ahead record of a create in progress, so a create that was cut off
 * (its engine or provider killed between two commands) knows on its next try
 * that an untagged object bearing one of its names is its own half-made
 * object: a namespace made but not yet tagged, a veth end whose tag had not
 * been written. One file per resource, in /run (which, like /run/netns, is
 * emptied by a reboot), written before the first command and removed when
 * the create ends, whether it succeeded or failed and rolled back.
 */
export const INTENT_DIR = "/run/netplumb/creating";

/** The record's path for one resource (its owner tag, made file-safe). */
export function intentPath(owner: string): string {
    return `${INTENT_DIR}/${owner.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
}

function target(spec: Pick<ManagedSpec, "host">): Target {
    return new Target(hostFor(spec.host), undefined);
}

/**
 * Notes that this resource's create starts; true when a record was already
 * there (an earlier create of it was interrupted).
 * Equivalent to: `mkdir -p /run/netplumb/creating && tee FILE`.
 */
export async function beginCreate(spec: Pick<ManagedSpec, "host" | "owner">): Promise<boolean> {
    const t = target(spec);
    const path = intentPath(spec.owner);
    const resumed = (await readFile(t, path))?.trim() === spec.owner;
    if (!resumed) await writeFile(t, INTENT_DIR, path, `${spec.owner}\n`);
    return resumed;
}

/** Removes the record (and its directories when empty). Equivalent to: `rm -f FILE`. */
export async function endCreate(spec: Pick<ManagedSpec, "host" | "owner">): Promise<void> {
    const t = target(spec);
    await removeFile(t, intentPath(spec.owner));
    for (const dir of [INTENT_DIR, "/run/netplumb"]) await removeEmptyDirectory(t, dir);
}

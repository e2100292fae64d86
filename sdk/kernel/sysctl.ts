import { isKind } from "../host/errors";
import { Target, targetFor } from "../host/target";
import { SysctlSpec } from "../model/specs";
import { hold, release, retagHolder } from "./sysctl-holders";

/** A sysctl's setting plus the value found before netplumb changed it. */
export interface SysctlState extends SysctlSpec {
    /** The value before create; delete writes it back. */
    readonly previous: string;
}

function target(spec: SysctlSpec): Target {
    return targetFor(spec.host, spec.namespace);
}

/** Normalises sysctl output: tabs and repeated spaces become one space. */
function normalise(value: string): string {
    return value.trim().split(/\s+/).join(" ");
}

/**
 * Reads a sysctl in the namespace, or undefined when the namespace is gone.
 * Equivalent to: `[ip netns exec NS] sysctl -n KEY`.
 */
export async function readSysctlValue(spec: SysctlSpec): Promise<string | undefined> {
    try {
        return normalise((await target(spec).exec(["sysctl", "-n", spec.key])).stdout);
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
}

/** Equivalent to: `[ip netns exec NS] sysctl -q -w KEY=VALUE`. */
async function write(spec: SysctlSpec, value: string): Promise<void> {
    await target(spec).exec(["sysctl", "-q", "-w", `${spec.key}=${value}`]);
}

/**
 * Records this resource as a holder of the key (the first holder records
 * the value found), then writes the new one.
 */
export async function createSysctl(spec: SysctlSpec): Promise<SysctlState> {
    const live = await readSysctlValue(spec);
    if (live === undefined) {
        throw new Error(`sysctl ${spec.key} cannot be read${spec.namespace ? ` in namespace ${spec.namespace}` : ""}: the namespace or the key does not exist`);
    }
    const normalised = { ...spec, value: normalise(spec.value) };
    const previous = await hold(normalised, live);
    await write(spec, spec.value);
    return { ...normalised, previous };
}

/** The live value, keeping the recorded previous value; undefined when the namespace is gone. */
export async function readSysctl(state: SysctlState): Promise<SysctlState | undefined> {
    const value = await readSysctlValue(state);
    return value === undefined ? undefined : { ...state, value };
}

/** Writes the new value in place (and notes it as this holder's); the value to restore stays the one found first. */
export async function updateSysctl(previous: SysctlState, spec: SysctlSpec): Promise<SysctlState> {
    const normalised = { ...spec, value: normalise(spec.value) };
    await hold(normalised, previous.previous);
    await write(spec, spec.value);
    return { ...normalised, previous: previous.previous };
}

/**
 * Leaves the key: the last holder restores the value found before the first
 * one, and only when the live value is still the one it set. A namespace
 * that is gone is success.
 */
export async function deleteSysctl(state: SysctlState): Promise<void> {
    const restore = await release(state, await readSysctlValue(state), state.previous);
    if (restore === undefined) return;
    try {
        await write(state, restore);
    } catch (error) {
        if (!isKind(error, "NotFound")) throw error;
    }
}

/** Moves this resource's holder record to `owner` (the value to restore stays). */
export async function retagSysctl(previous: SysctlState, owner: string): Promise<void> {
    await retagHolder(previous, owner);
}

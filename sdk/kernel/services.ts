import { join } from "path";
import { Target, hostFor } from "../host/target";
import { makeDirectories, readFile, removeEmptyDirectory, removeFile, renameAtomically } from "./files";

/** The sandbox's emulated internet: TCP ports with a banner and a DNS table, in a namespace. */
export interface ServicesSpec {
    readonly host: import("../model/host-spec").HostSpec;
    readonly owner: string;
    readonly adopt: boolean;
    readonly namespace: string;
    readonly ports: readonly number[];
    readonly records: ReadonlyArray<{ readonly name: string; readonly address: string }>;
}

/** The sandbox server as the provider holds it: its inputs, PID and start time. */
export interface ServicesState extends ServicesSpec {
    /** The server's process id and its start time (clock ticks since boot), so a reused PID is never signalled. */
    readonly pid: number;
    readonly startTime: string;
}

/** The server script shipped with netplumb. */
export const SERVER_SCRIPT = join(__dirname, "..", "sandbox", "uplink-server.js");

function target(spec: ServicesSpec): Target {
    return new Target(hostFor(spec.host), undefined);
}

/** argv of the server: `ip netns exec NS node uplink-server.js --ports ... --records ... --pid-file ...`. */
export function serverArgv(spec: ServicesSpec): string[] {
    const records = spec.records.map((r) => `${r.name}=${r.address}`).join(",");
    return [
        "ip",
        "netns",
        "exec",
        spec.namespace,
        process.execPath,
        SERVER_SCRIPT,
        "--ports",
        spec.ports.join(","),
        "--records",
        records,
        "--pid-file",
        pidFile(spec),
    ];
}

/** Field 22 of /proc/PID/stat (start time), or undefined when the process is gone. */
async function startTimeOf(t: Target, pid: number): Promise<string | undefined> {
    const stat = await readFile(t, `/proc/${pid}/stat`);
    return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

/** True when `pid` is still the server this resource started. */
async function isOurs(t: Target, state: ServicesState): Promise<boolean> {
    const cmdline = await readFile(t, `/proc/${state.pid}/cmdline`);
    return cmdline !== undefined && cmdline.includes(SERVER_SCRIPT) && (await startTimeOf(t, state.pid)) === state.startTime;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 5 s, polling every 20 ms) until the server has exited and released its ports. */
async function untilGone(t: Target, state: ServicesState): Promise<void> {
    for (let i = 0; i < 250 && (await isOurs(t, state)); i++) await pause(20);
}

/**
 * A PID file per resource, written by the server itself as its first act,
 * so a create interrupted at any point after the start can stop what it
 * started (the server outlives a killed provider).
 */
const PID_DIR = "/run/netplumb/services";

function pidFile(spec: Pick<ServicesSpec, "owner">): string {
    return `${PID_DIR}/${spec.owner.replace(/[^A-Za-z0-9_.-]/g, "_")}.pid`;
}

/** Stops a server left by an interrupted create of this resource (its PID file names it). */
async function stopLeftover(t: Target, spec: ServicesSpec): Promise<void> {
    const [pid, startTime] = ((await readFile(t, pidFile(spec))) ?? "").trim().split(" ");
    if (pid && startTime) await deleteServices({ ...spec, pid: Number(pid), startTime });
}

/** Starts the server in the namespace; it records its PID in its PID file, and state records it too. */
export async function createServices(spec: ServicesSpec): Promise<ServicesState> {
    const t = target(spec);
    await stopLeftover(t, spec);
    await makeDirectories(t, PID_DIR);
    const pid = await t.host.start(serverArgv(spec));
    await pause(300);
    const startTime = await startTimeOf(t, pid);
    if (startTime === undefined)
        throw new Error(`the sandbox server in namespace ${spec.namespace} exited at once; is port 53 or one of ${spec.ports.join(", ")} taken?`);
    return { ...spec, pid, startTime };
}

/** The state while the recorded process still runs; undefined when it is gone. */
export async function readServices(state: ServicesState): Promise<ServicesState | undefined> {
    return (await isOurs(target(state), state)) ? state : undefined;
}

/** Stops only the process this resource started, by its PID. Gone is success. Equivalent to: `kill PID`. */
export async function deleteServices(state: ServicesState): Promise<void> {
    const t = target(state);
    if (await isOurs(t, state)) {
        await t.exec(["kill", String(state.pid)]);
        await untilGone(t, state);
    }
    const recorded = ((await readFile(t, pidFile(state))) ?? "").trim();
    if (recorded === `${state.pid} ${state.startTime}`) {
        await removeFile(t, pidFile(state));
        for (const dir of [PID_DIR, "/run/netplumb"]) await removeEmptyDirectory(t, dir);
    }
}

/**
 * Moves the PID file to the name of `owner` (the server keeps running).
 * Equivalent to: `mv -T /run/netplumb/services/OLD.pid /run/netplumb/services/NEW.pid`.
 */
export async function retagServices(previous: ServicesState, owner: string): Promise<void> {
    const t = target(previous);
    if ((await readFile(t, pidFile(previous))) === undefined) return;
    await renameAtomically(t, pidFile(previous), pidFile({ owner }));
}

/** A change of ports or records restarts the server. */
export async function updateServices(previous: ServicesState, spec: ServicesSpec): Promise<ServicesState> {
    await deleteServices(previous);
    return createServices(spec);
}

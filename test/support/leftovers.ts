import { execFileSync } from "child_process";
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync } from "fs";
import { join } from "path";
import { namespaces } from "./sandbox";
import { MachineSnapshot } from "./snapshot";

/** What a test made, by name: its namespaces' prefix and its stacks' names. */
export interface TestFootprint {
    /** Every namespace the test made starts with `<prefix>-`. */
    readonly prefix: string;
    /** The test's stack names: IPAM pools and PID files carry them. */
    readonly stacks: readonly string[];
}

function entries(dir: string): string[] {
    try {
        return readdirSync(dir);
    } catch {
        return [];
    }
}

function removeIfEmpty(dir: string): void {
    try {
        rmdirSync(dir);
    } catch {
        // not empty, or gone
    }
}

/** True when the file names one of the stacks as a whole `_<stack>_` part (pool ids and PID files). */
function namesStack(file: string, stacks: readonly string[]): boolean {
    return stacks.some((stack) => file.includes(`_${stack}_`) || file.includes(`/${stack}/`));
}

/** Stops a sandbox server recorded in a PID file, only when that PID still runs the server it recorded. */
function stopRecordedServer(pidFile: string): void {
    const [pid, startTime] = readFileSync(pidFile, "utf8").trim().split(" ");
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const started = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
        if (started === startTime && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("uplink-server")) process.kill(Number(pid), "SIGKILL");
    } catch {
        // the process is gone
    }
}

/**
 * Removes what a test's labs left on the machine without going through their
 * stacks (whose state may be unreadable after a kill): sandbox servers named
 * by the stacks' PID files (by PID and start time), namespaces
 * `<prefix>-*`, `/etc/netns/<prefix>-*`, the stacks' IPAM pools, write-ahead
 * records and sysctl holders (of namespaces `<prefix>-*`), and the
 * shared parents (`/etc/netns`, `/var/lib/netplumb`, `/run/netplumb`) when
 * they were absent in `baseline` and are empty now. Returns what it removed.
 */
export function removeLeftovers(footprint: TestFootprint, baseline?: MachineSnapshot): string[] {
    const removed: string[] = [];
    const services = "/run/netplumb/services";
    for (const file of entries(services).filter((f) => namesStack(f, footprint.stacks))) {
        stopRecordedServer(join(services, file));
        rmSync(join(services, file), { force: true });
        removed.push(join(services, file));
    }
    for (const name of namespaces().filter((n) => n.startsWith(`${footprint.prefix}-`))) {
        execFileSync("ip", ["netns", "del", name]);
        removed.push(`netns ${name}`);
    }
    for (const dir of entries("/etc/netns").filter((n) => n.startsWith(`${footprint.prefix}-`))) {
        rmSync(join("/etc/netns", dir), { recursive: true, force: true });
        removed.push(join("/etc/netns", dir));
    }
    const intents = "/run/netplumb/creating";
    for (const file of entries(intents).filter((f) => namesStack(f, footprint.stacks))) {
        rmSync(join(intents, file), { force: true });
        removed.push(join(intents, file));
    }
    const holders = "/run/netplumb/sysctl";
    for (const dir of entries(holders).filter((n) => n.startsWith(`${footprint.prefix}-`))) {
        rmSync(join(holders, dir), { recursive: true, force: true });
        removed.push(join(holders, dir));
    }
    const store = "/var/lib/netplumb/ipam";
    for (const pool of entries(store).filter((p) => namesStack(`_${p}_`, footprint.stacks))) {
        rmSync(join(store, pool), { recursive: true, force: true });
        removed.push(join(store, pool));
    }
    removeSharedParents(baseline);
    return removed;
}

/** Shared directories that did not exist before the test go again once empty. */
function removeSharedParents(baseline?: MachineSnapshot): void {
    if (baseline === undefined) return;
    if (baseline.etcNetns === "absent") removeIfEmpty("/etc/netns");
    if (baseline.runNetplumb === "absent") {
        if (!existsSync("/etc/netns")) rmSync("/run/netplumb/created-etc-netns", { force: true });
        for (const dir of ["/run/netplumb/services", "/run/netplumb/sysctl", "/run/netplumb/creating", "/run/netplumb"]) removeIfEmpty(dir);
    }
    if (baseline.varLibNetplumb === "absent") for (const dir of ["/var/lib/netplumb/ipam", "/var/lib/netplumb"]) removeIfEmpty(dir);
}

import { execFile } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import type { LabTopology, TopologyMember } from "../components/topology";
import { closeSshHosts, sshHostFor, sshLabel } from "../host/ssh";
import { inParallel } from "../kernel/parallel";
import { MatrixCell, expectedMatrix } from "./expectations";
import { neighbourEntriesNeeded, neighbourTableFulls, neighbourTableLimit, neighbourTableWarning } from "./neighbour-table";

/** The probe script shipped with netplumb. */
const PROBE = join(__dirname, "..", "sandbox", "probe.js");

/** Runs one member's probes on this machine: `ip netns exec NS node probe.js JSON`. */
export function runProbesHere(namespace: string, probes: string): Promise<boolean[]> {
    const argv = ["netns", "exec", namespace, process.execPath, PROBE, probes];
    return new Promise((resolve, reject) =>
        execFile("ip", argv, { timeout: 30_000 }, (error, stdout) =>
            error ? reject(new Error(`probing from ${namespace} failed: ${error.message}`)) : resolve(JSON.parse(stdout) as boolean[]),
        ),
    );
}

/**
 * The argv that runs probes inside `namespace` on another host, with that
 * host's Node.js: the probe script travels as `node -e`'s argument (quoted
 * as every remote argv is), so nothing is copied onto the host.
 */
export function remoteProbeArgv(namespace: string, probes: string, script: string = readFileSync(PROBE, "utf8")): string[] {
    return ["ip", "netns", "exec", namespace, "node", "-e", `${script}\nmain(process.argv[1]);`, probes];
}

/** Runs one member's probes where it lives: this machine, or its host over SSH. */
async function runProbes(topology: LabTopology, member: TopologyMember, cells: MatrixCell[]): Promise<boolean[]> {
    const probes = JSON.stringify(cells.map((c) => c.probe));
    const ssh = member.host === undefined ? undefined : topology.hosts?.[member.host]?.ssh;
    if (ssh === undefined) return runProbesHere(member.namespace, probes);
    const result = await sshHostFor(ssh).exec(remoteProbeArgv(member.namespace, probes));
    if (result.code !== 0) {
        const missingNode = /node: (command )?not found|No such file/.test(result.stderr)
            ? "; check runs its probes with Node.js on each host: install it there"
            : "";
        throw new Error(`probing from ${member.namespace} on host ${member.host} (${sshLabel(ssh)}) failed: ${result.stderr.trim()}${missingNode}`);
    }
    return JSON.parse(result.stdout) as boolean[];
}

/** How a check runs: how many members probe at once, which cells, and who hears about progress. */
export interface CheckOptions {
    /** Members probing at the same time (one process each). Default 8. */
    readonly concurrency?: number;
    /** Only the cells from this member. Default: every member. */
    readonly only?: string;
    /** At most this many cells, drawn at random (a quick look at a large lab). Default: all. */
    readonly sample?: number;
    /** Called after each member's probes with the members done and the total. */
    readonly onProgress?: (done: number, total: number) => void;
    /** Told why pings may fail for the machine's neighbour table rather than the policy: before (too many pairs for it) and after (it was full meanwhile). */
    readonly onWarning?: (message: string) => void;
}

/** Runs each member's cells (all of them in one process per member, a bounded number of members at once) and fills in `actual`. */
async function probeCells(topology: LabTopology, cells: MatrixCell[], options: CheckOptions): Promise<void> {
    const members = topology.members.filter((m) => cells.some((c) => c.from === m.name));
    let done = 0;
    await inParallel(members, options.concurrency ?? 8, async (m) => {
        const own = cells.filter((c) => c.from === m.name);
        const results = await runProbes(topology, m, own);
        own.forEach((cell, i) => (cell.actual = results[i]));
        options.onProgress?.(++done, members.length);
    });
}

/** The cells a check covers: every expected cell, narrowed by `only` and `sample`. */
export function selectCells(cells: MatrixCell[], options: CheckOptions, random: () => number = Math.random): MatrixCell[] {
    const chosen = options.only === undefined ? cells : cells.filter((c) => c.from === options.only);
    if (options.sample === undefined || options.sample >= chosen.length) return chosen;
    const shuffled = [...chosen];
    for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return shuffled.slice(0, options.sample);
}

/**
 * Tests a lab for real: every member's probes run in one process inside its
 * namespace (`ip netns exec NS node probe.js`), a bounded number of members
 * at once; in a multi-host lab, on the member's host over SSH. A cell that differs from the policy is probed once more after a
 * short pause (a first packet can be lost to neighbour resolution on a busy
 * machine); a real policy error differs both times. Returns the matrix with
 * `actual` filled in.
 */
export async function checkLab(topology: LabTopology, options: CheckOptions = {}): Promise<MatrixCell[]> {
    const cells = selectCells(expectedMatrix(topology), options);
    const limit = neighbourTableLimit();
    const tooMany = neighbourTableWarning(neighbourEntriesNeeded(cells), limit);
    if (tooMany) options.onWarning?.(tooMany);
    const fullBefore = neighbourTableFulls();
    try {
        await probeCells(topology, cells, options);
        const differing = cells.filter((c) => c.actual !== c.expected);
        if (differing.length > 0) {
            await new Promise((r) => setTimeout(r, 1000));
            await probeCells(topology, differing, { ...options, onProgress: undefined });
        }
        const full = neighbourTableFulls() - fullBefore;
        if (full > 0 && cells.some((c) => c.actual !== c.expected)) {
            options.onWarning?.(
                `the machine's neighbour table (${limit} entries, net.ipv4.neigh.default.gc_thresh3) was full ${full} times during the check: a ping that failed may have failed for want of room, not because of the policy`,
            );
        }
        return cells;
    } finally {
        closeSshHosts();
    }
}

/** True when every cell's actual result is the expected one. */
export function matrixPasses(cells: readonly MatrixCell[]): boolean {
    return cells.every((c) => c.actual === c.expected);
}

/** The matrix as a table: one row per member, one column per target; each cell "expected/actual". */
export function formatMatrix(cells: readonly MatrixCell[]): string {
    const rows = [...new Set(cells.map((c) => c.from))];
    const targets = [...new Set(cells.map((c) => c.to))];
    const columns = [...rows.filter((r) => targets.includes(r)), ...targets.filter((t) => !rows.includes(t))];
    const mark = (v: boolean | undefined) => (v === undefined ? "?" : v ? "allow" : "deny");
    const cell = (row: string, col: string) => {
        const c = cells.find((x) => x.from === row && x.to === col);
        if (c === undefined) return "-";
        return `${c.actual === c.expected ? "✓" : "✗"} ${mark(c.expected)}/${mark(c.actual)}`;
    };
    const table = [["from \\ to", ...columns], ...rows.map((r) => [r, ...columns.map((c) => cell(r, c))])];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => [...row[i]].length)));
    const lines = table.map((row) => row.map((v, i) => v + " ".repeat(widths[i] - [...v].length)).join("  "));
    const failed = cells.filter((c) => c.actual !== c.expected).length;
    return [
        ...lines,
        "",
        "cells read expected/actual",
        failed === 0 ? `all ${cells.length} checks match the declared policy` : `${failed} of ${cells.length} checks differ from the declared policy`,
    ].join("\n");
}

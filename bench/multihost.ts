/**
 * The 3-host lab (examples/multihost on three emulated machines reached
 * over SSH, Debian's sshd, a VXLAN overlay) timed the way the single-host
 * lab is: `up`, a no-change `preview`, `netplumb check` (every cell, probed
 * on each machine over SSH) and `destroy`, each run in a fresh stack. The
 * members are spread round-robin over the machines, a resource each,
 * transpile-only (what the e2e suites and the README's setup use).
 */
import { ChildProcess, spawn } from "child_process";
import { join } from "path";
import { EmulatedHosts } from "../test/support/emulated-host";
import { ROOT } from "../test/support/engine";
import { MULTIHOST, SshLabProject } from "../test/support/ssh-project";
import { Stats, stats } from "./report";

/** Where the emulated internet answers: the control namespace's underlay address. */
const INTERNET = "198.51.100.2";

/** `n` members spread round-robin over h1..h3, a third of them with an egress allow-list. */
export function spreadMembers(n: number): Record<string, { host: string; egress?: Array<{ protocol: string; ports: number[] }> }> {
    return Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
            `m${String(i).padStart(2, "0")}`,
            { host: `h${(i % 3) + 1}`, ...(i % 3 === 1 ? { egress: [{ protocol: "tcp", ports: [80] }] } : {}) },
        ]),
    );
}

export interface MultiHostResult {
    readonly n: number;
    readonly runs: number;
    readonly up: Stats;
    readonly preview: Stats;
    readonly check: Stats;
    readonly destroy: Stats;
}

function timed(action: () => void): number {
    const started = process.hrtime.bigint();
    action();
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Runs the 3-host lab `runs` times with `n` members (at most 61: the example's /26). */
export async function multiHostBench(n: number, runs: number, tag: string): Promise<MultiHostResult> {
    const machines = new EmulatedHosts(3);
    let internet: ChildProcess | undefined;
    const times = { up: [] as number[], preview: [] as number[], check: [] as number[], destroy: [] as number[] };
    try {
        await machines.start();
        const server = join(ROOT, "dist", "sdk", "sandbox", "uplink-server.js");
        internet = spawn("ip", ["netns", "exec", machines.control, process.execPath, server, "--ports", "80,443,22", "--records", `example.test=${INTERNET}`], {
            stdio: "ignore",
        });
        for (let run = 0; run < runs; run++) {
            const project = new SshLabProject(
                machines,
                `bench-mh-${tag}-${run}`,
                { members: JSON.stringify(spreadMembers(n)), internet: JSON.stringify({ address: INTERNET, dnsName: "example.test" }) },
                MULTIHOST,
            );
            try {
                times.up.push(timed(() => project.ok("up", "--yes", "--skip-preview")));
                times.preview.push(timed(() => project.ok("preview", "--expect-no-changes")));
                times.check.push(
                    timed(() => {
                        const check = project.netplumb("check");
                        if (check.code !== 0) throw new Error(`bench: netplumb check failed on the 3-host lab:\n${check.stdout}${check.stderr}`);
                    }),
                );
                times.destroy.push(timed(() => project.ok("destroy", "--yes", "--skip-preview")));
            } finally {
                project.dispose();
            }
            console.log(`bench: 3-host lab n=${n} run ${run + 1}/${runs}: up ${times.up[run].toFixed(1)} s, destroy ${times.destroy[run].toFixed(1)} s`);
        }
    } finally {
        if (internet?.pid !== undefined && internet.exitCode === null) internet.kill("SIGTERM");
        await machines.destroy();
    }
    return { n, runs, up: stats(times.up), preview: stats(times.preview), check: stats(times.check), destroy: stats(times.destroy) };
}

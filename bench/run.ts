/**
 * `npm run bench`: netplumb against hand-written scripts, on one machine in
 * one run. For each lab size N (10 and 100; 500 with --with-500) and each of
 * --runs R (default 3) runs, in sandbox namespaces with unique names:
 *   (a) netplumb: fresh `pulumi up`, no-change `preview`, `refresh`, an `up`
 *       that changes one member, `destroy`; state bytes per resource; peak
 *       memory of the engine and the dynamic provider;
 *   (b) a bash script with one ip/nft process per operation;
 *   (c) one `ip -batch` per namespace side and one `nft -f` (the floor).
 * Writes bench/results/latest.json and latest.md (medians, min, max, ratios).
 * Usage: npm run bench -- [--n 10,100] [--with-500] [--runs 3] [--runs-500 1]
 * (N = 500 takes minutes per run, so it runs --runs-500 times, default 1).
 */
import { spawn, execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { cpus, totalmem } from "os";
import { join } from "path";
import { ROOT, engineEnv } from "../test/support/engine";
import { benchTopology, buildFloor, scriptFor, teardown } from "./baselines";
import { Peaks, sampleMemory } from "./memory";
import { Stats, markdownTable, stats } from "./report";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const sizes = (option("n") ?? "10,100")
    .split(",")
    .map(Number)
    .concat(args.includes("--with-500") ? [500] : []);
const runsPerSize = Number(option("runs") ?? 3);
const runsAt500 = Number(option("runs-500") ?? 1);
const tag = Math.random().toString(36).slice(2, 5);

/** The engine's environment as users have it: the program type-checked on every run (the tests transpile only). */
function benchEnv(): NodeJS.ProcessEnv {
    return { ...engineEnv(), PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "false" };
}

/** Runs a command (argv, no shell) and resolves with its wall time in seconds; rejects on failure. */
function timed(cmd: string, argv: string[], cwd: string): Promise<number> {
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, argv, { cwd, env: benchEnv(), stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) =>
            code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e9) : reject(new Error(`${cmd} ${argv.join(" ")}: ${stderr}`)),
        );
    });
}

const pulumi = (project: string, ...argv: string[]) => timed("pulumi", [...argv, "--non-interactive"], project);

function prepareProject(n: number): string {
    const project = join(ROOT, ".tools", "bench", `project-${n}-${tag}`);
    mkdirSync(project, { recursive: true });
    cpSync(join(ROOT, "bench", "project"), project, { recursive: true, filter: (src) => !src.includes("node_modules") });
    execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), project], { stdio: "ignore" });
    return project;
}

/** Bytes of the exported state per custom resource and per lab member. */
function stateBytes(project: string, stack: string, n: number): { perResource: number; perMember: number } {
    const state = execFileSync("pulumi", ["stack", "export", "--stack", stack], { cwd: project, env: benchEnv(), encoding: "utf8", maxBuffer: 1 << 30 });
    const resources = (JSON.parse(state) as { deployment: { resources: Array<{ custom?: boolean; type: string }> } }).deployment.resources.filter(
        (r) => r.custom && !r.type.startsWith("pulumi:providers"),
    );
    const bytes = Buffer.byteLength(JSON.stringify(JSON.parse(state)));
    return { perResource: Math.round(bytes / resources.length), perMember: Math.round(bytes / n) };
}

interface NetplumbRun {
    up: number;
    preview: number;
    refresh: number;
    change: number;
    destroy: number;
    stateBytes: number;
    stateBytesPerMember: number;
    peaks: Peaks;
}

async function netplumbRun(project: string, n: number, run: number): Promise<NetplumbRun> {
    const stack = `bench-${n}-${run}-${tag}`;
    const config = (key: string, value: string) => execFileSync("pulumi", ["config", "set", "--stack", stack, key, value], { cwd: project, env: benchEnv() });
    execFileSync("pulumi", ["stack", "init", stack], { cwd: project, env: benchEnv() });
    config("prefix", `nb${tag}${run}`);
    config("count", String(n));
    const memory = sampleMemory();
    const up = await pulumi(project, "up", "--yes", "--skip-preview", "--stack", stack);
    const peaks = memory.stop();
    const state = stateBytes(project, stack, n);
    const preview = await pulumi(project, "preview", "--expect-no-changes", "--stack", stack);
    const refresh = await pulumi(project, "refresh", "--yes", "--skip-preview", "--stack", stack);
    config("changed", "0");
    const change = await pulumi(project, "up", "--yes", "--skip-preview", "--stack", stack);
    const destroy = await pulumi(project, "destroy", "--yes", "--skip-preview", "--stack", stack);
    execFileSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", stack], { cwd: project, env: benchEnv() });
    return { up, preview, refresh, change, destroy, stateBytes: state.perResource, stateBytesPerMember: state.perMember, peaks };
}

async function scriptRun(n: number, run: number): Promise<number> {
    const prefix = `ns${tag}${run}`;
    const members = benchTopology(prefix, n);
    const file = join(ROOT, ".tools", "bench", `script-${n}-${run}.sh`);
    const etcNetnsExisted = existsSync("/etc/netns");
    writeFileSync(file, scriptFor(prefix, members));
    try {
        return await timed("bash", [file], ROOT);
    } finally {
        teardown(prefix, members, etcNetnsExisted);
        rmSync(file, { force: true });
    }
}

function floorRun(n: number, run: number): number {
    const prefix = `nf${tag}${run}`;
    const members = benchTopology(prefix, n);
    const etcNetnsExisted = existsSync("/etc/netns");
    const start = process.hrtime.bigint();
    try {
        buildFloor(prefix, members);
        return Number(process.hrtime.bigint() - start) / 1e9;
    } finally {
        teardown(prefix, members, etcNetnsExisted);
    }
}

async function measure(n: number) {
    const runs = n === 500 ? runsAt500 : runsPerSize;
    const project = prepareProject(n);
    const a: NetplumbRun[] = [];
    const b: number[] = [];
    const c: number[] = [];
    for (let run = 0; run < runs; run++) {
        b.push(await scriptRun(n, run));
        c.push(floorRun(n, run));
        a.push(await netplumbRun(project, n, run));
        console.log(`bench: n=${n} run ${run + 1}/${runs}: up ${a[run].up.toFixed(1)} s, script ${b[run].toFixed(2)} s, floor ${c[run].toFixed(2)} s`);
    }
    rmSync(project, { recursive: true, force: true });
    const of = (f: (r: NetplumbRun) => number): Stats => stats(a.map(f));
    const up = of((r) => r.up);
    const script = stats(b);
    const floor = stats(c);
    return {
        n,
        runs,
        upSeconds: up.median,
        scriptSeconds: script.median,
        floorSeconds: floor.median,
        upVsScript: up.median / script.median,
        upVsFloor: up.median / floor.median,
        previewSeconds: of((r) => r.preview).median,
        refreshSeconds: of((r) => r.refresh).median,
        changeSeconds: of((r) => r.change).median,
        destroySeconds: of((r) => r.destroy).median,
        stateBytesPerResource: of((r) => r.stateBytes).median,
        stateBytesPerMember: of((r) => r.stateBytesPerMember).median,
        enginePeakMiB: of((r) => r.peaks.engine).max,
        providerPeakMiB: of((r) => r.peaks.provider).max,
        spread: { up, script, floor, preview: of((r) => r.preview), refresh: of((r) => r.refresh), change: of((r) => r.change), destroy: of((r) => r.destroy) },
    };
}

async function main(): Promise<void> {
    mkdirSync(join(ROOT, ".tools", "bench"), { recursive: true });
    const results = [];
    for (const n of sizes) results.push(await measure(n));
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`;
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "latest.json"), JSON.stringify({ machine, runs: results }, null, 2) + "\n");
    writeFileSync(join(dir, "latest.md"), markdownTable(machine, results));
    console.log(markdownTable(machine, results));
}

main().catch((error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exit(1);
});

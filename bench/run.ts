/**
 * `npm run bench`: netplumb against its peers, on one machine in one run.
 * For each lab size N (10 and 100; 500 and 1000 with --with-500 and
 * --with-1000) and each of --runs R (default 3) runs, in sandbox namespaces
 * with unique names:
 *   (a) netplumb: fresh `pulumi up`, no-change `preview`, `refresh`, an `up`
 *       that changes one member, `destroy`; state bytes per resource; peak
 *       memory of the engine and the dynamic provider; all of it three
 *       times: the program type-checked (Pulumi's default), transpile-only,
 *       and transpile-only with the members as one resource
 *       (`memberResources: "one"`);
 *   (b) a bash script with one ip/nft process per operation;
 *   (c) one `ip -batch` per namespace side and one `nft -f` (the floor);
 *   Ansible and Pulumi with one resource per command (bench/peers.ts), at
 *   N <= 100 only, --peer-runs times (default 1: they take minutes);
 *   the engine's empty-program floor, once per run.
 * Writes bench/results/latest.json and latest.md (medians, min, max, ratios).
 * Usage: npm run bench -- [--n 10,100] [--with-500] [--with-1000] [--runs 3]
 * [--runs-500 1] [--peer-runs 1] [--no-peers] [--multihost-n 10] [--no-multihost].
 * N >= 500 runs --runs-500 times. The 3-host lab (bench/multihost.ts) runs
 * --runs times at --multihost-n members.
 */
import { execFileSync, spawnSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { cpus, totalmem } from "os";
import { join } from "path";
import { ROOT, engineEnv } from "../test/support/engine";
import { benchTopology, buildFloor, scriptFor, teardown } from "./baselines";
import { Peaks, sampleMemory } from "./memory";
import { MultiHostResult, multiHostBench } from "./multihost";
import { ansibleRun, emptyProgramRun, ensureAnsible, perCommandRun, preparePerCommand, timedRun } from "./peers";
import { Stats, markdownTable, stats } from "./report";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const sizes = (option("n") ?? "10,100")
    .split(",")
    .map(Number)
    .concat(args.includes("--with-500") ? [500] : [], args.includes("--with-1000") ? [1000] : []);
const runsPerSize = Number(option("runs") ?? 3);
const runsAt500 = Number(option("runs-500") ?? 1);
const peerRuns = args.includes("--no-peers") ? 0 : Number(option("peer-runs") ?? 1);
/** Members of the 3-host lab (0: not run). */
const multiHostN = args.includes("--no-multihost") ? 0 : Number(option("multihost-n") ?? 10);
const tag = Math.random().toString(36).slice(2, 5);

/**
 * How the lab is deployed: the program type-checked on every run (Pulumi's
 * default for TypeScript) or transpile-only, each with a resource per
 * member; and transpile-only with the members as one resource.
 */
type Mode = "typeChecked" | "transpileOnly" | "oneResource";

/** The stack name's and namespace prefix's letter for each mode. */
const MODE_LETTER: Record<Mode, string> = { typeChecked: "t", transpileOnly: "j", oneResource: "o" };

/** The engine's environment for `mode`. */
function benchEnv(mode: Mode = "typeChecked"): NodeJS.ProcessEnv {
    return { ...engineEnv(), PULUMI_NODEJS_TRANSPILE_ONLY: String(mode !== "typeChecked") };
}

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
    /** `netplumb check` on the fresh lab (transpile-only runs only): seconds, cells, and whether all matched. */
    check?: { seconds: number; cells: number; passed: boolean };
    preview: number;
    refresh: number;
    change: number;
    destroy: number;
    stateBytes: number;
    stateBytesPerMember: number;
    peaks: Peaks;
}

async function netplumbRun(project: string, n: number, run: number, mode: Mode): Promise<NetplumbRun> {
    const stack = `bench-${n}-${run}-${mode}-${tag}`;
    const env = benchEnv(mode);
    const pulumi = (...argv: string[]) => timedRun("pulumi", [...argv, "--non-interactive"], project, env);
    const config = (key: string, value: string) => execFileSync("pulumi", ["config", "set", "--stack", stack, key, value], { cwd: project, env });
    execFileSync("pulumi", ["stack", "init", stack], { cwd: project, env });
    config("prefix", `nb${tag}${run}${MODE_LETTER[mode]}`);
    config("count", String(n));
    if (mode === "oneResource") config("memberResources", "one");
    let destroyed = false;
    try {
        const memory = sampleMemory();
        const up = await pulumi("up", "--yes", "--skip-preview", "--stack", stack);
        const peaks = memory.stop();
        const state = stateBytes(project, stack, n);
        const check = mode === "transpileOnly" ? checkRun(project, stack, env) : undefined;
        const preview = await pulumi("preview", "--expect-no-changes", "--stack", stack);
        const refresh = await pulumi("refresh", "--yes", "--skip-preview", "--stack", stack);
        config("changed", "0");
        const change = await pulumi("up", "--yes", "--skip-preview", "--stack", stack);
        const destroy = await pulumi("destroy", "--yes", "--skip-preview", "--stack", stack);
        destroyed = true;
        return { up, preview, refresh, change, destroy, check, stateBytes: state.perResource, stateBytesPerMember: state.perMember, peaks };
    } finally {
        // A run that failed halfway still takes its lab down (through its stack: the state knows every object);
        // without --force, the stack is kept when that destroy left anything, so nothing is lost track of.
        if (!destroyed)
            spawnSync("pulumi", ["destroy", "--yes", "--skip-preview", "--non-interactive", "--stack", stack], { cwd: project, env, stdio: "ignore" });
        spawnSync("pulumi", ["stack", "rm", "--yes", "--non-interactive", "--stack", stack], { cwd: project, env, stdio: "ignore" });
    }
}

/**
 * `netplumb check` on the lab as users run it (the installed bin, reading
 * the stack's topology): every member pings every other, eight members
 * probing at once. Wall-clock seconds of the whole command, and its cells.
 */
function checkRun(project: string, stack: string, env: NodeJS.ProcessEnv): NetplumbRun["check"] {
    const bin = join(project, "node_modules", ".bin", "netplumb");
    const started = process.hrtime.bigint();
    let out: string;
    try {
        out = execFileSync(bin, ["check", "--stack", stack, "--cwd", project, "--json"], { env, encoding: "utf8", maxBuffer: 1 << 30 });
    } catch (error) {
        out = (error as { stdout: string }).stdout;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result = JSON.parse(out) as { passed: boolean; cells: unknown[] };
    return { seconds, cells: result.cells.length, passed: result.passed };
}

async function scriptRun(n: number, run: number): Promise<number> {
    const prefix = `ns${tag}${run}`;
    const members = benchTopology(prefix, n);
    const file = join(ROOT, ".tools", "bench", `script-${n}-${run}.sh`);
    const etcNetnsExisted = existsSync("/etc/netns");
    writeFileSync(file, scriptFor(prefix, members));
    try {
        return await timedRun("bash", [file], ROOT, process.env);
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

/** The slow peers at size n (N <= 100 only), `peerRuns` times: Ansible, and Pulumi with one resource per command. */
async function peersAt(n: number) {
    if (n > 100 || peerRuns === 0) return undefined;
    ensureAnsible();
    const ansible: number[] = [];
    const perCommand: Array<{ up: number; destroy: number }> = [];
    const etcNetnsExisted = existsSync("/etc/netns");
    const dir = preparePerCommand(`np${tag}`, n);
    try {
        for (let run = 0; run < peerRuns; run++) {
            ansible.push(await ansibleRun(`na${tag}${run}`, n, etcNetnsExisted));
            // The per-command program's operations name prefix np<tag>: one stack at a time.
            perCommand.push(await perCommandRun(dir, `per-command-${n}-${run}-${tag}`, `np${tag}`, n, etcNetnsExisted));
            console.log(`bench: n=${n} peers ${run + 1}/${peerRuns}: ansible ${ansible[run].toFixed(1)} s, per-command up ${perCommand[run].up.toFixed(1)} s`);
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    return { ansible: stats(ansible), perCommandUp: stats(perCommand.map((r) => r.up)), perCommandDestroy: stats(perCommand.map((r) => r.destroy)) };
}

/** Medians of each netplumb command, and per member. */
function summary(runs: readonly NetplumbRun[], n: number) {
    const of = (f: (r: NetplumbRun) => number): Stats => stats(runs.map(f));
    const spread = {
        up: of((r) => r.up),
        preview: of((r) => r.preview),
        refresh: of((r) => r.refresh),
        change: of((r) => r.change),
        destroy: of((r) => r.destroy),
    };
    const perMember = Object.fromEntries(Object.entries(spread).map(([k, v]) => [k, v.median / n])) as Record<keyof typeof spread, number>;
    return { spread, perMember };
}

async function measure(n: number) {
    const runs = n >= 500 ? runsAt500 : runsPerSize;
    const project = prepareProject(n);
    const typeChecked: NetplumbRun[] = [];
    const transpileOnly: NetplumbRun[] = [];
    const oneResource: NetplumbRun[] = [];
    const b: number[] = [];
    const c: number[] = [];
    for (let run = 0; run < runs; run++) {
        b.push(await scriptRun(n, run));
        c.push(floorRun(n, run));
        typeChecked.push(await netplumbRun(project, n, run, "typeChecked"));
        transpileOnly.push(await netplumbRun(project, n, run, "transpileOnly"));
        oneResource.push(await netplumbRun(project, n, run, "oneResource"));
        console.log(
            `bench: n=${n} run ${run + 1}/${runs}: up ${typeChecked[run].up.toFixed(1)} s (transpile-only ${transpileOnly[run].up.toFixed(1)} s, one resource ${oneResource[run].up.toFixed(1)} s), script ${b[run].toFixed(2)} s, floor ${c[run].toFixed(2)} s`,
        );
    }
    rmSync(project, { recursive: true, force: true });
    const peers = await peersAt(n);
    const typed = summary(typeChecked, n);
    const fast = summary(transpileOnly, n);
    const one = summary(oneResource, n);
    const script = stats(b);
    const floor = stats(c);
    const of = (f: (r: NetplumbRun) => number): Stats => stats(typeChecked.map(f));
    return {
        n,
        runs,
        upSeconds: typed.spread.up.median,
        scriptSeconds: script.median,
        floorSeconds: floor.median,
        upVsScript: typed.spread.up.median / script.median,
        upVsFloor: typed.spread.up.median / floor.median,
        previewSeconds: typed.spread.preview.median,
        refreshSeconds: typed.spread.refresh.median,
        changeSeconds: typed.spread.change.median,
        destroySeconds: typed.spread.destroy.median,
        perMemberSeconds: typed.perMember,
        transpileOnly: {
            upSeconds: fast.spread.up.median,
            upVsScript: fast.spread.up.median / script.median,
            previewSeconds: fast.spread.preview.median,
            refreshSeconds: fast.spread.refresh.median,
            changeSeconds: fast.spread.change.median,
            destroySeconds: fast.spread.destroy.median,
            perMemberSeconds: fast.perMember,
            spread: fast.spread,
            checkSeconds: stats(transpileOnly.map((r) => r.check!.seconds)).median,
            checkSpread: stats(transpileOnly.map((r) => r.check!.seconds)),
            checkCells: transpileOnly[0].check!.cells,
            checkPassed: transpileOnly.every((r) => r.check!.passed),
        },
        oneResource: {
            upSeconds: one.spread.up.median,
            upVsScript: one.spread.up.median / script.median,
            previewSeconds: one.spread.preview.median,
            refreshSeconds: one.spread.refresh.median,
            changeSeconds: one.spread.change.median,
            destroySeconds: one.spread.destroy.median,
            perMemberSeconds: one.perMember,
            spread: one.spread,
            stateBytesPerMember: stats(oneResource.map((r) => r.stateBytesPerMember)).median,
            enginePeakMiB: stats(oneResource.map((r) => r.peaks.engine)).max,
            providerPeakMiB: stats(oneResource.map((r) => r.peaks.provider)).max,
        },
        ansibleSeconds: peers?.ansible.median,
        perCommandSeconds: peers?.perCommandUp.median,
        perCommandDestroySeconds: peers?.perCommandDestroy.median,
        upVsAnsible: peers ? one.spread.up.median / peers.ansible.median : undefined,
        upVsPerCommand: peers ? one.spread.up.median / peers.perCommandUp.median : undefined,
        stateBytesPerResource: of((r) => r.stateBytes).median,
        stateBytesPerMember: of((r) => r.stateBytesPerMember).median,
        enginePeakMiB: of((r) => r.peaks.engine).max,
        providerPeakMiB: of((r) => r.peaks.provider).max,
        spread: { ...typed.spread, script, floor },
        peerSpread: peers,
    };
}

/** The engine's empty-program floor, `runsPerSize` times. */
async function floors() {
    const runs: Array<Awaited<ReturnType<typeof emptyProgramRun>>> = [];
    try {
        for (let run = 0; run < runsPerSize; run++) runs.push(await emptyProgramRun(tag, run));
    } finally {
        for (const name of ["empty-ts", "empty-js", "one-dynamic"]) rmSync(join(ROOT, ".tools", "bench", `${name}-${tag}`), { recursive: true, force: true });
    }
    const of = (f: (r: (typeof runs)[number]) => number) => stats(runs.map(f));
    return {
        version: of((r) => r.version),
        loadSdk: of((r) => r.loadSdk),
        previewTypeChecked: of((r) => r.previewTypeChecked),
        previewTranspileOnly: of((r) => r.previewTranspileOnly),
        upJavaScript: of((r) => r.upJavaScript),
        upOneDynamic: of((r) => r.upOneDynamic),
        previewOneDynamic: of((r) => r.previewOneDynamic),
    };
}

async function main(): Promise<void> {
    mkdirSync(join(ROOT, ".tools", "bench"), { recursive: true });
    const empty = await floors();
    console.log(
        `bench: empty program: preview ${empty.previewTypeChecked.median.toFixed(2)} s type-checked, ${empty.previewTranspileOnly.median.toFixed(2)} s transpile-only; one dynamic resource doing nothing: preview ${empty.previewOneDynamic.median.toFixed(2)} s`,
    );
    const results = [];
    for (const n of sizes)
        results.push({
            ...(await measure(n)),
            emptyPreviewSeconds: empty.previewTypeChecked.median,
            emptyPreviewTranspileOnlySeconds: empty.previewTranspileOnly.median,
            emptyUpSeconds: empty.upJavaScript.median,
            oneDynamicPreviewSeconds: empty.previewOneDynamic.median,
        });
    const multiHost: MultiHostResult | undefined = multiHostN > 0 ? await multiHostBench(multiHostN, runsPerSize, tag) : undefined;
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`;
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "latest.json"), JSON.stringify({ machine, floors: empty, runs: results, multiHost }, null, 2) + "\n");
    writeFileSync(join(dir, "latest.md"), markdownTable(machine, results, empty, multiHost));
    console.log(markdownTable(machine, results, empty, multiHost));
}

main().catch((error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exit(1);
});

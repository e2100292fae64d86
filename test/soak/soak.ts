/**
 * `npm run soak`: four stacks with different labs on this host, each running
 * rounds of `up` (sometimes killed with SIGKILL at a random moment, then
 * `cancel` and `up` again), a random policy change, `refresh` with a
 * no-change preview, and `destroy`, all four concurrently. Every standing lab's
 * connectivity matrix must match its policy at every round; afterwards the
 * machine snapshot must equal the one taken at the start. Not part of
 * `npm test` (it takes long and kills at random moments on purpose).
 * Usage: npm run soak -- [--rounds 20] [--stacks 4] [--seed N]
 * Prints rounds, kills survived and objects lost (leftover namespaces, files
 * or rules after a destroy), and exits 1 when any check failed.
 */
import { spawn } from "child_process";
import { deepStrictEqual } from "assert";
import { engineEnv } from "../support/engine";
import { LabProject } from "../support/lab-project";
import { namespaces } from "../support/sandbox";
import { machineSnapshot, tree } from "../support/snapshot";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const rounds = option("rounds", 20);
const stackCount = option("stacks", 4);
const firstSeed = option("seed", Date.now() % 100000);
let seed = firstSeed;

/** A small deterministic generator, so a failing soak can be replayed with --seed. */
function random(): number {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
}

const POLICIES = [
    "allow",
    "deny",
    [{ protocol: "tcp", ports: [80, 443] }],
    [
        { protocol: "tcp", ports: [22] },
        { protocol: "udp", ports: [53] },
    ],
];
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

function membersFor(stack: number): Record<string, unknown> {
    const names = ["red", "blue", "green", "amber", "cyan"].slice(0, 2 + (stack % 3));
    return Object.fromEntries(names.map((n) => [n, { egress: pick(POLICIES), ingress: pick(["allow", "deny"]) }]));
}

/** Runs `pulumi ARGS` in the lab without blocking the other stacks; resolves with the exit code (or "killed"). */
function pulumiAsync(lab: LabProject, argv: string[], killAfterMs?: number): Promise<number | "killed"> {
    const child = spawn("pulumi", [...argv, "--non-interactive"], { cwd: lab.dir, env: engineEnv(), stdio: "ignore" });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    return new Promise((resolve) =>
        child.on("exit", (code, signal) => {
            if (timer) clearTimeout(timer);
            resolve(signal === "SIGKILL" ? "killed" : (code ?? -1));
        }),
    );
}

interface Tally {
    rounds: number;
    kills: number;
    failures: string[];
    objectsLost: number;
}

async function must(lab: LabProject, tally: Tally, what: string, argv: string[]): Promise<void> {
    const code = await pulumiAsync(lab, argv);
    if (code !== 0) tally.failures.push(`${lab.stack}: ${what} exited ${code}`);
}

/** One round of one stack: (maybe killed) up, converge, check, policy change, check, refresh, destroy. */
async function round(lab: LabProject, index: number, tally: Tally): Promise<void> {
    if (random() < 0.5) {
        const killed = await pulumiAsync(lab, ["up", "--yes", "--skip-preview"], 500 + Math.floor(random() * 8000));
        if (killed === "killed") {
            tally.kills++;
            await pulumiAsync(lab, ["cancel", "--yes"]);
        }
    }
    await must(lab, tally, "up", ["up", "--yes", "--skip-preview"]);
    if (lab.check().code !== 0) tally.failures.push(`${lab.stack}: matrix after up (round ${index})`);
    lab.ok("config", "set", "members", JSON.stringify(membersFor(index + Math.floor(random() * 10))));
    await must(lab, tally, "policy change", ["up", "--yes", "--skip-preview"]);
    if (lab.check().code !== 0) tally.failures.push(`${lab.stack}: matrix after a policy change (round ${index})`);
    await must(lab, tally, "refresh", ["refresh", "--yes", "--skip-preview"]);
    await must(lab, tally, "no-change preview", ["preview", "--expect-no-changes"]);
    await must(lab, tally, "destroy", ["destroy", "--yes", "--skip-preview"]);
    const left = namespaces().filter((n) => n.startsWith(`${lab.prefix}-`));
    const etc = tree("/etc/netns");
    const files = etc === "absent" ? [] : etc.filter((f) => f.startsWith(`${lab.prefix}-`));
    tally.objectsLost += left.length + files.length;
    if (left.length + files.length > 0) tally.failures.push(`${lab.stack}: left after destroy: ${[...left, ...files].join(", ")}`);
}

async function main(): Promise<void> {
    const baseline = machineSnapshot();
    const tag = Math.random().toString(36).slice(2, 5);
    const labs = Array.from({ length: stackCount }, (_, i) => new LabProject(`ns${tag}${i}`, membersFor(i), baseline));
    const tally: Tally = { rounds: 0, kills: 0, failures: [], objectsLost: 0 };
    const started = Date.now();
    console.log(`soak: ${stackCount} stacks, ${rounds} rounds, seed ${firstSeed} (replay with --seed ${firstSeed})`);
    try {
        for (let r = 1; r <= rounds; r++) {
            await Promise.all(labs.map((lab) => round(lab, r, tally)));
            tally.rounds = r;
            console.log(
                `soak: round ${r}/${rounds} done, ${tally.kills} kills survived, ${tally.failures.length} failures, ${Math.round((Date.now() - started) / 1000)} s`,
            );
        }
    } finally {
        for (const lab of labs) tally.objectsLost += lab.dispose().length;
    }
    try {
        deepStrictEqual(machineSnapshot(), baseline);
    } catch (error) {
        tally.failures.push(`machine snapshot differs from the start: ${(error as Error).message.slice(0, 2000)}`);
    }
    console.log(
        `soak: ${tally.rounds} rounds x ${stackCount} stacks, ${tally.kills} kills survived, ${tally.objectsLost} objects lost, ${tally.failures.length} failures in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    for (const failure of tally.failures) console.log(`soak: FAILED ${failure}`);
    process.exitCode = tally.failures.length === 0 && tally.objectsLost === 0 ? 0 : 1;
}

void main();

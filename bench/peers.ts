/**
 * The benchmark's peers, run on the same lab in the same run as netplumb:
 *   - Ansible (Debian's ansible-core, installed here when missing): one
 *     `ansible.builtin.command` task per operation looped over the members,
 *     `file`/`copy` for resolv.conf, as Ansible users write this;
 *   - Pulumi with one resource per command (bench/per-command);
 *   - the engine's floor: empty programs, TypeScript type-checked or
 *     transpile-only, and JavaScript.
 * Each builds exactly the operations of bench/operations.ts in a sandbox
 * host namespace with a unique prefix, and is torn down by exact names.
 */
import { execFileSync, spawn } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { ROOT, engineEnv } from "../test/support/engine";
import { BenchMember, benchTopology, teardown } from "./baselines";
import { Operation, hostOperations, labOperations, memberOperations, ruleOperation } from "./operations";

/** Runs argv (no shell) with `env`, resolving with the wall time in seconds; rejects with the end of its output on failure. */
export function timedRun(cmd: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
    const start = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output = (output + d).slice(-4000)));
        child.stderr.on("data", (d) => (output = (output + d).slice(-4000)));
        child.on("close", (code) =>
            code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e9) : reject(new Error(`${cmd} ${argv.join(" ")} failed:\n${output}`)),
        );
    });
}

/** Installs Debian's ansible-core when `ansible-playbook` is missing (the bench's only system package). */
export function ensureAnsible(): void {
    try {
        execFileSync("ansible-playbook", ["--version"], { stdio: "ignore" });
    } catch {
        console.log("bench: installing ansible-core from Debian (once)");
        execFileSync("apt-get", ["install", "-y", "-qq", "ansible-core"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    }
}

const ITEM: BenchMember = { namespace: "{{ item.namespace }}", hostInterface: "{{ item.hostInterface }}", address: "{{ item.address }}", rules: [] };

/** An operation as an Ansible task (`loop` over `loopVar` when given). */
function task(op: Operation, loopVar?: string): Record<string, unknown> {
    const loop = loopVar ? { loop: `{{ ${loopVar} }}` } : {};
    if ("argv" in op) return { "ansible.builtin.command": { argv: [...op.argv] }, ...loop };
    if ("directory" in op) return { "ansible.builtin.file": { path: op.directory, state: "directory" }, ...loop };
    return { "ansible.builtin.copy": { dest: op.file, content: op.content }, ...loop };
}

/** The playbook: host tasks, then one task per member operation looped over the members, then one looped over every rule. */
export function playbook(host: string, members: readonly BenchMember[]): unknown {
    const rules = members.flatMap((m) => m.rules);
    return [
        {
            hosts: "localhost",
            connection: "local",
            gather_facts: false,
            vars: { members: members.map(({ namespace, hostInterface, address }) => ({ namespace, hostInterface, address })), rules },
            tasks: [
                ...hostOperations(host).map((op) => task(op)),
                ...memberOperations(host, ITEM).map((op) => task(op, "members")),
                { ...task(ruleOperation(host, "{{ item }}"), "rules") },
            ],
        },
    ];
}

/** Ansible builds the lab once; seconds of `ansible-playbook`. */
export async function ansibleRun(prefix: string, n: number, etcNetnsExisted: boolean): Promise<number> {
    const members = benchTopology(prefix, n);
    const dir = join(ROOT, ".tools", "bench", `ansible-${prefix}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "playbook.json"), JSON.stringify(playbook(`${prefix}-host`, members)));
    const env = { ...process.env, ANSIBLE_HOME: join(dir, "home"), ANSIBLE_LOCAL_TEMP: join(dir, "tmp"), ANSIBLE_NOCOLOR: "1" };
    try {
        return await timedRun("ansible-playbook", ["-i", "localhost,", "-e", "ansible_python_interpreter=/usr/bin/python3", "playbook.json"], dir, env);
    } finally {
        teardown(prefix, members, etcNetnsExisted);
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The per-command Pulumi project, prepared once per size: operations.json for `prefix`, dependencies installed. */
export function preparePerCommand(prefix: string, n: number): string {
    const dir = join(ROOT, ".tools", "bench", `per-command-${prefix}`);
    cpSync(join(ROOT, "bench", "per-command"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
    writeFileSync(join(dir, "operations.json"), JSON.stringify(labOperations(`${prefix}-host`, benchTopology(prefix, n))));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: "ignore" });
    return dir;
}

/** Fresh `up` and `destroy` of the per-command program (transpile-only, its best case); seconds of each. */
export async function perCommandRun(dir: string, stack: string, prefix: string, n: number, etcNetnsExisted: boolean) {
    const env = { ...engineEnv(), PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    const pulumi = (...argv: string[]) => timedRun("pulumi", [...argv, "--non-interactive", "--stack", stack], dir, env);
    execFileSync("pulumi", ["stack", "init", stack], { cwd: dir, env, stdio: "ignore" });
    try {
        const up = await pulumi("up", "--yes", "--skip-preview");
        const destroy = await pulumi("destroy", "--yes", "--skip-preview");
        return { up, destroy };
    } finally {
        execFileSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", stack], { cwd: dir, env, stdio: "ignore" });
        teardown(prefix, benchTopology(prefix, n), etcNetnsExisted);
    }
}

/**
 * The engine's floor, seconds: `pulumi version`, loading the SDK, empty
 * TypeScript preview (type-checked and transpile-only), empty JavaScript
 * `up`; and one dynamic resource whose provider does nothing (transpile-only
 * `up` and no-change preview): the least any dynamic provider's command costs.
 */
export async function emptyProgramRun(tag: string, run: number) {
    const prepared = (name: string) => {
        const dir = join(ROOT, ".tools", "bench", `${name}-${tag}`);
        if (!existsSync(dir)) {
            cpSync(join(ROOT, "bench", name), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
            execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: "ignore" });
        }
        return dir;
    };
    const ts = prepared("empty-ts");
    const js = prepared("empty-js");
    const dynamic = prepared("one-dynamic");
    const stack = `empty-${tag}-${run}`;
    const env = (transpileOnly: boolean) => ({ ...engineEnv(), PULUMI_NODEJS_TRANSPILE_ONLY: String(transpileOnly) });
    for (const dir of [ts, js, dynamic]) execFileSync("pulumi", ["stack", "init", stack], { cwd: dir, env: env(true), stdio: "ignore" });
    try {
        const preview = (transpileOnly: boolean) => timedRun("pulumi", ["preview", "--non-interactive", "--stack", stack], ts, env(transpileOnly));
        return {
            version: await timedRun("pulumi", ["version"], ts, env(true)),
            loadSdk: await timedRun("node", ["-e", 'require("@pulumi/pulumi")'], ts, env(true)),
            previewTypeChecked: await preview(false),
            previewTranspileOnly: await preview(true),
            upJavaScript: await timedRun("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack], js, env(true)),
            upOneDynamic: await timedRun("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack], dynamic, env(true)),
            previewOneDynamic: await timedRun("pulumi", ["preview", "--non-interactive", "--stack", stack], dynamic, env(true)),
        };
    } finally {
        for (const dir of [ts, js, dynamic])
            execFileSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", stack], { cwd: dir, env: env(true), stdio: "ignore" });
    }
}

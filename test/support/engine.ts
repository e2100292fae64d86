import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join, resolve } from "path";
import { hasCommand } from "./suite";

/** The repository root. */
export const ROOT = resolve(__dirname, "..", "..");

/**
 * The environment for the `pulumi` CLI: config/offline.env (the one place
 * the offline settings live, shared with scripts/env.sh) with {root}
 * expanded, and the locally built engine first on PATH. Variables already
 * set in the environment win, as in scripts/env.sh.
 */
export function engineEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const line of readFileSync(join(ROOT, "config", "offline.env"), "utf8").split("\n")) {
        const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
        if (match && !env[match[1]]) env[match[1]] = match[2].split("{root}").join(ROOT);
    }
    env.PATH = `${join(ROOT, ".tools", "bin")}:${env.PATH ?? ""}`;
    // The programs are type-checked once by `tsc -p tsconfig.examples.json` (scripts/test.sh); each command only transpiles them.
    env.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";
    // Every test stack is sandboxed, so the lab's public passphrase is the right one here.
    if (!env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) env.PULUMI_CONFIG_PASSPHRASE = env.NETPLUMB_LAB_PASSPHRASE;
    return env;
}

/** The local file backend's directory (PULUMI_BACKEND_URL without `file://` and its query). */
export function backendDir(env: NodeJS.ProcessEnv = engineEnv()): string {
    return (env.PULUMI_BACKEND_URL ?? "").replace(/^file:\/\//, "").replace(/\?.*$/, "");
}

/** The files a stack's checkpoint may occupy in the local backend (the checkpoint, its backup and sidecars). */
export function stackFiles(project: string, stack: string): string[] {
    const dir = join(backendDir(), ".pulumi", "stacks", project);
    return [".json", ".json.bak", ".json.attrs", ".json.bak.attrs"].map((ext) => join(dir, `${stack}${ext}`));
}

/** True when a `pulumi` CLI is available (built by setup or on PATH). */
export function hasPulumi(): boolean {
    return hasCommand("pulumi", engineEnv().PATH);
}

export interface CliResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `pulumi ARGS` in `cwd` (argv, no shell), non-interactively. */
export function pulumi(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliResult {
    const result = spawnSync("pulumi", [...args, "--non-interactive"], {
        cwd,
        env: { ...engineEnv(), ...extraEnv },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        timeout: 10 * 60 * 1000,
    });
    return { code: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Like `pulumi`, but throws with the CLI's output when it fails. */
export function pulumiOk(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
    const result = pulumi(cwd, args, extraEnv);
    if (result.code !== 0) {
        throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
    readonly op: string;
    readonly urn: string;
    readonly oldState?: { inputs?: Record<string, unknown> };
    readonly newState?: { inputs?: Record<string, unknown> };
    /** The provider's detailed diff, by property path (providers that report one, such as Kubernetes'). */
    readonly detailedDiff?: Record<string, { kind: string }>;
}

/** Every leaf path (`spec.http[0].route[1].weight`) whose value differs between `a` and `b`. */
export function changedLeaves(a: unknown, b: unknown, path = ""): string[] {
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
    if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    const child = (k: string) => (Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    return keys.flatMap((k) => changedLeaves(a[k], b[k], child(k)));
}

/**
 * The top-level inputs a step changes. Dynamic providers report no detailed
 * diff, so the CLI (and this) compares the old and new inputs.
 */
export function changedInputs(step: PreviewStep): string[] {
    const olds = step.oldState?.inputs ?? {};
    const news = step.newState?.inputs ?? {};
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)].filter((k) => !k.startsWith("__")));
    return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

/** A compact view of steps for assertions and messages: [name, op, changed inputs]. */
export function summarize(steps: PreviewStep[]): Array<[string, string, string[]]> {
    return steps.map((s): [string, string, string[]] => [nameOf(s.urn), s.op, changedInputs(s)]).sort();
}

/** The steps of a preview that do something (not "same"). */
export function previewSteps(cwd: string): PreviewStep[] {
    const out = JSON.parse(pulumiOk(cwd, ["preview", "--json"])) as { steps?: PreviewStep[] };
    return (out.steps ?? []).filter((s) => s.op !== "same");
}

/** The last part of a URN: the resource's name. */
export function nameOf(urn: string): string {
    return urn.split("::").pop()!;
}

import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { ROOT, engineEnv, pulumi, pulumiOk, stackFiles } from "./engine";
import { removeLeftovers } from "./leftovers";
import { MachineSnapshot } from "./snapshot";

/** The lab example's Pulumi project name. */
export const LAB_PROJECT = "netplumb-lab";

/** Copies examples/lab (without installed packages or stack files) to `dir` and installs the packed netplumb there. */
export function copyLabExample(dir: string): void {
    mkdirSync(dir, { recursive: true });
    cpSync(join(ROOT, "examples", "lab"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") && !/Pulumi\..+\.yaml$/.test(src) });
    execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), dir], { stdio: "ignore" });
}

/**
 * A copy of examples/lab with netplumb installed from the packed tarball,
 * one stack (`lab-<prefix>`), and helpers for the CLI and the connectivity
 * check. Every namespace it makes starts with `<prefix>-`.
 */
export class LabProject {
    readonly dir: string;
    readonly stack: string;

    private readonly env: NodeJS.ProcessEnv;

    /**
     * `options.stack` names the stack (default `lab-<prefix>`); `options.backend`
     * is a directory for a state backend of its own (default: the project's),
     * so two copies can hold stacks of the same name, as two checkouts do;
     * `options.memberResources` sets the lab's member mode (default: the
     * example's, "each").
     */
    constructor(
        readonly prefix: string,
        members?: Record<string, unknown>,
        private readonly baseline?: MachineSnapshot,
        options: { stack?: string; backend?: string; memberResources?: "each" | "one" } = {},
    ) {
        this.dir = join(ROOT, ".tools", "e2e", `lab-${prefix}`);
        this.stack = options.stack ?? `lab-${prefix}`;
        this.env = options.backend ? { PULUMI_BACKEND_URL: `file://${options.backend}?metadata=skip` } : {};
        if (options.backend) mkdirSync(options.backend, { recursive: true });
        copyLabExample(this.dir);
        this.ok("stack", "init", this.stack);
        this.ok("config", "set", "prefix", prefix);
        if (members) this.ok("config", "set", "members", JSON.stringify(members));
        if (options.memberResources) this.ok("config", "set", "memberResources", options.memberResources);
    }

    ok(...args: string[]): string {
        return pulumiOk(this.dir, args, this.env);
    }

    run(...args: string[]) {
        return pulumi(this.dir, args, this.env);
    }

    /** `netplumb check` on this stack, run from the installed package's bin as users run it: exit code and output. */
    check(): { code: number; out: string } {
        return this.netplumb("check", "--stack", this.stack, "--cwd", this.dir);
    }

    /** `netplumb doctor --json` on this stack from the installed bin: exit code, the report, and stderr. */
    doctor(...extra: string[]): {
        code: number;
        report: {
            findings: Array<{ id: string; member?: string; fix: string; cause: string; evidence: Array<{ command: string; showed: string }> }>;
            skipped: unknown[];
        };
        err: string;
    } {
        const r = this.netplumb("doctor", "--stack", this.stack, "--cwd", this.dir, "--json", ...extra);
        try {
            return { code: r.code, report: JSON.parse(r.stdout), err: r.stderr };
        } catch {
            throw new Error(`doctor printed no report (exit ${r.code}): ${r.out}`);
        }
    }

    /** Runs the installed `netplumb` bin with argv: exit code, stdout, stderr, and both together. */
    netplumb(...argv: string[]): { code: number; out: string; stdout: string; stderr: string } {
        const bin = join(this.dir, "node_modules", ".bin", "netplumb");
        try {
            const stdout = execFileSync(bin, argv, { encoding: "utf8", env: { ...engineEnv(), ...this.env }, stdio: ["ignore", "pipe", "pipe"] });
            return { code: 0, out: stdout, stdout, stderr: "" };
        } catch (error) {
            const e = error as { status: number; stdout: string; stderr: string };
            return { code: e.status, out: `${e.stdout}\n${e.stderr}`, stdout: e.stdout, stderr: e.stderr };
        }
    }

    /**
     * Destroys the stack and removes it and the copy; then removes whatever is
     * left by this lab's names (the state may be unreadable after a kill, so
     * cleanup never depends on it). Returns what that second pass found.
     */
    dispose(): string[] {
        if (!existsSync(this.dir)) return [];
        this.run("destroy", "--yes", "--skip-preview");
        this.run("stack", "rm", "--yes", "--force", this.stack);
        if (!this.env.PULUMI_BACKEND_URL) for (const file of stackFiles(LAB_PROJECT, this.stack)) rmSync(file, { force: true });
        rmSync(this.dir, { recursive: true, force: true });
        return removeLeftovers({ prefix: this.prefix, stacks: [this.stack] }, this.baseline);
    }
}

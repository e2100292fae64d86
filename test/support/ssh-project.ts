import { execFileSync, spawn, spawnSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { EmulatedHosts } from "./emulated-host";
import { PreviewStep, ROOT, engineEnv, pulumi, stackFiles } from "./engine";

/** A program using emulated machines: its folder (from the repository's root) and its Pulumi project name. */
export interface SshProgram {
    readonly source: string;
    readonly project: string;
}

/** One LabNetwork per machine (test/programs/ssh-lab). */
export const SSH_LAB: SshProgram = { source: "test/programs/ssh-lab", project: "netplumb-ssh-lab" };
/** One MultiHostLab over three machines (examples/multihost). */
export const MULTIHOST: SshProgram = { source: "examples/multihost", project: "netplumb-multihost" };

/**
 * A copy of a program (test/programs/ssh-lab by default) with one stack,
 * configured for the given emulated machines (`machines`: addresses and
 * pinned host keys; `privateKeyN`: each machine's key as a secret), whose
 * `pulumi` runs in the machines' control namespace: the only place on the
 * underlay, as an operator's workstation would be.
 */
export class SshLabProject {
    readonly dir: string;

    constructor(
        private readonly machines: EmulatedHosts,
        readonly stack: string,
        config: Record<string, string> = {},
        private readonly program: SshProgram = SSH_LAB,
    ) {
        this.dir = join(ROOT, ".tools", "e2e", `${program.project}-${stack}`);
        mkdirSync(this.dir, { recursive: true });
        cpSync(join(ROOT, program.source), this.dir, {
            recursive: true,
            filter: (path) => !path.includes("node_modules") && !path.endsWith("package-lock.json"),
        });
        try {
            execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), this.dir], { stdio: "ignore" });
            this.ok("stack", "init", stack);
            const hosts = machines.hosts.map((h) => ({ address: h.address, hostKey: h.hostKey }));
            this.ok("config", "set", "machines", JSON.stringify(hosts));
            // The key on standard input: as an argument it would start with "-----" (a flag) and show in process lists.
            machines.hosts.forEach((h, i) => this.withInput(h.clientKey, "config", "set", "--secret", `privateKey${i + 1}`));
            for (const [key, value] of Object.entries(config)) this.ok("config", "set", key, value);
        } catch (error) {
            this.dispose();
            throw error;
        }
    }

    /** `pulumi ARGS` (non-interactive) from the control namespace; throws with the end of its output when it fails. */
    ok(...args: string[]): string {
        const result = this.run(args);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${result.out.slice(-6000)}`);
        return result.stdout;
    }

    /** `ok` with `input` on the command's standard input. */
    private withInput(input: string, ...args: string[]): void {
        const result = this.run(args, input);
        if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${result.out.slice(-6000)}`);
    }

    /** Like `ok`, returning the exit code and output instead of throwing. */
    run(args: string[], input?: string): { code: number; out: string; stdout: string } {
        try {
            const stdout = execFileSync("ip", ["netns", "exec", this.machines.control, "pulumi", ...args, "--non-interactive"], {
                cwd: this.dir,
                env: engineEnv(),
                encoding: "utf8",
                maxBuffer: 64 * 1024 * 1024,
                input,
                stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
            });
            return { code: 0, out: stdout, stdout };
        } catch (error) {
            const e = error as { status: number; stdout: string; stderr: string };
            return { code: e.status, out: `${e.stdout}\n${e.stderr}`, stdout: e.stdout };
        }
    }

    /** `pulumi ARGS` (non-interactive) from the control namespace in the background, with `extraEnv`; resolves with its exit code and output. */
    runInBackground(args: string[], extraEnv: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
        const child = spawn("ip", ["netns", "exec", this.machines.control, "pulumi", ...args, "--non-interactive"], {
            cwd: this.dir,
            env: { ...engineEnv(), ...extraEnv },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, out })));
    }

    /**
     * `netplumb ARGS --cwd DIR --stack STACK` from the control namespace, with
     * the CLI of the netplumb installed in the project (the packed tarball).
     */
    netplumb(...args: string[]): { code: number; stdout: string; stderr: string } {
        const cli = join(this.dir, "node_modules", "netplumb", "dist", "sdk", "cli.js");
        const argv = ["netns", "exec", this.machines.control, process.execPath, cli, ...args, "--cwd", this.dir, "--stack", this.stack];
        const result = spawnSync("ip", argv, { env: engineEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        return { code: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
    }

    /** The steps of a preview that do something. */
    changes(): PreviewStep[] {
        return (JSON.parse(this.ok("preview", "--json")) as { steps: PreviewStep[] }).steps.filter((s) => s.op !== "same");
    }

    /** Destroys (while the machines run), then removes the stack's state and the copy whatever happened. */
    dispose(): void {
        if (!existsSync(this.dir)) return;
        this.run(["destroy", "--yes", "--skip-preview"]);
        pulumi(this.dir, ["stack", "rm", "--yes", "--force", this.stack]);
        for (const file of stackFiles(this.program.project, this.stack)) rmSync(file, { force: true });
        rmSync(this.dir, { recursive: true, force: true });
    }
}

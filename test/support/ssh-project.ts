import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { EmulatedHosts } from "./emulated-host";
import { PreviewStep, ROOT, engineEnv, pulumi, stackFiles } from "./engine";

/**
 * A copy of test/programs/ssh-lab with one stack, configured for the given
 * emulated machines (addresses, pinned host keys, each machine's key as a
 * secret), whose `pulumi` runs in the machines' control namespace: the only
 * place on the underlay, as an operator's workstation would be.
 */
export class SshLabProject {
    readonly dir: string;
    static readonly PROJECT = "netplumb-ssh-lab";

    constructor(
        private readonly machines: EmulatedHosts,
        readonly stack: string,
        config: Record<string, string> = {},
    ) {
        this.dir = join(ROOT, ".tools", "e2e", `ssh-lab-${stack}`);
        mkdirSync(this.dir, { recursive: true });
        cpSync(join(ROOT, "test", "programs", "ssh-lab"), this.dir, { recursive: true, filter: (path) => !path.includes("node_modules") });
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

    /** The steps of a preview that do something. */
    changes(): PreviewStep[] {
        return (JSON.parse(this.ok("preview", "--json")) as { steps: PreviewStep[] }).steps.filter((s) => s.op !== "same");
    }

    /** Destroys (while the machines run), then removes the stack's state and the copy whatever happened. */
    dispose(): void {
        if (!existsSync(this.dir)) return;
        this.run(["destroy", "--yes", "--skip-preview"]);
        pulumi(this.dir, ["stack", "rm", "--yes", "--force", this.stack]);
        for (const file of stackFiles(SshLabProject.PROJECT, this.stack)) rmSync(file, { force: true });
        rmSync(this.dir, { recursive: true, force: true });
    }
}

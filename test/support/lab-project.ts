import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { ROOT, engineEnv, pulumi, pulumiOk } from "./engine";
import { namespaces } from "./sandbox";

/**
 * A copy of examples/lab with netplumb installed from the packed tarball,
 * one stack, and helpers for the CLI and the connectivity check.
 */
export class LabProject {
    readonly dir: string;
    readonly stack: string;

    constructor(readonly prefix: string, members?: Record<string, unknown>) {
        this.dir = join(ROOT, ".tools", "e2e", `lab-${prefix}`);
        this.stack = `lab-${prefix}`;
        mkdirSync(this.dir, { recursive: true });
        cpSync(join(ROOT, "examples", "lab"), this.dir, { recursive: true, filter: (src) => !src.includes("node_modules") && !/Pulumi\..+\.yaml$/.test(src) });
        execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), this.dir], { stdio: "ignore" });
        this.ok("stack", "init", this.stack);
        this.ok("config", "set", "prefix", prefix);
        if (members) this.ok("config", "set", "members", JSON.stringify(members));
    }

    ok(...args: string[]): string {
        return pulumiOk(this.dir, args);
    }

    run(...args: string[]) {
        return pulumi(this.dir, args);
    }

    /** `netplumb check` on this stack: exit code and output. */
    check(): { code: number; out: string } {
        try {
            const out = execFileSync(process.execPath, [join(ROOT, "dist", "sdk", "cli.js"), "check", "--stack", this.stack, "--cwd", this.dir], { encoding: "utf8", env: engineEnv() });
            return { code: 0, out };
        } catch (error) {
            const e = error as { status: number; stdout: string; stderr: string };
            return { code: e.status, out: `${e.stdout}\n${e.stderr}` };
        }
    }

    /** Destroys the stack, removes it and the copy, and any namespace left with this prefix. */
    dispose(): void {
        if (!existsSync(this.dir)) return;
        this.run("destroy", "--yes", "--skip-preview");
        this.run("stack", "rm", "--yes", "--force", this.stack);
        rmSync(this.dir, { recursive: true, force: true });
        for (const name of namespaces().filter((n) => n.startsWith(`${this.prefix}-`))) execFileSync("ip", ["netns", "del", name]);
    }
}

import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { PreviewStep, ROOT, pulumi, pulumiOk, stackFiles } from "./engine";
import { removeLeftovers } from "./leftovers";

/**
 * A copy of one of examples/ with the packed netplumb installed, one stack
 * (`<prefix>`) whose namespaces all start with `<prefix>-`, and its config
 * set. `dispose` destroys, then removes by those names whatever is left
 * (the state may be unreadable), the stack and the copy.
 */
export class ExampleProject {
    readonly dir: string;

    constructor(
        example: string,
        private readonly project: string,
        readonly prefix: string,
        config: Record<string, string> = {},
    ) {
        this.dir = join(ROOT, ".tools", "e2e", `${example}-${prefix}`);
        mkdirSync(this.dir, { recursive: true });
        cpSync(join(ROOT, "examples", example), this.dir, {
            recursive: true,
            filter: (src) => !src.includes("node_modules") && !/Pulumi\..+\.yaml$/.test(src),
        });
        try {
            execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), this.dir], { stdio: "ignore" });
            this.ok("stack", "init", prefix);
            for (const [key, value] of Object.entries({ prefix, ...config })) this.ok("config", "set", key, value);
        } catch (error) {
            this.dispose();
            throw error;
        }
    }

    /** `pulumi ARGS`; throws with the end of its output when it fails. */
    ok(...args: string[]): string {
        return pulumiOk(this.dir, args);
    }

    run(...args: string[]) {
        return pulumi(this.dir, args);
    }

    /** The steps of a preview that do something. */
    changes(): PreviewStep[] {
        return (JSON.parse(this.ok("preview", "--json")) as { steps: PreviewStep[] }).steps.filter((s) => s.op !== "same");
    }

    /** A stack output as JSON. */
    output<T>(name: string): T {
        return JSON.parse(this.ok("stack", "output", name, "--json")) as T;
    }

    dispose(): string[] {
        if (!existsSync(this.dir)) return [];
        this.run("destroy", "--yes", "--skip-preview");
        this.run("stack", "rm", "--yes", "--force", this.prefix);
        for (const file of stackFiles(this.project, this.prefix)) rmSync(file, { force: true });
        rmSync(this.dir, { recursive: true, force: true });
        return removeLeftovers({ prefix: this.prefix, stacks: [this.prefix] });
    }
}

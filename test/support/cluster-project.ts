import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { chartMirror } from "./charts";
import { TestCluster, hasClusterBinaries, hasControllerBinaries } from "./cluster";
import { PreviewStep, ROOT, engineEnv, hasPulumi, pulumi, stackFiles } from "./engine";
import { isRoot, requireOrSkip } from "./suite";

/**
 * A copy of a program under test/programs (or, given a path with a slash such
 * as `examples/cluster`, that folder of the repository), with one stack, run with `pulumi`
 * inside the test cluster's namespace (where the API server is). With
 * `pack`, netplumb is installed from the packed tarball, as users get it.
 */
export class ClusterProject {
    readonly dir: string;

    constructor(
        private readonly cluster: TestCluster,
        private readonly program: string,
        private readonly projectName: string,
        readonly stack: string,
        options: { pack?: boolean } = {},
    ) {
        this.dir = join(ROOT, ".tools", "e2e", `${program.replace(/\//g, "-")}-${stack}`);
        mkdirSync(this.dir, { recursive: true });
        const source = program.includes("/") ? join(ROOT, program) : join(ROOT, "test", "programs", program);
        cpSync(source, this.dir, { recursive: true, filter: (path) => !path.includes("node_modules") });
        if (options.pack) execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), this.dir], { stdio: "ignore" });
        this.ok("stack", "init", stack);
        this.ok("config", "set", "kubeconfig", cluster.kubeconfig);
    }

    /** `pulumi ARGS` (non-interactive) in the cluster's namespace; throws with the end of its output when it fails. */
    ok(...args: string[]): string {
        try {
            return this.cluster.exec(["pulumi", ...args, "--non-interactive"], { env: engineEnv(), cwd: this.dir });
        } catch (error) {
            const e = error as { stdout?: string; stderr?: string };
            throw new Error(`pulumi ${args.join(" ")} failed:\n${`${e.stdout ?? ""}\n${e.stderr ?? ""}`.slice(-6000)}`, { cause: error });
        }
    }

    /** Like `ok`, returning the exit code and output instead of throwing. */
    run(...args: string[]): { code: number; out: string } {
        try {
            return { code: 0, out: this.cluster.exec(["pulumi", ...args, "--non-interactive"], { env: engineEnv(), cwd: this.dir }) };
        } catch (error) {
            const e = error as { status: number; stdout: string; stderr: string };
            return { code: e.status, out: `${e.stdout}\n${e.stderr}` };
        }
    }

    /** The steps of a preview that do something. */
    changes(): PreviewStep[] {
        return (JSON.parse(this.ok("preview", "--json")) as { steps: PreviewStep[] }).steps.filter((s) => s.op !== "same");
    }

    /** Destroys (while the cluster runs), then removes the stack's state and the copy whatever happened. */
    dispose(): void {
        if (!existsSync(this.dir)) return;
        this.run("destroy", "--yes", "--skip-preview");
        // Outside the cluster's namespace, which may be gone already: the state goes whatever happened.
        pulumi(this.dir, ["stack", "rm", "--yes", "--force", this.stack]);
        for (const file of stackFiles(this.projectName, this.stack)) rmSync(file, { force: true });
        rmSync(this.dir, { recursive: true, force: true });
    }
}

/**
 * The before-hook checks of a suite that runs charts on the test cluster:
 * root, the pulumi CLI, the cluster's binaries (with `controllers`, MetalLB's
 * and Traefik's too) and the chart mirror, each skipped with its reason (a
 * failure with CI=true). Returns the mirror's folder.
 */
export function requireChartSuite(context: Mocha.Context, options: { controllers?: boolean } = {}): string {
    requireOrSkip(context, isRoot(), "the test cluster runs in a network namespace, which needs root");
    requireOrSkip(context, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
    if (options.controllers) requireOrSkip(context, hasControllerBinaries(), "the test cluster's controllers are not built: run `npm run setup`");
    else requireOrSkip(context, hasClusterBinaries(), "the test cluster is not built: run `npm run setup`");
    const mirror = chartMirror();
    requireOrSkip(context, mirror !== undefined, "no chart mirror (shared/charts beside the repository, or NETPLUMB_CHART_MIRROR)");
    return mirror!;
}

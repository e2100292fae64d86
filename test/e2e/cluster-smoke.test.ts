import { strict as assert } from "assert";
import { cpSync, existsSync, mkdirSync, rmSync } from "fs";
import { join } from "path";
import { TestCluster, hasClusterBinaries } from "../support/cluster";
import { PreviewStep, ROOT, engineEnv, hasPulumi, pulumi as runPulumi, stackFiles, summarize } from "../support/engine";
import { namespaces } from "../support/sandbox";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

/**
 * The cluster toolchain end to end, before any component builds on it: a
 * real control plane started by the fixture, the Kubernetes provider built
 * by setup, found by the engine through the language host, and Pulumi's
 * preview, update, refresh and destroy against the real API server.
 */
describe("e2e: the test cluster - @pulumi/kubernetes through the project's engine", function () {
    this.timeout(10 * 60 * 1000);
    const tag = runTag();
    const cluster = new TestCluster(tag);
    const project = join(ROOT, ".tools", "e2e", `cluster-smoke-${tag}`);
    const stack = `smoke-${tag}`;
    const namespace = `smoke-${tag}`;
    let baseline: MachineSnapshot;

    /** `pulumi ARGS` inside the cluster's namespace (where the API server is), non-interactive. */
    const pulumi = (...args: string[]) => cluster.exec(["pulumi", ...args, "--non-interactive"], { env: engineEnv(), cwd: project });
    const tryPulumi = (...args: string[]) => {
        try {
            return { code: 0, out: pulumi(...args) };
        } catch (error) {
            const e = error as { status: number; stdout: string; stderr: string };
            return { code: e.status, out: `${e.stdout}\n${e.stderr}` };
        }
    };

    before(async function () {
        requireOrSkip(this, isRoot(), "the test cluster runs in a network namespace, which needs root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        requireOrSkip(this, hasClusterBinaries(), "the test cluster is not built: run `npm run setup` (scripts/setup-cluster.sh)");
        baseline = machineSnapshot();
        await cluster.start();
        mkdirSync(project, { recursive: true });
        cpSync(join(ROOT, "test", "programs", "cluster-smoke"), project, { recursive: true });
        pulumi("stack", "init", stack);
        pulumi("config", "set", "kubeconfig", cluster.kubeconfig);
        pulumi("config", "set", "namespace", namespace);
    });

    after(() => {
        tryPulumi("destroy", "--yes", "--skip-preview");
        // Outside the cluster's namespace, which the last test already removed: the state goes whatever happened.
        if (existsSync(project)) runPulumi(project, ["stack", "rm", "--yes", "--force", stack]);
        for (const file of stackFiles("netplumb-cluster-smoke", stack)) rmSync(file, { force: true });
        cluster.stop();
        rmSync(project, { recursive: true, force: true });
    });

    it("up creates the objects on the API server", () => {
        pulumi("up", "--yes", "--skip-preview");
        assert.equal(cluster.kubectl("get", "namespace", namespace, "-o", "jsonpath={.status.phase}"), "Active");
        assert.equal(cluster.kubectl("-n", namespace, "get", "configmap", "settings", "-o", "jsonpath={.data.mtu}"), "1450");
    });

    it("a no-change preview is clean; a changed value previews as an update of exactly that property", () => {
        assert.equal(tryPulumi("preview", "--expect-no-changes").code, 0);
        pulumi("config", "set", "mtu", "1400");
        const steps = (JSON.parse(pulumi("preview", "--json")) as { steps: PreviewStep[] }).steps.filter((s) => s.op !== "same");
        assert.deepEqual(summarize(steps), [["settings", "update", ["data"]]]);
        assert.deepEqual(steps[0].newState?.inputs?.data, { mtu: "1400" });
        pulumi("up", "--yes", "--skip-preview");
        assert.equal(cluster.kubectl("-n", namespace, "get", "configmap", "settings", "-o", "jsonpath={.data.mtu}"), "1400");
    });

    it("an edit made with kubectl is found by refresh and undone by up", () => {
        cluster.kubectl("-n", namespace, "patch", "configmap", "settings", "--type", "merge", "-p", JSON.stringify({ data: { mtu: "9000" } }));
        pulumi("refresh", "--yes", "--skip-preview");
        assert.notEqual(tryPulumi("preview", "--expect-no-changes").code, 0, "the drift shows as a change to make");
        pulumi("up", "--yes", "--skip-preview");
        assert.equal(cluster.kubectl("-n", namespace, "get", "configmap", "settings", "-o", "jsonpath={.data.mtu}"), "1400");
    });

    it("destroy removes the namespace completely (the controller-manager finishes it), and the API server stays healthy", () => {
        pulumi("destroy", "--yes", "--skip-preview");
        assert.equal(cluster.tryKubectl(["get", "namespace", namespace, "-o", "name"]), undefined);
        assert.equal(cluster.kubectl("get", "--raw", "/readyz"), "ok");
    });

    it("stopping the cluster leaves the machine as it was", () => {
        cluster.stop();
        assert.ok(!namespaces().includes(cluster.netns));
        assert.deepEqual(machineSnapshot(), baseline);
    });
});

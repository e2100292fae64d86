import { strict as assert } from "assert";
import { TestCluster, hasClusterBinaries } from "../support/cluster";
import { ClusterProject } from "../support/cluster-project";
import { hasPulumi, summarize } from "../support/engine";
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
    const namespace = `smoke-${tag}`;
    let project: ClusterProject | undefined;
    let baseline: MachineSnapshot;
    const smoke = () => project!;

    before(async function () {
        requireOrSkip(this, isRoot(), "the test cluster runs in a network namespace, which needs root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        requireOrSkip(this, hasClusterBinaries(), "the test cluster is not built: run `npm run setup` (scripts/setup-cluster.sh)");
        baseline = machineSnapshot();
        await cluster.start();
        project = new ClusterProject(cluster, "cluster-smoke", "netplumb-cluster-smoke", `smoke-${tag}`);
        smoke().ok("config", "set", "namespace", namespace);
    });

    after(() => {
        project?.dispose();
        cluster.stop();
    });

    it("up creates the objects on the API server", () => {
        smoke().ok("up", "--yes", "--skip-preview");
        assert.equal(cluster.kubectl("get", "namespace", namespace, "-o", "jsonpath={.status.phase}"), "Active");
        assert.equal(cluster.kubectl("-n", namespace, "get", "configmap", "settings", "-o", "jsonpath={.data.mtu}"), "1450");
    });

    it("a no-change preview is clean; a changed value previews as an update of exactly that property", () => {
        assert.equal(smoke().run("preview", "--expect-no-changes").code, 0);
        smoke().ok("config", "set", "mtu", "1400");
        const steps = smoke().changes();
        assert.deepEqual(summarize(steps), [["settings", "update", ["data"]]]);
        assert.deepEqual(steps[0].newState?.inputs?.data, { mtu: "1400" });
        smoke().ok("up", "--yes", "--skip-preview");
        assert.equal(cluster.kubectl("-n", namespace, "get", "configmap", "settings", "-o", "jsonpath={.data.mtu}"), "1400");
    });

    it("an edit made with kubectl is found by refresh and undone by up", () => {
        cluster.kubectl("-n", namespace, "patch", "configmap", "settings", "--type", "merge", "-p", JSON.stringify({ data: { mtu: "9000" } }));
        smoke().ok("refresh", "--yes", "--skip-preview");
        assert.notEqual(smoke().run("preview", "--expect-no-changes").code, 0, "the drift shows as a change to make");
        smoke().ok("up", "--yes", "--skip-preview");
        assert.equal(cluster.kubectl("-n", namespace, "get", "configmap", "settings", "-o", "jsonpath={.data.mtu}"), "1400");
    });

    it("destroy removes the namespace completely (the controller-manager finishes it), and the API server stays healthy", () => {
        smoke().ok("destroy", "--yes", "--skip-preview");
        assert.equal(cluster.tryKubectl(["get", "namespace", namespace, "-o", "name"]), undefined);
        assert.equal(cluster.kubectl("get", "--raw", "/readyz"), "ok");
    });

    it("stopping the cluster leaves the machine as it was", () => {
        project?.dispose();
        project = undefined;
        cluster.stop();
        assert.ok(!namespaces().includes(cluster.netns));
        assert.deepEqual(machineSnapshot(), baseline);
    });
});

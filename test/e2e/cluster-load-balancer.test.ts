import { strict as assert } from "assert";
import { join } from "path";
import { chartMirror } from "../support/charts";
import { TestCluster, hasControllerBinaries } from "../support/cluster";
import { ClusterProject } from "../support/cluster-project";
import { hasPulumi, summarize } from "../support/engine";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

/** A documentation range inside no network of the test cluster. */
const POOL = "203.0.113.200-203.0.113.209";

/**
 * The LoadBalancer component with the real MetalLB controller: `up` installs
 * the chart, waits for the CRDs and the webhook, applies the pool, and the
 * controller gives a LoadBalancer Service an address from it; a pool change
 * previews as that property of that IPAddressPool; a pool holding a node
 * address fails at preview; destroy leaves nothing of MetalLB.
 */
describe("e2e: LoadBalancer (MetalLB) on the test cluster", function () {
    this.timeout(15 * 60 * 1000);
    const tag = runTag();
    const cluster = new TestCluster(tag);
    let project: ClusterProject | undefined;
    const lb = () => project!;
    const poolSpec = () =>
        JSON.parse(cluster.kubectl("-n", "metallb-system", "get", "ipaddresspool", "public", "-o", "jsonpath={.spec}")) as { addresses: string[] };
    const serviceAddress = () => cluster.tryKubectl(["-n", `web-${tag}`, "get", "service", "web", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"]);
    let kindsBefore: Map<string, string[]>;

    before(async function () {
        requireOrSkip(this, isRoot(), "the test cluster runs in a network namespace, which needs root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        requireOrSkip(this, hasControllerBinaries(), "MetalLB's controller is not built: run `npm run setup` (scripts/setup-cluster.sh)");
        const mirror = chartMirror();
        requireOrSkip(this, mirror !== undefined, "no chart mirror (shared/charts beside the repository, or NETPLUMB_CHART_MIRROR)");
        await cluster.start(["node-1"], { controllers: true });
        kindsBefore = cluster.objectsByKind();
        project = new ClusterProject(cluster, "cluster-lb", "netplumb-cluster-lb", `lb-${tag}`, { pack: true });
        lb().ok("config", "set", "chartPath", join(mirror!, "metallb-0.15.2"));
        lb().ok("config", "set", "pool", JSON.stringify([POOL]));
        lb().ok("config", "set", "appNamespace", `web-${tag}`);
    });

    after(() => {
        project?.dispose();
        cluster.stop();
    });

    it("up applies the pool once MetalLB answers, and the real controller gives the Service an address from it", () => {
        lb().ok("up", "--yes", "--skip-preview");
        assert.deepEqual(poolSpec().addresses, [POOL]);
        const address = serviceAddress() ?? "";
        const last = Number(address.split(".")[3]);
        assert.ok(address.startsWith("203.0.113.") && last >= 200 && last <= 209, `the Service's address ${address} is in ${POOL}`);
        const outputs = JSON.parse(lb().ok("stack", "output", "--json")) as { address: string; readySeconds: number };
        assert.equal(outputs.address, address);
        console.log(`      MetalLB assigned ${address}; readiness waited ${outputs.readySeconds} s`);
    });

    it("a no-change preview is clean; a new pool range previews as exactly that IPAddressPool's spec", () => {
        assert.equal(lb().run("preview", "--expect-no-changes").code, 0);
        lb().ok("config", "set", "pool", JSON.stringify(["203.0.113.64/28"]));
        assert.deepEqual(summarize(lb().changes()), [["metallb-ipaddresspool-public", "update", ["spec"]]]);
        lb().ok("up", "--yes", "--skip-preview");
        assert.deepEqual(poolSpec().addresses, ["203.0.113.64/28"]);
    });

    it("a pool holding a node address fails at preview, naming it, and nothing changes", () => {
        lb().ok("config", "set", "nodeAddresses", JSON.stringify(["203.0.113.70"]));
        const result = lb().run("preview");
        assert.notEqual(result.code, 0);
        assert.match(result.out, /pools\.public\[0\]: .*203\.0\.113\.70/);
        assert.doesNotMatch(result.out, /at (Object|new) /, "one message, no stack trace");
        assert.deepEqual(poolSpec().addresses, ["203.0.113.64/28"]);
        lb().ok("config", "rm", "nodeAddresses");
    });

    it("destroy removes the pools, the chart, its CRDs and webhook; the cluster is as before and healthy", () => {
        lb().ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(cluster.objectsByKind(), kindsBefore);
        assert.equal(cluster.kubectl("get", "--raw", "/readyz"), "ok");
    });
});

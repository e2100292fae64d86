import { strict as assert } from "assert";
import { compilePolicies } from "../../sdk/model/cluster/policies";
import { NetworkPolicyObject } from "../../sdk/model/cluster/network-policy";
import { TestCluster, hasClusterBinaries } from "../support/cluster";
import { ClusterProject } from "../support/cluster-project";
import { hasPulumi, summarize } from "../support/engine";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

type LivePolicy = { metadata: { name: string }; spec: NetworkPolicyObject["spec"] };

/**
 * The NetworkPolicies component on the real API server: the objects it
 * applies are the compiled intent (whose semantics the unit suite checks
 * with the evaluator), a tier change previews as one policy update, bad
 * intent fails at preview with nothing applied, destroy removes them all.
 */
describe("e2e: NetworkPolicies on the test cluster", function () {
    this.timeout(10 * 60 * 1000);
    const tag = runTag();
    const cluster = new TestCluster(tag);
    const namespace = `shop-${tag}`;
    let project: ClusterProject | undefined;
    const shop = () => project!;
    const live = () =>
        (JSON.parse(cluster.kubectl("-n", namespace, "get", "networkpolicies", "-o", "json")) as { items: LivePolicy[] }).items.sort((a, b) =>
            a.metadata.name.localeCompare(b.metadata.name),
        );
    const expected = (backendPort: number) =>
        compilePolicies({
            namespaces: [namespace],
            tiers: {
                frontend: { namespace, podSelector: { tier: "frontend" } },
                backend: { namespace, podSelector: { tier: "backend" } },
                data: { namespace, podSelector: { tier: "data" } },
            },
            ingressController: { namespace: "traefik", podSelector: { "app.kubernetes.io/name": "traefik" } },
            allow: [
                { from: "ingress-controller", to: "frontend", ports: [{ port: 80 }] },
                { from: "frontend", to: "backend", ports: [{ port: backendPort }] },
                { from: "backend", to: "data", ports: [{ port: 5432 }] },
            ],
        }).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

    before(async function () {
        requireOrSkip(this, isRoot(), "the test cluster runs in a network namespace, which needs root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        requireOrSkip(this, hasClusterBinaries(), "the test cluster is not built: run `npm run setup` (scripts/setup-cluster.sh)");
        await cluster.start([]);
        project = new ClusterProject(cluster, "cluster-policies", "netplumb-cluster-policies", `policies-${tag}`, { pack: true });
        shop().ok("config", "set", "namespace", namespace);
    });

    after(() => {
        project?.dispose();
        cluster.stop();
    });

    it("up applies exactly the compiled policies, server-side", () => {
        shop().ok("up", "--yes", "--skip-preview");
        const want = expected(8080);
        const got = live();
        assert.deepEqual(
            got.map((p) => p.metadata.name),
            want.map((p) => p.metadata.name),
        );
        // The API server echoes the spec with its defaults (protocol TCP) filled in, as compiled.
        got.forEach((p, i) => assert.deepEqual(p.spec, want[i].spec, p.metadata.name));
    });

    it("a no-change preview is clean; a changed tier port previews as one NetworkPolicy update", () => {
        assert.equal(shop().run("preview", "--expect-no-changes").code, 0);
        shop().ok("config", "set", "backendPort", "9090");
        const steps = shop().changes();
        assert.deepEqual(summarize(steps), [[`shop-${namespace}-allow-to-backend`, "update", ["spec"]]]);
        shop().ok("up", "--yes", "--skip-preview");
        assert.deepEqual(
            live().find((p) => p.metadata.name === "allow-to-backend")?.spec,
            expected(9090).find((p) => p.metadata.name === "allow-to-backend")?.spec,
        );
    });

    it("an unknown tier fails at preview, naming the property and the value, and nothing is applied", () => {
        const before = live();
        shop().ok("config", "set", "extraAllow", JSON.stringify([{ from: "frontnd", to: "data", ports: [{ port: 5432 }] }]));
        const result = shop().run("up", "--yes", "--skip-preview");
        assert.notEqual(result.code, 0);
        assert.match(result.out, /allow\[3\]\.from: "frontnd" is not a declared tier; use one of frontend, backend, data, ingress-controller/);
        assert.doesNotMatch(result.out, /at (Object|new) /, "one message, no stack trace");
        assert.deepEqual(live(), before);
        shop().ok("config", "rm", "extraAllow");
    });

    it("destroy removes every policy and the namespace; the API server stays healthy", () => {
        const names = summarize(shop().changes()).map(([name]) => name);
        assert.deepEqual(names, [], "the stack is converged before destroy");
        shop().ok("destroy", "--yes", "--skip-preview");
        assert.equal(cluster.tryKubectl(["get", "namespace", namespace, "-o", "name"]), undefined);
        assert.equal(cluster.kubectl("get", "networkpolicies", "--all-namespaces", "-o", "name"), "");
        assert.equal(cluster.kubectl("get", "--raw", "/readyz"), "ok");
    });
});

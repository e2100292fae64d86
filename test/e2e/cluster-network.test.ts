import { strict as assert } from "assert";
import { compilePolicies } from "../../sdk/model/cluster/policies";
import { POD_CIDR, SERVICE_CIDR, TRAEFIK_NAMESPACE, TestCluster } from "../support/cluster";
import { ClusterProject, requireChartSuite } from "../support/cluster-project";
import { summarize } from "../support/engine";
import { runTag } from "../support/suite";

const POOL = "203.0.113.200-203.0.113.209";
const NODE = "198.51.100.10";
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Condition = { type: string; status: string; reason?: string };

/**
 * examples/cluster, as documented, on the test cluster with the real MetalLB
 * controller and Traefik: every object as declared server-side, Traefik's
 * Service given a pool address by MetalLB, the Gateway accepted by Traefik;
 * previews of one change each; bad plans stopped at preview; drift found by
 * refresh and undone by up; destroy leaves every kind as it was.
 */
describe("e2e: examples/cluster (ClusterNetwork) on the test cluster", function () {
    this.timeout(20 * 60 * 1000);
    const tag = runTag();
    const cluster = new TestCluster(tag);
    let project: ClusterProject | undefined;
    const stack = () => project!;
    let kindsBefore: Map<string, string[]>;
    const json = <T>(...args: string[]) => JSON.parse(cluster.kubectl(...args, "-o", "json")) as T;
    const conditions = (kind: string, name: string, namespace?: string): Condition[] =>
        json<{ status?: { conditions?: Condition[] } }>(...(namespace ? ["-n", namespace] : []), "get", kind, name).status?.conditions ?? [];
    const until = async (what: string, ready: () => boolean) => {
        for (let i = 0; i < 600 && !ready(); i++) await pause(200);
        assert.ok(ready(), `${what} within 120 s`);
    };

    before(async function () {
        const mirror = requireChartSuite(this, { controllers: true });
        await cluster.start(["node-1", "node-2"], { controllers: true });
        kindsBefore = cluster.objectsByKind();
        project = new ClusterProject(cluster, "examples/cluster", "netplumb-cluster", `prod-${tag}`, { pack: true });
        for (const [key, value] of Object.entries({
            chartMirror: mirror,
            podCidr: POD_CIDR,
            serviceCidr: SERVICE_CIDR,
            nodeAddresses: JSON.stringify([NODE]),
            pool: JSON.stringify([POOL]),
        })) {
            stack().ok("config", "set", key, value);
        }
    });

    after(() => {
        project?.dispose();
        cluster.stop();
    });

    it("up: Calico's Installation, the policies, MetalLB's pool, Traefik's Service with a pool address, the Gateway accepted by Traefik", async () => {
        stack().ok("up", "--yes", "--skip-preview");
        const installation = json<{ spec: { calicoNetwork: { ipPools: Array<{ cidr: string; encapsulation: string }>; mtu: number } } }>(
            "get",
            "installation",
            "default",
        );
        assert.deepEqual(
            installation.spec.calicoNetwork.ipPools.map((p) => [p.cidr, p.encapsulation]),
            [[POD_CIDR, "VXLAN"]],
        );
        assert.equal(installation.spec.calicoNetwork.mtu, 1450);
        const policies = json<{ items: Array<{ metadata: { name: string } }> }>("-n", "shop", "get", "networkpolicies")
            .items.map((p) => p.metadata.name)
            .sort();
        const compiled = compilePolicies({
            namespaces: ["shop"],
            tiers: {
                frontend: { namespace: "shop", podSelector: {} },
                backend: { namespace: "shop", podSelector: {} },
                data: { namespace: "shop", podSelector: {} },
            },
            ingressController: { namespace: TRAEFIK_NAMESPACE, podSelector: {} },
            allow: [
                { from: "ingress-controller", to: "frontend", ports: [{ port: 80 }] },
                { from: "frontend", to: "backend", ports: [{ port: 8080 }] },
                { from: "backend", to: "data", ports: [{ port: 5432 }] },
            ],
        });
        assert.deepEqual(policies, compiled.map((p) => p.metadata.name).sort());
        assert.deepEqual(json<{ spec: { addresses: string[] } }>("-n", "metallb-system", "get", "ipaddresspool", "public").spec.addresses, [POOL]);
        assert.deepEqual(json<{ spec: { ipAddressPools: string[] } }>("-n", "metallb-system", "get", "l2advertisement", "prod-lb").spec.ipAddressPools, [
            "public",
        ]);
        const address = cluster.kubectl("-n", TRAEFIK_NAMESPACE, "get", "service", "traefik", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        const last = Number(address.split(".")[3]);
        assert.ok(address.startsWith("203.0.113.") && last >= 200 && last <= 209, `Traefik's Service address ${address} is from ${POOL}`);
        const accepted = (list: Condition[]) => list.some((c) => c.type === "Accepted" && c.status === "True");
        await until("Traefik accepts the GatewayClass", () => accepted(conditions("gatewayclass", "traefik")));
        await until("Traefik accepts the Gateway", () => accepted(conditions("gateway", "web", TRAEFIK_NAMESPACE)));
        const topology = JSON.parse(stack().ok("stack", "output", "topology", "--json")) as { kind: string; podCidr: string; loadBalancer: { pools: object } };
        assert.deepEqual([topology.kind, topology.podCidr, topology.loadBalancer.pools], ["cluster", POD_CIDR, { public: [POOL] }]);
        const gateway = conditions("gateway", "web", TRAEFIK_NAMESPACE).map((c) => `${c.type}=${c.status}`);
        console.log(`      MetalLB gave Traefik ${address}; Gateway web: ${gateway.join(", ")}`);
    });

    it("a no-change preview is clean; a pool change is one IPAddressPool update, a tier port change one NetworkPolicy update", () => {
        assert.equal(stack().run("preview", "--expect-no-changes").code, 0);
        stack().ok("config", "set", "pool", JSON.stringify(["203.0.113.192/28"]));
        stack().ok("config", "set", "backendPort", "9090");
        assert.deepEqual(summarize(stack().changes()), [
            ["prod-lb-ipaddresspool-public", "update", ["spec"]],
            ["prod-policies-shop-allow-to-backend", "update", ["spec"]],
        ]);
        stack().ok("up", "--yes", "--skip-preview");
        assert.deepEqual(json<{ spec: { addresses: string[] } }>("-n", "metallb-system", "get", "ipaddresspool", "public").spec.addresses, [
            "203.0.113.192/28",
        ]);
    });

    it("bad plans fail at preview naming property and value, and nothing in the cluster changes", () => {
        const before = cluster.objectsByKind();
        const cases: Array<[Record<string, string>, RegExp]> = [
            [{ podCidr: "198.18.0.0/16" }, /podCidr.*198\.18\.0\.0\/16.*overlaps/],
            [{ dnsServiceAddress: "198.19.0.10" }, /dnsServiceAddress: .*198\.19\.0\.10.*serviceCidr/],
            [{ nodeAddresses: JSON.stringify([NODE, "203.0.113.193"]) }, /pools\.public\[0\]: .*node address 203\.0\.113\.193/],
            [{ pool: JSON.stringify(["203.0.113.250-203.0.113.240"]) }, /pools\.public\[0\]: .*203\.0\.113\.250-203\.0\.113\.240/],
        ];
        for (const [config, message] of cases) {
            for (const [key, value] of Object.entries(config)) stack().ok("config", "set", key, value);
            const result = stack().run("preview");
            assert.notEqual(result.code, 0, JSON.stringify(config));
            assert.match(result.out, message);
            assert.doesNotMatch(result.out, /at (Object|new) /, "one message, no stack trace");
            for (const key of Object.keys(config)) stack().ok("config", "rm", key);
        }
        stack().ok("config", "set", "podCidr", POD_CIDR);
        stack().ok("config", "set", "nodeAddresses", JSON.stringify([NODE]));
        stack().ok("config", "set", "pool", JSON.stringify(["203.0.113.192/28"]));
        assert.equal(stack().run("preview", "--expect-no-changes").code, 0);
        assert.deepEqual(cluster.objectsByKind(), before);
    });

    it("refresh reports a pool edited with kubectl; up restores it", () => {
        cluster.kubectl(
            "-n",
            "metallb-system",
            "patch",
            "ipaddresspool",
            "public",
            "--type",
            "merge",
            "-p",
            JSON.stringify({ spec: { addresses: ["203.0.113.224/28"] } }),
        );
        const refreshed = stack().ok("refresh", "--yes", "--skip-preview", "--diff");
        assert.match(refreshed, /prod-lb-ipaddresspool-public/);
        assert.deepEqual(summarize(stack().changes()), [["prod-lb-ipaddresspool-public", "update", ["spec"]]]);
        stack().ok("up", "--yes", "--skip-preview");
        assert.deepEqual(json<{ spec: { addresses: string[] } }>("-n", "metallb-system", "get", "ipaddresspool", "public").spec.addresses, [
            "203.0.113.192/28",
        ]);
    });

    it("destroy leaves every kind as before the install (CRDs, webhooks, cluster roles included) and the API server healthy", () => {
        stack().ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(cluster.objectsByKind(), kindsBefore);
        assert.equal(cluster.kubectl("get", "--raw", "/readyz"), "ok");
    });
});

import { strict as assert } from "assert";
import { linkerdCrdsChart } from "../support/charts";
import { TestCluster } from "../support/cluster";
import { ClusterProject, requireChartSuite } from "../support/cluster-project";
import { changedLeaves, nameOf } from "../support/engine";
import { runTag } from "../support/suite";

type Route = Array<{ destination: { host: string; subset?: string }; weight?: number }>;

/** The guide's booksapp on Linkerd: a ServiceProfile, a split declared as such, and the guide's SMI TrafficSplit. */
const BOOKSAPP = {
    // booksapp is made by the component; default exists already, so only its annotation is patched (and taken off on destroy).
    namespaces: { booksapp: { injection: "enabled" }, default: { injection: "disabled", existing: true } },
    serviceProfiles: [
        {
            service: "webapp",
            namespace: "booksapp",
            routes: [
                { name: "GET /books/{id}", method: "GET", pathRegex: "/books/\\d+", timeout: "300ms" },
                { name: "POST /books", method: "POST", pathRegex: "/books" },
                { name: "GET /authors.json", method: "GET", pathRegex: "/authors\\.json", isRetryable: true },
            ],
            retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: "10s" },
        },
    ],
    splits: [
        {
            name: "authors",
            namespace: "booksapp",
            service: "authors",
            port: 7001,
            backends: [
                { service: "authors", weight: 90 },
                { service: "authors-v2", weight: 10 },
            ],
        },
    ],
    trafficSplits: [
        {
            name: "webapp",
            namespace: "booksapp",
            service: "webapp",
            port: 7000,
            backends: [
                { service: "webapp", weight: 500 },
                { service: "webapp-v2", weight: 500 },
            ],
        },
    ],
};

/**
 * The mesh components on the real API server with the upstream CRDs
 * installed by the components themselves (the API server's validation of
 * each object against the CRD's schema is the referee; no Istio or Linkerd
 * control plane runs here, and kwok's pods carry no traffic): examples/mesh
 * up as declared, a no-change preview, the canary's share changed previewing
 * as exactly its two weights, bad plans stopped at preview with nothing
 * applied, Linkerd's ServiceProfile and HTTPRoute splits (a TrafficSplit
 * translated, and said so), and destroy leaving every kind as before.
 */
describe("e2e: service mesh routing (Istio, Linkerd) on the test cluster", function () {
    this.timeout(20 * 60 * 1000);
    const tag = runTag();
    const cluster = new TestCluster(tag);
    let bookinfo: ClusterProject | undefined;
    let plan: ClusterProject | undefined;
    let kindsBefore: Map<string, string[]>;
    const example = () => bookinfo!;
    const plans = () => plan!;
    const json = <T>(...args: string[]): T => JSON.parse(cluster.kubectl(...args, "-o", "json")) as T;

    before(async function () {
        const mirror = requireChartSuite(this);
        await cluster.start(["node-1"]);
        kindsBefore = cluster.objectsByKind();
        bookinfo = new ClusterProject(cluster, "examples/mesh", "netplumb-mesh", `mesh-${tag}`, { pack: true });
        example().ok("config", "set", "chartMirror", mirror);
        plan = new ClusterProject(cluster, "mesh-plan", "netplumb-mesh-plan", `plan-${tag}`, { pack: true });
        plans().ok("config", "set", "linkerdCrdsChart", linkerdCrdsChart(mirror));
        plans().ok("config", "set", "gatewayApiCrds", `${mirror}/gateway-api-crds-1.4.0/standard`);
    });

    after(() => {
        plan?.dispose();
        bookinfo?.dispose();
        cluster.stop();
    });

    it("examples/mesh: up installs Istio's CRDs, then the Gateway, the canary pair at 90/10 and the ServiceEntry as declared", () => {
        example().ok("up", "--yes", "--skip-preview");
        const crds = cluster.kubectl("get", "crd", "-o", "name");
        for (const kind of ["gateways", "virtualservices", "destinationrules", "serviceentries"])
            assert.match(crds, new RegExp(`/${kind}\\.networking\\.istio\\.io$`, "m"));
        assert.equal(cluster.kubectl("get", "namespace", "bookinfo", "-o", "jsonpath={.metadata.labels.istio-injection}"), "enabled");
        const gateway = json<{ spec: unknown }>("-n", "bookinfo", "get", "gateways.networking.istio.io", "bookinfo-gateway").spec;
        assert.deepEqual(gateway, {
            selector: { istio: "ingressgateway" },
            servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["bookinfo.example.com"] }],
        });
        const rule = json<{ spec: unknown }>("-n", "bookinfo", "get", "destinationrule", "productpage").spec;
        assert.deepEqual(rule, {
            host: "productpage",
            subsets: [
                { name: "v1", labels: { version: "v1" } },
                { name: "v2", labels: { version: "v2" } },
            ],
        });
        const vs = json<{ spec: { hosts: string[]; gateways: string[]; http: Array<{ route: Route }> } }>(
            "-n",
            "bookinfo",
            "get",
            "virtualservice",
            "productpage",
        ).spec;
        assert.deepEqual([vs.hosts, vs.gateways], [["bookinfo.example.com"], ["bookinfo-gateway"]]);
        assert.deepEqual(vs.http[0].route, [
            { destination: { host: "productpage", subset: "v1" }, weight: 90 },
            { destination: { host: "productpage", subset: "v2" }, weight: 10 },
        ]);
        const entry = json<{ spec: unknown }>("-n", "bookinfo", "get", "serviceentry", "external-api").spec;
        assert.deepEqual(entry, {
            hosts: ["api.example.com"],
            ports: [{ number: 443, name: "tls", protocol: "TLS" }],
            resolution: "DNS",
            location: "MESH_EXTERNAL",
        });
        // Each subset picks running pods: the version labels the rule selects are the Deployments'.
        for (const version of ["v1", "v2"])
            assert.ok(cluster.kubectl("-n", "bookinfo", "get", "pods", "-l", `app=productpage,version=${version}`, "-o", "name").trim() !== "", version);
    });

    it("a second preview changes nothing", () => {
        const result = example().run("preview", "--expect-no-changes");
        assert.equal(result.code, 0, result.out);
    });

    it("the canary's share changed to 50 previews as exactly the two weights, and up applies them", () => {
        example().ok("config", "set", "canaryPercent", "50");
        const steps = example().changes();
        assert.deepEqual(
            steps.map((s) => [nameOf(s.urn), s.op]),
            [["bookinfo-virtualservice-bookinfo-productpage", "update"]],
        );
        const weights = ["spec.http[0].route[0].weight", "spec.http[0].route[1].weight"];
        assert.deepEqual(
            changedLeaves(steps[0].oldState?.inputs, steps[0].newState?.inputs).filter((p) => !p.startsWith("__")),
            weights,
        );
        assert.deepEqual(Object.keys(steps[0].detailedDiff ?? {}).sort(), weights);
        // What a reviewer reads in the pull request (README, "Service mesh"): the two weights and nothing else.
        const diff = example().ok("preview", "--diff");
        assert.deepEqual(
            diff.match(/^\s*~ weight: \d+ => \d+$/gm)?.map((l) => l.trim()),
            ["~ weight: 90 => 50", "~ weight: 10 => 50"],
        );
        assert.match(diff, /1 to update/);
        example().ok("up", "--yes", "--skip-preview");
        const route = json<{ spec: { http: Array<{ route: Route }> } }>("-n", "bookinfo", "get", "virtualservice", "productpage").spec.http[0].route;
        assert.deepEqual(
            route.map((d) => d.weight),
            [50, 50],
        );
    });

    it("bad plans fail at preview naming property and value, and nothing in the cluster changes", () => {
        const before = cluster.objectsByKind();
        example().ok("config", "set", "canaryPercent", "150");
        const canary = example().run("preview");
        assert.notEqual(canary.code, 0);
        assert.match(canary.out, /canaries\[0\]\.canaryPercent: 150 is not a percentage/);
        assert.doesNotMatch(canary.out, /at (Object|new) /, "one message, no stack trace");
        example().ok("config", "set", "canaryPercent", "50");
        const reviews = { name: "reviews", namespace: "bookinfo", host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }] };
        const cases: Array<[string, unknown, RegExp]> = [
            [
                "istio",
                {
                    destinationRules: [reviews],
                    virtualServices: [
                        {
                            name: "reviews",
                            namespace: "bookinfo",
                            hosts: ["reviews"],
                            http: [
                                {
                                    route: [
                                        { host: "reviews", subset: "v1", weight: 90 },
                                        { host: "reviews", subset: "v3", weight: 10 },
                                    ],
                                },
                            ],
                        },
                    ],
                },
                /virtualServices\[0\]\.http\[0\]\.route\[1\]\.subset: "v3" is not defined by a DestinationRule of reviews; its subsets are v1/,
            ],
            [
                "istio",
                {
                    serviceEntries: [
                        {
                            name: "db",
                            namespace: "bookinfo",
                            hosts: ["db.example.com"],
                            ports: [{ number: 5432, name: "pg", protocol: "TCP" }],
                            resolution: "STATIC",
                            endpoints: [{ address: "db.example.com" }],
                        },
                    ],
                },
                /serviceEntries\[0\]\.endpoints\[0\]\.address: "db\.example\.com" is not an IP address, which resolution STATIC needs/,
            ],
            [
                "istio",
                {
                    gateways: [
                        {
                            name: "edge",
                            namespace: "bookinfo",
                            selector: { istio: "ingressgateway" },
                            servers: [{ port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["*"] }],
                        },
                    ],
                },
                /gateways\[0\]\.servers\[0\]\.tls\.mode: a HTTPS server needs tls\.mode/,
            ],
            [
                "linkerd",
                { serviceProfiles: [{ service: "webapp", namespace: "booksapp", routes: [{ name: "books", pathRegex: "/books/(?!admin)" }] }] },
                /serviceProfiles\[0\]\.routes\[0\]\.pathRegex: .*lookaround/,
            ],
            [
                "linkerd",
                {
                    splits: [
                        {
                            name: "authors",
                            namespace: "booksapp",
                            service: "authors",
                            port: 7001,
                            backends: [
                                { service: "authors", weight: 0 },
                                { service: "authors-v2", weight: 0 },
                            ],
                        },
                    ],
                },
                /splits\[0\]\.backends: the weights sum to 0/,
            ],
        ];
        for (const [mesh, config, message] of cases) {
            plans().ok("config", "set", mesh, JSON.stringify(config));
            const result = plans().run("preview");
            assert.notEqual(result.code, 0, JSON.stringify(config));
            assert.match(result.out, message);
            assert.doesNotMatch(result.out, /at (Object|new) /, "one message, no stack trace");
            plans().ok("config", "rm", mesh);
        }
        assert.deepEqual(cluster.objectsByKind(), before);
    });

    it("Linkerd: its CRDs, the ServiceProfile and HTTPRoute splits (the TrafficSplit translated, which preview says) as declared; destroy removes them and the CRDs", () => {
        const before = cluster.objectsByKind();
        plans().ok("config", "set", "linkerd", JSON.stringify(BOOKSAPP));
        const preview = plans().ok("preview");
        assert.match(preview, /trafficSplits\[0\] \(booksapp\/webapp\): SMI TrafficSplit is archived upstream.*HTTPRoute booksapp\/webapp/);
        plans().ok("up", "--yes", "--skip-preview");
        const inject = (namespace: string) => cluster.kubectl("get", "namespace", namespace, "-o", "jsonpath={.metadata.annotations.linkerd\\.io/inject}");
        assert.deepEqual([inject("booksapp"), inject("default")], ["enabled", "disabled"]);
        const profile = json<{ spec: { routes: unknown[]; retryBudget: unknown } }>(
            "-n",
            "booksapp",
            "get",
            "serviceprofile",
            "webapp.booksapp.svc.cluster.local",
        ).spec;
        assert.deepEqual(profile.routes[0], { name: "GET /books/{id}", condition: { method: "GET", pathRegex: "/books/\\d+" }, timeout: "300ms" });
        assert.deepEqual(profile.routes[2], { name: "GET /authors.json", condition: { method: "GET", pathRegex: "/authors\\.json" }, isRetryable: true });
        assert.deepEqual(profile.retryBudget, { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: "10s" });
        type HttpRoute = {
            spec: { parentRefs: Array<Record<string, unknown>>; rules: Array<{ backendRefs: Array<{ name: string; port: number; weight: number }> }> };
        };
        for (const [name, port, weights] of [
            ["authors", 7001, [90, 10]],
            ["webapp", 7000, [500, 500]],
        ] as const) {
            const route = json<HttpRoute>("-n", "booksapp", "get", "httproutes.gateway.networking.k8s.io", name).spec;
            assert.deepEqual(route.parentRefs, [{ group: "core", kind: "Service", name, port }]);
            assert.deepEqual(
                route.rules[0].backendRefs.map((b) => [b.port, b.weight]),
                [
                    [port, weights[0]],
                    [port, weights[1]],
                ],
            );
        }
        assert.equal(cluster.tryKubectl(["get", "crd", "trafficsplits.split.smi-spec.io"]), undefined, "no SMI CRD is installed");
        plans().ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(cluster.objectsByKind(), before);
        assert.equal(inject("default"), "", "the patched annotation is taken off; the namespace stays");
    });

    it("destroy leaves every kind as before: no mesh object, namespace or CRD of ours", () => {
        example().ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(cluster.objectsByKind(), kindsBefore);
        assert.doesNotMatch(cluster.kubectl("get", "crd", "-o", "name"), /istio\.io|linkerd\.io/);
    });
});

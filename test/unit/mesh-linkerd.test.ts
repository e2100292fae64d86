import { strict as assert } from "assert";
import fc from "fast-check";
import {
    MeshSplitInput,
    ServiceProfileInput,
    checkMeshSplit,
    checkServiceProfile,
    checkTrafficSplit,
    compileMeshSplit,
    compileServiceProfile,
    re2Error,
    trafficSplitNote,
    translateTrafficSplit,
} from "../../sdk/model/mesh/linkerd";
import { checkIstioMesh, checkLinkerdMesh, compileIstioMesh, compileLinkerdMesh } from "../../sdk/model/mesh/plans";
import { reasonsByProperty } from "../support/failures";

const webapp: ServiceProfileInput = {
    service: "webapp",
    namespace: "booksapp",
    routes: [
        { name: "GET /books/{id}", method: "GET", pathRegex: "/books/\\d+", timeout: "300ms" },
        { name: "POST /books", method: "POST", pathRegex: "/books", isRetryable: false },
    ],
    retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: "10s" },
};

const split = (weights: number[]): MeshSplitInput => ({
    name: "authors",
    namespace: "booksapp",
    service: "authors",
    port: 7001,
    backends: weights.map((weight, i) => ({ service: `authors-v${i + 1}`, weight })),
});

describe("mesh: Linkerd's ServiceProfiles (RE2 regexes), HTTPRoute splits, SMI TrafficSplit translated; plans checked together", () => {
    it("the guide's ServiceProfile passes and compiles, named by the Service's FQDN", () => {
        assert.deepEqual(checkServiceProfile(webapp).all, []);
        assert.deepEqual(compileServiceProfile(webapp), {
            apiVersion: "linkerd.io/v1alpha2",
            kind: "ServiceProfile",
            metadata: { name: "webapp.booksapp.svc.cluster.local", namespace: "booksapp" },
            spec: {
                routes: [
                    { name: "GET /books/{id}", condition: { method: "GET", pathRegex: "/books/\\d+" }, timeout: "300ms" },
                    { name: "POST /books", condition: { method: "POST", pathRegex: "/books" } },
                ],
                retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: "10s" },
            },
        });
    });

    it("route regexes must compile as RE2: syntax errors, lookaround and backreferences fail; RE2's (?P<name>) and (?i) pass", () => {
        for (const good of ["/books/[^/]*\\.json", "/api/v[0-9]+/.*", "(?P<id>\\d+)", "(?i)/Books", "/a|/b"]) assert.equal(re2Error(good), undefined, good);
        assert.match(re2Error("/books/[")!, /does not compile/);
        assert.match(re2Error("/books/(?!admin)")!, /lookaround/);
        assert.match(re2Error("/(?<=x)y")!, /lookaround/);
        assert.match(re2Error("(a)\\1")!, /backreference/);
        assert.match(re2Error("")!, /not a regular expression/);
    });

    it("profile routes, methods, timeouts and the retry budget: each bad value named", () => {
        const bad: ServiceProfileInput = {
            service: "Webapp",
            namespace: "booksapp",
            routes: [
                { name: "dup", method: "FETCH" as never, pathRegex: "(", timeout: "1 second" },
                { name: "dup", pathRegex: "/" },
            ],
            retryBudget: { retryRatio: -1, minRetriesPerSecond: 1.5, ttl: "ten" },
        };
        assert.deepEqual(Object.keys(reasonsByProperty(checkServiceProfile(bad, "p").all)).sort(), [
            "p.retryBudget.minRetriesPerSecond",
            "p.retryBudget.retryRatio",
            "p.retryBudget.ttl",
            "p.routes[0].method",
            "p.routes[0].pathRegex",
            "p.routes[0].timeout",
            "p.routes[1].name",
            "p.service",
        ]);
        assert.deepEqual(checkServiceProfile({ ...webapp, routes: [{ name: "x", pathRegex: "/", timeout: "1m30s" }] }).all, []);
    });

    it("split weights are relative: any non-negative integers with a positive sum pass; otherwise the split is named (fast-check, fixed seed)", () => {
        fc.assert(
            fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 5 }), (weights) => {
                const failures = checkMeshSplit(split(weights), "s").all;
                if (weights.some((w) => w > 0)) assert.deepEqual(failures, []);
                else
                    assert.deepEqual(
                        failures.map((f) => f.property),
                        ["s.backends"],
                    );
            }),
            { seed: 20261128, numRuns: 300 },
        );
        assert.match(reasonsByProperty(checkMeshSplit(split([-1, 10]), "s").all)["s.backends[0].weight"], /not a weight/);
        assert.match(reasonsByProperty(checkMeshSplit(split([1.5, 10]), "s").all)["s.backends[0].weight"], /not a weight/);
    });

    it("a split compiles to an HTTPRoute whose parent is the Service (Linkerd's form), backends on the Service's port", () => {
        assert.deepEqual(compileMeshSplit(split([90, 10])).spec, {
            parentRefs: [{ group: "core", kind: "Service", name: "authors", port: 7001 }],
            rules: [
                {
                    backendRefs: [
                        { name: "authors-v1", port: 7001, weight: 90 },
                        { name: "authors-v2", port: 7001, weight: 10 },
                    ],
                },
            ],
        });
    });

    it("a TrafficSplit becomes the same HTTPRoute; without a port it fails saying why; the preview note names what is applied", () => {
        const ts = {
            name: "webapp",
            namespace: "booksapp",
            service: "webapp",
            port: 7000,
            backends: [
                { service: "webapp", weight: 500 },
                { service: "webapp-v2", weight: 500 },
            ],
        };
        assert.deepEqual(checkTrafficSplit(ts, "t").all, []);
        assert.deepEqual(compileMeshSplit(translateTrafficSplit(ts)).metadata, { name: "webapp", namespace: "booksapp" });
        const noPort = reasonsByProperty(checkTrafficSplit({ ...ts, port: undefined, backends: [{ service: "webapp", weight: -5 }] }, "t").all);
        assert.deepEqual(Object.keys(noPort).sort(), ["t.backends", "t.backends[0].weight", "t.port"]);
        assert.match(noPort["t.port"], /names no port.*add port/);
        assert.match(
            trafficSplitNote(ts, "trafficSplits[0]"),
            /SMI TrafficSplit is archived upstream.*HTTPRoute booksapp\/webapp .*parent Service webapp:7000 .*webapp=500, webapp-v2=500/,
        );
    });

    it("plans: a split and a TrafficSplit making the same HTTPRoute, or two profiles of one Service, fail; valid plans compile in order", () => {
        const ts = { name: "authors", namespace: "booksapp", service: "authors", port: 7001, backends: [{ service: "authors", weight: 1 }] };
        const reasons = reasonsByProperty(checkLinkerdMesh({ splits: [split([1])], trafficSplits: [ts], serviceProfiles: [webapp, webapp] }));
        assert.match(reasons["trafficSplits[0].name"], /HTTPRoute "booksapp\/authors" is declared by splits\[0\] too/);
        assert.match(reasons["serviceProfiles[1].name"], /ServiceProfile "booksapp\/webapp" is declared by serviceProfiles\[0\] too/);
        const objects = compileLinkerdMesh({ serviceProfiles: [webapp], splits: [split([1])], trafficSplits: [{ ...ts, name: "authors-ts" }] });
        assert.deepEqual(
            objects.map((o) => `${o.kind}/${o.metadata.name}`),
            ["ServiceProfile/webapp.booksapp.svc.cluster.local", "HTTPRoute/authors", "HTTPRoute/authors-ts"],
        );
    });

    it("Istio plans: canaries' subsets count as defined, a route to a subset of none fails, duplicates and unbound hosts are named", () => {
        const canary = { service: "productpage", namespace: "bookinfo", canaryPercent: 10 };
        const extra = { name: "productpage-edge", namespace: "bookinfo", hosts: ["productpage"], http: [{ route: [{ host: "productpage", subset: "v2" }] }] };
        assert.deepEqual(checkIstioMesh({ canaries: [canary], virtualServices: [extra] }), []);
        const reasons = reasonsByProperty(
            checkIstioMesh({
                canaries: [canary, { ...canary, gateways: ["edge"], hosts: ["shop.example.com"] }],
                gateways: [
                    {
                        name: "edge",
                        namespace: "bookinfo",
                        selector: { istio: "ingressgateway" },
                        servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["bookinfo.example.com"] }],
                    },
                ],
                virtualServices: [{ ...extra, http: [{ route: [{ host: "productpage", subset: "v3" }] }] }],
            }),
        );
        assert.deepEqual(Object.keys(reasons).sort(), ["canaries[1].hosts[0]", "canaries[1].name", "virtualServices[0].http[0].route[0].subset"]);
        assert.match(reasons["canaries[1].name"], /VirtualService "bookinfo\/productpage" is declared by canaries\[0\] too/);
        assert.deepEqual(
            compileIstioMesh({
                canaries: [canary],
                serviceEntries: [{ name: "api", namespace: "bookinfo", hosts: ["api.example.com"], ports: [{ number: 443, name: "tls", protocol: "TLS" }] }],
            }).map((o) => o.kind),
            ["DestinationRule", "VirtualService", "ServiceEntry"],
        );
    });
});

import { strict as assert } from "assert";
import fc from "fast-check";
import { Labels, selects } from "../../sdk/model/cluster/labels";
import { Connection, PodRef, PolicyProtocol, allows } from "../../sdk/model/cluster/network-policy";
import { INGRESS_CONTROLLER, NetworkPoliciesInput, checkPolicies, compilePolicies, intentAllows } from "../../sdk/model/cluster/policies";

/** The guide's production shape: frontend -> backend:8080 -> data:5432, the ingress controller -> frontend:80. */
const threeTiers: NetworkPoliciesInput = {
    namespaces: ["shop"],
    denyEgress: true,
    tiers: {
        frontend: { namespace: "shop", podSelector: { tier: "frontend" } },
        backend: { namespace: "shop", podSelector: { tier: "backend" } },
        data: { namespace: "shop", podSelector: { tier: "data" } },
    },
    ingressController: { namespace: "traefik", podSelector: { "app.kubernetes.io/name": "traefik" } },
    allow: [
        { from: INGRESS_CONTROLLER, to: "frontend", ports: [{ port: 80 }] },
        { from: "frontend", to: "backend", ports: [{ port: 8080 }] },
        { from: "backend", to: "data", ports: [{ port: 5432 }] },
    ],
};

const pod = (namespace: string, labels: Labels): PodRef => ({ namespace, labels });
const frontend = pod("shop", { tier: "frontend" });
const backend = pod("shop", { tier: "backend" });
const data = pod("shop", { tier: "data" });
const traefik = pod("traefik", { "app.kubernetes.io/name": "traefik" });
const dns = pod("kube-system", { "k8s-app": "kube-dns" });
const outsider = pod("other", { tier: "frontend" });

describe("cluster: NetworkPolicies compiled from typed intent, checked by a pure evaluator", () => {
    const compiled = compilePolicies(threeTiers);
    const can = (from: PodRef, to: PodRef, port: number, protocol: PolicyProtocol = "TCP") => allows(compiled, { from, to, port, protocol });

    it("the three tiers: exactly the declared paths pass, and DNS", () => {
        assert.equal(can(traefik, frontend, 80), true);
        assert.equal(can(frontend, backend, 8080), true);
        assert.equal(can(backend, data, 5432), true);
        assert.equal(can(frontend, data, 5432), false, "frontend may not skip a tier");
        assert.equal(can(data, backend, 8080), false, "no path back up");
        assert.equal(can(frontend, backend, 5432), false, "only the declared port");
        assert.equal(can(outsider, frontend, 80), false, "a pod with the right label in another namespace is not the ingress controller");
        assert.equal(can(frontend, dns, 53, "UDP"), true);
        assert.equal(can(frontend, dns, 53, "TCP"), true);
        assert.equal(can(frontend, outsider, 80), false, "egress is denied by default");
        assert.equal(can(outsider, dns, 53, "UDP"), true, "namespaces not listed are not restricted");
    });

    it("compiles to named objects in a stable order, labelled as netplumb's", () => {
        assert.deepEqual(
            compiled.map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
            [
                "shop/default-deny-ingress",
                "shop/default-deny-egress",
                "shop/allow-dns",
                "shop/allow-to-backend",
                "shop/allow-to-data",
                "shop/allow-to-frontend",
                "shop/allow-from-backend",
                "shop/allow-from-frontend",
            ],
        );
        assert.ok(compiled.every((p) => p.metadata.labels?.["app.kubernetes.io/managed-by"] === "netplumb"));
        const toBackend = compiled.find((p) => p.metadata.name === "allow-to-backend")!;
        assert.deepEqual(toBackend.spec, {
            podSelector: { matchLabels: { tier: "backend" } },
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [
                        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "shop" } }, podSelector: { matchLabels: { tier: "frontend" } } },
                    ],
                    ports: [{ protocol: "TCP", port: 8080 }],
                },
            ],
        });
        assert.equal(checkPolicies(threeTiers).ok, true);
    });

    it("a tier change compiles to a change of exactly one object (and of the sender's egress policy with denyEgress)", () => {
        const withPort = (input: NetworkPoliciesInput) => ({
            ...input,
            allow: input.allow.map((a) => (a.to === "backend" ? { ...a, ports: [{ port: 9090 }] } : a)),
        });
        const changedNames = (input: NetworkPoliciesInput) => {
            const before = compilePolicies(input);
            return compilePolicies(withPort(input))
                .filter((p, i) => JSON.stringify(p) !== JSON.stringify(before[i]))
                .map((p) => p.metadata.name);
        };
        assert.deepEqual(changedNames({ ...threeTiers, denyEgress: false }), ["allow-to-backend"]);
        assert.deepEqual(changedNames(threeTiers), ["allow-to-backend", "allow-from-frontend"]);
    });

    it("unknown tiers and namespaces, bad names, labels and ports fail, naming the property and the value", () => {
        const failures = checkPolicies(
            {
                namespaces: ["shop", "Bad_NS"],
                tiers: {
                    frontend: { namespace: "shop", podSelector: { tier: "frontend" } },
                    stray: { namespace: "elsewhere", podSelector: { "bad key!": "x" } },
                },
                allow: [
                    { from: "frontnd", to: "backend", ports: [{ port: 0 }] },
                    { from: "frontend", to: "frontend", ports: [{ port: 80, protocol: "ICMP" as PolicyProtocol }] },
                ],
            },
            "policies",
        ).all;
        const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
        assert.match(byProperty["policies.namespaces[1]"], /"Bad_NS" is not a DNS-1123 label/);
        assert.match(byProperty["policies.tiers.stray.namespace"], /"elsewhere" is not one of namespaces \(shop, Bad_NS\)/);
        assert.match(byProperty["policies.tiers.stray.podSelector"], /label key "bad key!" is not valid/);
        assert.match(byProperty["policies.allow[0].from"], /"frontnd" is not a declared tier; use one of frontend, stray/);
        assert.match(byProperty["policies.allow[0].to"], /"backend" is not a declared tier/);
        assert.match(byProperty["policies.allow[0].ports[0].port"], /0 is not a port/);
        assert.match(byProperty["policies.allow[1].ports[0].protocol"], /"ICMP" is not TCP, UDP or SCTP/);
    });

    it("the evaluator follows the API: unselected pods are open, podSelector-only peers stay in the policy's namespace, expressions work", () => {
        const onlyBackend = compilePolicies({ namespaces: ["shop"], tiers: threeTiers.tiers, allow: [] });
        assert.equal(allows(onlyBackend, { from: frontend, to: outsider, port: 80, protocol: "TCP" }), true, "egress open without denyEgress");
        const sameNamespacePeer = [
            {
                apiVersion: "networking.k8s.io/v1" as const,
                kind: "NetworkPolicy" as const,
                metadata: { name: "p", namespace: "shop" },
                spec: { podSelector: {}, policyTypes: ["Ingress" as const], ingress: [{ from: [{ podSelector: { matchLabels: { tier: "frontend" } } }] }] },
            },
        ];
        assert.equal(allows(sameNamespacePeer, { from: frontend, to: data, port: 1, protocol: "UDP" }), true);
        assert.equal(allows(sameNamespacePeer, { from: outsider, to: data, port: 1, protocol: "UDP" }), false);
        assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "In", values: ["data", "backend"] }] }, data.labels), true);
        assert.equal(selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["data"] }] }, data.labels), false);
        assert.equal(selects({ matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] }, data.labels), true);
        assert.equal(selects({ matchExpressions: [{ key: "gpu", operator: "Exists" }] }, data.labels), false);
    });

    it("for any valid intent and any pods, the compiled policies allow exactly what the intent says (fast-check, fixed seed)", () => {
        const governedPool = ["a", "b", "c"];
        const label = fc.record({ tier: fc.constantFrom("x", "y", "z"), app: fc.constantFrom("web", "db") }, { requiredKeys: [] });
        const ports = fc.uniqueArray(fc.record({ port: fc.constantFrom(53, 80, 8080, 5432), protocol: fc.constantFrom<PolicyProtocol>("TCP", "UDP") }), {
            minLength: 1,
            maxLength: 3,
            selector: (p) => `${p.port}/${p.protocol}`,
        });
        const intent = fc
            .record({
                namespaces: fc.subarray(governedPool, { minLength: 1 }),
                denyEgress: fc.boolean(),
                tierCount: fc.integer({ min: 1, max: 4 }),
                withController: fc.boolean(),
                seeds: fc.array(fc.tuple(fc.nat(), label), { minLength: 4, maxLength: 4 }),
                allows: fc.array(fc.tuple(fc.nat(), fc.nat(), ports), { maxLength: 6 }),
            })
            .map(({ namespaces, denyEgress, tierCount, withController, seeds, allows: picks }): NetworkPoliciesInput => {
                const tiers = Object.fromEntries(
                    seeds
                        .slice(0, tierCount)
                        .map(([n, podSelector], i) => [`t${i}`, { namespace: namespaces[n % namespaces.length], podSelector: podSelector }]),
                );
                const names = Object.keys(tiers);
                const sources = withController ? [...names, INGRESS_CONTROLLER] : names;
                return {
                    namespaces,
                    denyEgress,
                    tiers,
                    ingressController: withController ? { namespace: "ingress", podSelector: { app: "web" } } : undefined,
                    allow: picks.map(([f, t, p]) => ({ from: sources[f % sources.length], to: names[t % names.length], ports: p })),
                };
            });
        const pods = fc.array(
            fc.record({ namespace: fc.constantFrom("a", "b", "c", "kube-system", "ingress"), labels: fc.oneof(label, fc.constant({ "k8s-app": "kube-dns" })) }),
            { minLength: 2, maxLength: 6 },
        );
        fc.assert(
            fc.property(intent, pods, (input, podList) => {
                assert.deepEqual(checkPolicies(input).all, []);
                const policies = compilePolicies(input);
                for (const from of podList as PodRef[])
                    for (const to of podList as PodRef[])
                        for (const port of [53, 80, 8080, 5432])
                            for (const protocol of ["TCP", "UDP"] as const) {
                                const c: Connection = { from, to, port, protocol };
                                assert.equal(allows(policies, c), intentAllows(input, c), JSON.stringify({ input, c }));
                            }
            }),
            { seed: 20261128, numRuns: 400 },
        );
    });
});

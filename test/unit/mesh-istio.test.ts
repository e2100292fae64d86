import { strict as assert } from "assert";
import fc from "fast-check";
import {
    DestinationRuleInput,
    ServiceEntryInput,
    VirtualServiceInput,
    canary,
    checkCanary,
    checkDestinationRule,
    checkServiceEntry,
    checkVirtualService,
    compileDestinationRule,
    compileServiceEntry,
    compileVirtualService,
} from "../../sdk/model/mesh/istio";
import { reasonsByProperty } from "../support/failures";

const reviews: DestinationRuleInput = {
    name: "reviews",
    namespace: "bookinfo",
    host: "reviews",
    subsets: [
        { name: "v1", labels: { version: "v1" } },
        { name: "v2", labels: { version: "v2" } },
    ],
};

const split = (weights: Array<number | undefined>): VirtualServiceInput => ({
    name: "reviews",
    namespace: "bookinfo",
    hosts: ["reviews"],
    http: [{ name: "split", route: weights.map((weight, i) => ({ host: "reviews", subset: i % 2 ? "v2" : "v1", weight })) }],
});

describe("mesh: Istio routing checked at preview (weights, subsets, hosts, ports, resolution) and compiled", () => {
    it("the guide's canary: 90/10 between subsets a DestinationRule defines compiles to the two objects", () => {
        const pair = canary({ service: "productpage", namespace: "bookinfo", canaryPercent: 10 });
        assert.deepEqual(checkCanary({ service: "productpage", namespace: "bookinfo", canaryPercent: 10 }).all, []);
        assert.deepEqual(checkVirtualService(pair.virtualService, [pair.destinationRule]).all, []);
        assert.deepEqual(checkDestinationRule(pair.destinationRule).all, []);
        assert.deepEqual(compileVirtualService(pair.virtualService).spec, {
            hosts: ["productpage"],
            http: [
                {
                    name: "canary",
                    route: [
                        { destination: { host: "productpage", subset: "v1" }, weight: 90 },
                        { destination: { host: "productpage", subset: "v2" }, weight: 10 },
                    ],
                },
            ],
        });
        assert.deepEqual(compileDestinationRule(pair.destinationRule).spec, {
            host: "productpage",
            subsets: [
                { name: "v1", labels: { version: "v1" } },
                { name: "v2", labels: { version: "v2" } },
            ],
        });
    });

    it("weights are relative: any non-negative integers with a positive sum pass; all zero, negative or fractional fail naming the route (fast-check, fixed seed)", () => {
        fc.assert(
            fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 6 }), (weights) => {
                const failures = checkVirtualService(split(weights), [reviews], "vs").all;
                const sum = weights.reduce((a, b) => a + b, 0);
                if (sum > 0) assert.deepEqual(failures, []);
                else
                    assert.deepEqual(
                        failures.map((f) => f.property),
                        ["vs.http[0].route"],
                    );
            }),
            { seed: 20261128, numRuns: 300 },
        );
        for (const bad of [-1, 2.5]) {
            assert.match(reasonsByProperty(checkVirtualService(split([bad, 10]), [reviews], "vs").all)["vs.http[0].route[0].weight"], /not a weight/);
        }
        assert.match(
            reasonsByProperty(checkVirtualService(split([90, undefined]), [reviews], "vs").all)["vs.http[0].route[1].weight"],
            /needs a weight on each/,
        );
    });

    it("a subset no DestinationRule of that host defines fails, listing the subsets it has; short and qualified hosts are the same host", () => {
        const vs = split([50, 50]);
        const v3 = { ...vs, http: [{ route: [{ host: "reviews", subset: "v3" }] }] };
        assert.match(
            reasonsByProperty(checkVirtualService(v3, [reviews], "vs").all)["vs.http[0].route[0].subset"],
            /"v3" is not defined .*its subsets are v1, v2/,
        );
        assert.match(reasonsByProperty(checkVirtualService(vs, [], "vs").all)["vs.http[0].route[0].subset"], /declare one with that subset/);
        const qualified = { ...reviews, host: "reviews.bookinfo.svc.cluster.local" };
        assert.deepEqual(checkVirtualService(vs, [qualified]).all, []);
        const otherNamespace = { ...reviews, namespace: "other" };
        assert.equal(checkVirtualService(vs, [otherNamespace]).all.length, 2, "reviews in another namespace is another host");
    });

    it("hosts, paths, retries and timeouts: each bad value named", () => {
        const vs: VirtualServiceInput = {
            name: "Reviews",
            namespace: "bookinfo",
            hosts: ["reviews", "*.example.com", "bad_host"],
            http: [
                {
                    match: [{ uriPrefix: "api" }],
                    route: [{ host: "reviews", port: 70000 }],
                    retries: { attempts: 0, perTryTimeout: "2 seconds" },
                    timeout: "10",
                },
            ],
        };
        assert.deepEqual(Object.keys(reasonsByProperty(checkVirtualService(vs, [], "vs").all)).sort(), [
            "vs.hosts[2]",
            "vs.http[0].match[0].uriPrefix",
            "vs.http[0].retries.attempts",
            "vs.http[0].retries.perTryTimeout",
            "vs.http[0].route[0].port",
            "vs.http[0].timeout",
            "vs.name",
        ]);
    });

    it("DestinationRule: subsets need unique names and labels; traffic policy values from Istio's lists", () => {
        const dr = { ...reviews, subsets: [...reviews.subsets, { name: "v1", labels: {} }], trafficPolicy: { loadBalancer: "FASTEST", tls: "ISTIO_MUTUAL" } };
        assert.deepEqual(Object.keys(reasonsByProperty(checkDestinationRule(dr, "dr").all)).sort(), [
            "dr.subsets[2].labels",
            "dr.subsets[2].name",
            "dr.trafficPolicy.loadBalancer",
        ]);
        assert.deepEqual(compileDestinationRule({ ...reviews, trafficPolicy: { tls: "ISTIO_MUTUAL" } }).spec.trafficPolicy, { tls: { mode: "ISTIO_MUTUAL" } });
    });

    it("ServiceEntry: the resolution must fit the hosts and endpoints; ports and protocols checked", () => {
        const api: ServiceEntryInput = {
            name: "payments-api",
            namespace: "bookinfo",
            hosts: ["api.payments.example"],
            ports: [{ number: 443, name: "https", protocol: "TLS" }],
        };
        assert.deepEqual(checkServiceEntry(api).all, []);
        assert.deepEqual(compileServiceEntry(api).spec, {
            hosts: ["api.payments.example"],
            ports: [{ number: 443, name: "https", protocol: "TLS" }],
            resolution: "DNS",
            location: "MESH_EXTERNAL",
        });
        const cases: Array<[Partial<ServiceEntryInput>, string, RegExp]> = [
            [{ resolution: "STATIC" }, "se.endpoints", /STATIC needs endpoints/],
            [{ resolution: "STATIC", endpoints: [{ address: "api.payments.example" }] }, "se.endpoints[0].address", /not an IP address/],
            [{ hosts: ["*.payments.example"] }, "se.hosts[0]", /wildcard/],
            [{ resolution: "NONE", endpoints: [{ address: "203.0.113.7" }] }, "se.endpoints", /takes no endpoints/],
            [{ ports: [{ number: 443, name: "https", protocol: "QUIC" }] }, "se.ports[0].protocol", /not one of HTTP, HTTPS/],
            [{ ports: [{ number: 0, name: "https", protocol: "TLS" }] }, "se.ports[0].number", /not a port/],
        ];
        for (const [change, property, reason] of cases)
            assert.match(reasonsByProperty(checkServiceEntry({ ...api, ...change }, "se").all)[property] ?? "(none)", reason, property);
        assert.deepEqual(checkServiceEntry({ ...api, resolution: "STATIC", endpoints: [{ address: "203.0.113.7" }] }).all, []);
    });

    it("Canary: the percentage is a whole number from 0 to 100 and the versions differ", () => {
        assert.deepEqual(
            Object.keys(
                reasonsByProperty(checkCanary({ service: "productpage", namespace: "bookinfo", canaryPercent: 110, canary: "v1" }, "canary").all),
            ).sort(),
            ["canary.canary", "canary.canaryPercent"],
        );
        const all = canary({ service: "productpage", namespace: "bookinfo", canaryPercent: 100 }).virtualService.http[0].route.map((d) => d.weight);
        assert.deepEqual(all, [0, 100]);
    });
});

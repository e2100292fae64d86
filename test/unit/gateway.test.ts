import { strict as assert } from "assert";
import { checkGateway, checkHttpRoute, compileGateway, compileHttpRoute } from "../../sdk/model/cluster/gateway";

const byProperty = (failures: ReturnType<typeof checkGateway>) => Object.fromEntries(failures.all.map((f) => [f.property, f.reason]));

describe("cluster: Gateway API objects from typed inputs (Traefik by default)", () => {
    const gateway = { name: "web", namespace: "edge", listeners: [{ name: "http", port: 80 }] };

    it("a Gateway and its class, Traefik's controller by default", () => {
        assert.deepEqual(checkGateway(gateway).all, []);
        assert.deepEqual(compileGateway(gateway), [
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "GatewayClass",
                metadata: { name: "traefik" },
                spec: { controllerName: "traefik.io/gateway-controller" },
            },
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: "web", namespace: "edge" },
                spec: {
                    gatewayClassName: "traefik",
                    listeners: [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }],
                },
            },
        ]);
    });

    it("an HTTPRoute: path prefixes to Services with relative weights, attached to the Gateway", () => {
        const route = {
            name: "shop",
            namespace: "shop",
            gateway: { name: "web", namespace: "edge" },
            hostnames: ["shop.example.test"],
            rules: [
                {
                    pathPrefix: "/api",
                    backends: [
                        { service: "api-v1", port: 8080, weight: 9 },
                        { service: "api-v2", port: 8080, weight: 1 },
                    ],
                },
                { backends: [{ service: "frontend", port: 80 }] },
            ],
        };
        assert.deepEqual(checkHttpRoute(route).all, []);
        assert.deepEqual(compileHttpRoute(route).spec, {
            parentRefs: [{ name: "web", namespace: "edge" }],
            hostnames: ["shop.example.test"],
            rules: [
                {
                    matches: [{ path: { type: "PathPrefix", value: "/api" } }],
                    backendRefs: [
                        { name: "api-v1", port: 8080, weight: 9 },
                        { name: "api-v2", port: 8080, weight: 1 },
                    ],
                },
                { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "frontend", port: 80, weight: 1 }] },
            ],
        });
    });

    it("bad listeners, routes and weights fail naming property, value and fix; weights need only a positive sum", () => {
        const g = byProperty(
            checkGateway(
                {
                    name: "Web",
                    namespace: "edge",
                    listeners: [
                        { name: "http", port: 0 },
                        { name: "http", port: 443, protocol: "HTTPS", hostname: "bad host" },
                    ],
                },
                "ingress",
            ),
        );
        assert.match(g["ingress.name"], /"Web" is not a DNS-1123 label/);
        assert.match(g["ingress.listeners[0].port"], /0 is not a port/);
        assert.match(g["ingress.listeners[1].name"], /used by an earlier listener/);
        assert.match(g["ingress.listeners[1].hostname"], /"bad host" is not a host name/);
        assert.match(g["ingress.listeners[1].certificateSecret"], /HTTPS listener needs/);
        const r = byProperty(
            checkHttpRoute(
                {
                    name: "r",
                    namespace: "shop",
                    gateway: { name: "web", namespace: "edge" },
                    rules: [
                        {
                            pathPrefix: "api",
                            backends: [
                                { service: "a", port: 80, weight: 0 },
                                { service: "b", port: 80, weight: -1 },
                            ],
                        },
                        { backends: [] },
                    ],
                },
                "route",
            ),
        );
        assert.match(r["route.rules[0].pathPrefix"], /"api" does not start with "\/"/);
        assert.match(r["route.rules[0].backends[1].weight"], /-1 is not a weight/);
        assert.match(r["route.rules[1].backends"], /needs at least one backend/);
        const zero = checkHttpRoute({
            name: "r",
            namespace: "shop",
            gateway: { name: "web", namespace: "edge" },
            rules: [{ backends: [{ service: "a", port: 80, weight: 0 }] }],
        });
        assert.match(zero.all[0].reason, /weights sum to 0/);
        const relative = checkHttpRoute({
            name: "r",
            namespace: "shop",
            gateway: { name: "web", namespace: "edge" },
            rules: [
                {
                    backends: [
                        { service: "a", port: 80, weight: 3 },
                        { service: "b", port: 80, weight: 0 },
                    ],
                },
            ],
        });
        assert.deepEqual(relative.all, [], "weights need not sum to 100");
    });
});

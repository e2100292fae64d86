import { strict as assert } from "assert";
import fc from "fast-check";
import { IstioGatewayInput, checkGatewayBindings, checkIstioGateway, compileIstioGateway, serverHostCovers } from "../../sdk/model/mesh/istio-gateway";
import { VirtualServiceInput } from "../../sdk/model/mesh/istio";
import { checkMeshNamespaces, istioNamespaceLabels, istioSidecar, linkerdNamespaceAnnotations, linkerdProxy } from "../../sdk/model/mesh/injection";
import { reasonsByProperty } from "../support/failures";

const bookinfo: IstioGatewayInput = {
    name: "bookinfo-gateway",
    namespace: "bookinfo",
    selector: { istio: "ingressgateway" },
    servers: [
        { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["bookinfo.example.com"], tls: { httpsRedirect: true } },
        { port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["bookinfo.example.com"], tls: { mode: "SIMPLE", credentialName: "bookinfo-cert" } },
    ],
};

const routeTo = (hosts: string[], gateways?: string[]): VirtualServiceInput => ({
    name: "productpage",
    namespace: "bookinfo",
    hosts,
    ...(gateways ? { gateways } : {}),
    http: [{ route: [{ host: "productpage" }] }],
});

describe("mesh: Istio Gateways (selector, servers, TLS) and the routes bound to them; sidecar injection", () => {
    it("the guide's gateway (HTTP redirecting to HTTPS, SIMPLE TLS with a certificate Secret) passes and compiles as declared", () => {
        assert.deepEqual(checkIstioGateway(bookinfo).all, []);
        assert.deepEqual(compileIstioGateway(bookinfo), {
            apiVersion: "networking.istio.io/v1",
            kind: "Gateway",
            metadata: { name: "bookinfo-gateway", namespace: "bookinfo" },
            spec: {
                selector: { istio: "ingressgateway" },
                servers: [
                    { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["bookinfo.example.com"], tls: { httpsRedirect: true } },
                    {
                        port: { number: 443, name: "https", protocol: "HTTPS" },
                        hosts: ["bookinfo.example.com"],
                        tls: { mode: "SIMPLE", credentialName: "bookinfo-cert" },
                    },
                ],
            },
        });
    });

    it("selector and servers must be consistent: each inconsistency named by property", () => {
        const bad: IstioGatewayInput = {
            name: "edge",
            namespace: "bookinfo",
            selector: {},
            servers: [
                { port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["a.example.com"] },
                { port: { number: 443, name: "https", protocol: "TCP" }, hosts: ["a.example.com", "bad_ns!/x.example.com"] },
                { port: { number: 8443, name: "tls", protocol: "HTTP" }, hosts: [], tls: { mode: "PASSTHROUGH" } },
                { port: { number: 9443, name: "mtls", protocol: "HTTPS" }, hosts: ["*"], tls: { mode: "MUTUAL", httpsRedirect: true } },
            ],
        };
        const reasons = reasonsByProperty(checkIstioGateway(bad, "gw").all);
        assert.deepEqual(Object.keys(reasons).sort(), [
            "gw.selector",
            "gw.servers[0].tls.mode",
            "gw.servers[1].hosts[0]",
            "gw.servers[1].hosts[1]",
            "gw.servers[1].port.name",
            "gw.servers[1].port.protocol",
            "gw.servers[2].hosts",
            "gw.servers[2].tls.mode",
            "gw.servers[3].tls.credentialName",
            "gw.servers[3].tls.httpsRedirect",
        ]);
        assert.match(reasons["gw.selector"], /binds every gateway pod/);
        assert.match(reasons["gw.servers[1].port.protocol"], /port 443 is HTTPS on an earlier server/);
        assert.match(reasons["gw.servers[1].hosts[0]"], /"a\.example\.com" is already exposed on port 443/);
        assert.match(reasons["gw.servers[2].tls.mode"], /PASSTHROUGH .* must be TLS, not "HTTP"/);
        assert.match(reasons["gw.servers[3].tls.credentialName"], /MUTUAL needs credentialName/);
    });

    it("server host patterns: * covers all, *.example.com covers subdomains only, namespace/ prefixes ignored (fast-check, fixed seed)", () => {
        const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
        fc.assert(
            fc.property(label, label, (sub, domain) => {
                const host = `${sub}.${domain}.example`;
                assert.ok(serverHostCovers("*", host));
                assert.ok(serverHostCovers(`*.${domain}.example`, host));
                assert.ok(serverHostCovers(`ns/${host}`, host));
                assert.ok(!serverHostCovers(`*.${domain}.example`, `${domain}.example`));
                assert.ok(!serverHostCovers(`other-${sub}.${domain}.example`, host));
            }),
            { seed: 20261128, numRuns: 200 },
        );
    });

    it("a VirtualService bound only to declared gateways must name a host they expose; the mesh and undeclared gateways are not held to it", () => {
        const check = (vs: VirtualServiceInput) => checkGatewayBindings([[vs, "vs"]], [bookinfo]).all;
        assert.deepEqual(check(routeTo(["bookinfo.example.com"], ["bookinfo-gateway"])), []);
        assert.deepEqual(check(routeTo(["bookinfo.example.com"], ["bookinfo/bookinfo-gateway"])), []);
        const miss = check(routeTo(["shop.example.com"], ["bookinfo-gateway"]));
        assert.deepEqual(
            miss.map((f) => f.property),
            ["vs.hosts[0]"],
        );
        assert.match(miss[0].reason, /"shop\.example\.com" is exposed by none of its gateways \(bookinfo\/bookinfo-gateway: hosts bookinfo\.example\.com/);
        assert.deepEqual(check(routeTo(["productpage"])), [], "bound to the mesh by default");
        assert.deepEqual(check(routeTo(["productpage"], ["bookinfo-gateway", "mesh"])), []);
        assert.deepEqual(check(routeTo(["shop.example.com"], ["other/edge"])), [], "a gateway declared elsewhere");
    });

    it("injection: Istio's namespace label (or revision), Linkerd's annotation, and the per-workload switches", () => {
        assert.deepEqual(istioNamespaceLabels("enabled"), { "istio-injection": "enabled" });
        assert.deepEqual(istioNamespaceLabels({ revision: "1-30" }), { "istio.io/rev": "1-30" });
        assert.deepEqual(linkerdNamespaceAnnotations("disabled"), { "linkerd.io/inject": "disabled" });
        assert.deepEqual(istioSidecar(false), { "sidecar.istio.io/inject": "false" });
        assert.deepEqual(linkerdProxy(true), { "linkerd.io/inject": "enabled" });
        const bad = { Bookinfo: { injection: "enabled" as const }, shop: { injection: "on" as never }, web: { injection: { revision: "1.30" } } };
        assert.deepEqual(Object.keys(reasonsByProperty(checkMeshNamespaces(bad, true).all)).sort(), [
            "namespaces.Bookinfo",
            "namespaces.shop.injection",
            "namespaces.web.injection.revision",
        ]);
        assert.match(
            reasonsByProperty(checkMeshNamespaces({ web: { injection: { revision: "1-30" } } }, false).all)["namespaces.web.injection"],
            /not "enabled" or "disabled"$/,
        );
    });
});

import { strict as assert } from "assert";
import { IngressInput, checkIngress, ingressNginxValues, resolvedRoutes, traefikValues } from "../../sdk/model/cluster/ingress";
import { reasonsByProperty } from "../support/failures";

const web: IngressInput = {
    addressPool: "public",
    gateway: { name: "web", listeners: [{ name: "http", port: 8000 }] },
    routes: [{ name: "shop", namespace: "shop", rules: [{ backends: [{ service: "frontend", port: 80 }] }] }],
};

describe("cluster: Ingress (Traefik with Gateway API, ingress-nginx for existing users)", () => {
    it("Traefik by default: its Gateway API provider on, no chart-made Gateway, the Service from the named pool", () => {
        assert.deepEqual(checkIngress(web).all, []);
        assert.deepEqual(traefikValues(web), {
            providers: { kubernetesGateway: { enabled: true }, kubernetesCRD: { enabled: false }, kubernetesIngress: { enabled: true } },
            gateway: { enabled: false },
            gatewayClass: { enabled: false },
            service: { type: "LoadBalancer", annotations: { "metallb.io/address-pool": "public" } },
        });
    });

    it("routes attach to the component's Gateway, in the controller's namespace, unless they name one", () => {
        assert.deepEqual(resolvedRoutes(web)[0].gateway, { name: "web", namespace: "traefik" });
        const other = resolvedRoutes({ ...web, routes: [{ ...web.routes![0], gateway: { name: "edge", namespace: "infra" } }] });
        assert.deepEqual(other[0].gateway, { name: "edge", namespace: "infra" });
    });

    it("ingress-nginx: Service values only; a Gateway or routes with it fail, naming Gateway API", () => {
        assert.deepEqual(ingressNginxValues({ controller: "ingress-nginx" }), { controller: { service: { type: "LoadBalancer", annotations: {} } } });
        assert.match(
            reasonsByProperty(checkIngress({ ...web, controller: "ingress-nginx" }, "ingress").all)["ingress.gateway"],
            /does not implement Gateway API/,
        );
    });

    it("bad input names the property: controller, pool on a non-LoadBalancer Service, listener port, route weights, a route with no gateway", () => {
        const reasons = reasonsByProperty(
            checkIngress(
                {
                    controller: "haproxy" as "traefik",
                    serviceType: "NodePort",
                    addressPool: "public",
                    gateway: { name: "web", listeners: [{ name: "http", port: 0 }] },
                    routes: [{ name: "shop", namespace: "shop", rules: [{ backends: [{ service: "frontend", port: 80, weight: 0 }] }] }],
                },
                "ingress",
            ).all,
        );
        assert.deepEqual(Object.keys(reasons).sort(), [
            "ingress.addressPool",
            "ingress.controller",
            "ingress.gateway.listeners[0].port",
            "ingress.routes[0].rules[0].backends",
        ]);
        const orphan = reasonsByProperty(checkIngress({ routes: web.routes }, "ingress").all);
        assert.match(orphan["ingress.routes[0].gateway"], /no gateway to attach to/);
    });
});

import { strict as assert } from "assert";
import { ClusterTopologyInput, clusterTopology } from "../../sdk/model/cluster/topology";
import { BOX_CHARACTERS, toClusterMermaid, toClusterSvg } from "../../sdk/tools/cluster-diagram";

/** examples/cluster's plan. */
const plan: ClusterTopologyInput = {
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
    nodeAddresses: ["192.168.10.11", "192.168.10.12"],
    cni: { calico: { encapsulation: "VXLAN" } },
    loadBalancer: { pools: { public: ["192.168.10.240-192.168.10.250"] } },
    ingress: {
        addressPool: "public",
        gateway: { name: "web", listeners: [{ name: "http", port: 8000 }] },
        routes: [{ name: "shop", namespace: "shop", rules: [{ pathPrefix: "/", backends: [{ service: "frontend", port: 80 }] }] }],
    },
    policies: {
        namespaces: ["shop"],
        tiers: {
            frontend: { namespace: "shop", podSelector: { tier: "frontend" } },
            backend: { namespace: "shop", podSelector: { tier: "backend" } },
            data: { namespace: "shop", podSelector: { tier: "data" } },
        },
        allow: [
            { from: "ingress-controller", to: "frontend", ports: [{ port: 80 }] },
            { from: "frontend", to: "backend", ports: [{ port: 8080 }] },
            { from: "backend", to: "data", ports: [{ port: 5432 }] },
        ],
    },
};

type Rect = { x: number; y: number; w: number; h: number };
const rects = (svg: string): Rect[] =>
    [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => ({ x: +m[1], y: +m[2], w: +m[3], h: +m[4] }));
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe("cluster: topology output and diagram (CIDRs, pools, gateway, policy tiers)", () => {
    const t = clusterTopology("prod", plan);

    it("the topology names the networks, DNS address, CNI, pools, gateway, routes, tiers and allowed connections", () => {
        assert.equal(t.kind, "cluster");
        assert.deepEqual([t.podCidr, t.serviceCidr, t.dnsServiceAddress], ["10.244.0.0/16", "10.96.0.0/12", "10.96.0.10"]);
        assert.deepEqual(t.cni, { plugin: "calico", pool: "10.244.0.0/16", encapsulation: "VXLAN" });
        assert.deepEqual(t.loadBalancer, { mode: "l2", pools: { public: ["192.168.10.240-192.168.10.250"] } });
        assert.deepEqual(t.ingress?.gateway, { name: "web", listeners: ["http HTTP:8000"] });
        assert.deepEqual(t.ingress?.routes, [{ name: "shop", namespace: "shop", backends: ["/ -> frontend:80"] }]);
        assert.equal(t.policies?.tiers["ingress-controller"], "traefik: the controller's pods");
        assert.deepEqual(t.policies?.allow[1], { from: "frontend", to: "backend", ports: "tcp/8080" });
    });

    it("the SVG draws every box apart, every label within its box, the pool's address line and a green arrow per allowed connection", () => {
        const svg = toClusterSvg(t);
        const boxes = rects(svg);
        assert.equal(boxes.length, 3 + 2 + 3, "networks, pool and ingress, three tiers");
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => assert.ok(!overlap(a, b), `boxes ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`)));
        const inBoxes = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]*)<\/text>/g)].map((m) =>
            m[1]
                .replace(/&lt;/g, "<")
                .replace(/&gt;/g, ">")
                .replace(/&quot;/g, '"')
                .replace(/&amp;/g, "&"),
        );
        for (const label of inBoxes) assert.ok(label.length <= BOX_CHARACTERS, `"${label}" fits its box`);
        for (const text of [
            "pool public (l2)",
            "Gateway web",
            "http HTTP:8000",
            "tier backend",
            "allow tcp/8080",
            "allow tcp/5432",
            "allow tcp/80",
            "address",
        ]) {
            assert.ok(svg.includes(`>${text}<`), `the SVG shows ${text}`);
        }
        assert.equal((svg.match(/stroke="#2a2"/g) ?? []).length, 3);
        assert.match(svg, /everything else into shop is denied/);
    });

    it("Mermaid: the same parts, the address edge and the allow edges", () => {
        const text = toClusterMermaid(t);
        assert.match(text, /pool_public -->\|address\| ingress/);
        assert.match(text, /ingress -->\|allow tcp\/80\| tier_frontend/);
        assert.match(text, /tier_backend -->\|allow tcp\/5432\| tier_data/);
    });
});

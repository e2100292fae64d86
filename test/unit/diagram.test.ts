import { strict as assert } from "assert";
import type { LabTopology, TopologyMember } from "../../sdk/components/topology";
import { POLICY_FILL, crossesBox, layoutLab, layoutProblems, textWidth } from "../../sdk/tools/diagram-layout";
import { toSvg } from "../../sdk/tools/diagram";

function member(i: number): TopologyMember {
    const policies = [
        "allow",
        "deny",
        [
            { protocol: "tcp" as const, ports: [80, 443, 8080] },
            { protocol: "udp" as const, ports: [53] },
        ],
    ] as const;
    return {
        name: `member-${String(i).padStart(2, "0")}`,
        namespace: `lab-member-${String(i).padStart(2, "0")}`,
        interface: "eth0",
        hostInterface: `vlab-m${i}`,
        address: `198.51.100.${10 + i}`,
        egress: policies[i % 3],
        ingress: i % 2 ? "deny" : [{ protocol: "icmp" }],
        portForwards: [],
        nameservers: [],
        ...(i === 4 ? { host: "edge-1", attachment: "container:member-00" } : {}),
    };
}

function lab(n: number): LabTopology {
    return {
        lab: "lab",
        bridge: { name: "br-lab", subnet: "198.51.100.0/24", gateway: "198.51.100.1" },
        uplink: "wan0",
        nat: true,
        table: "netplumb_lab",
        internet: { address: "203.0.113.1", dnsName: "example.test" },
        members: Array.from({ length: n }, (_, i) => member(i)),
        nodes: [],
        links: [],
    };
}

describe("netplumb diagram: readable at 3 and 30 members", () => {
    for (const n of [3, 30]) {
        it(`${n} members: every label fits its box, no boxes overlap, all on the canvas`, () => {
            const layout = layoutLab(lab(n));
            assert.deepEqual(layoutProblems(layout), []);
            assert.equal(layout.boxes.length, 3 + n + 3);
            assert.ok(layout.width <= 6 * 400, `at most six members a row (${layout.width} px wide)`);
        });
    }

    it("finds what it checks for: a label too long for its box, and overlapping boxes", () => {
        const box = { x: 0, y: 0, w: 100, h: 30, lines: ["a label far too long for a box this narrow"], fill: "#fff" };
        const problems = layoutProblems({ width: 500, height: 100, boxes: [box, { ...box, x: 50, lines: ["b"] }], lines: [] });
        assert.ok(problems.some((p) => /needs .* px in a box 100 px wide/.test(p)));
        assert.ok(problems.some((p) => /overlap/.test(p)));
        assert.ok(textWidth("abc") < textWidth("abcd"));
    });

    it("shows each member's egress by colour, explained by a legend, and its host and attachment", () => {
        const svg = toSvg(lab(5));
        for (const fill of Object.values(POLICY_FILL)) assert.ok(svg.includes(`fill="${fill}"`), fill);
        for (const label of ["egress allow", "egress limited", "egress deny"]) assert.ok(svg.includes(`>${label}</text>`), label);
        assert.match(svg, /member-04 @edge-1 \(container:member-00\)/);
        assert.match(svg, /egress: tcp\/80,443,8080 udp\/53/);
    });

    it("a line across a box is a problem; a line ending on its edge is not (the straight bridge-to-member lines of 30 members crossed rows above)", () => {
        const b = { x: 100, y: 100, w: 200, h: 50, lines: ["svc-02"], fill: "#fff" };
        assert.equal(crossesBox({ x1: 50, y1: 50, x2: 400, y2: 200 }, b), true);
        assert.equal(crossesBox({ x1: 200, y1: 20, x2: 200, y2: 100 }, b), false, "a drop ending on the top edge");
        assert.equal(crossesBox({ x1: 90, y1: 20, x2: 90, y2: 300 }, b), false, "beside it");
        const layout = layoutLab(lab(30));
        const straight = { x1: layout.width / 2, y1: 248, x2: layout.boxes[3 + 29].x + 10, y2: layout.boxes[3 + 29].y };
        assert.match(layoutProblems({ ...layout, lines: [...layout.lines, straight] }).join("\n"), /crosses box "member-/);
    });
});

import { strict as assert } from "assert";
import { planLab } from "../../sdk/model/lab";
import { answer, parseQuestion } from "../../sdk/sandbox/dns-message";
import { egressAllows, expectedMatrix } from "../../sdk/tools/expectations";
import { toMermaid, toSvg } from "../../sdk/tools/diagram";
import { formatMatrix } from "../../sdk/tools/check";
import type { LabTopology } from "../../sdk/components/topology";

const base = { bridge: { name: "br-lab", cidr: "198.51.100.0/24" }, members: { red: {}, blue: { egress: [{ protocol: "tcp" as const, ports: [80] }] } } };

describe("model: lab plan", () => {
    it("plans names, the gateway and policies from the declaration", () => {
        const { plan, failures } = planLab("lab", base);
        assert.deepEqual(failures, []);
        assert.equal(plan.gateway, "198.51.100.1");
        assert.deepEqual(
            plan.members.map((m) => [m.name, m.namespace, m.hostInterface, m.chains]),
            [
                ["blue", "lab-blue", "vlab-blue", "lab_blue"],
                ["red", "lab-red", "vlab-red", "lab_red"],
            ],
        );
        assert.equal(plan.members[1].egress, "allow");
    });

    const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
        ["a bad bridge name", { bridge: { name: "br lab", cidr: "198.51.100.0/24" } }, "bridge.name", /not allowed/],
        ["a bad cidr", { bridge: { name: "br0", cidr: "198.51.100.0" } }, "bridge.cidr", /prefix length/],
        ["a gateway outside", { bridge: { name: "br0", cidr: "198.51.100.0/24", gateway: "192.0.2.1" } }, "bridge.gateway", /outside the subnet/],
        ["an overlapping subnet", { otherSubnets: ["198.51.100.0/25"] }, "bridge.cidr", /overlaps/],
        ["a member name with a space", { members: { "bad name": {} } }, "members.bad name", /not a valid host name/],
        [
            "a duplicate host port",
            { members: { a: { portForwards: [{ hostPort: 80, port: 80 }] }, b: { portForwards: [{ hostPort: 80, port: 8080 }] } } },
            "members.b.portForwards[0].hostPort",
            /already forwarded to "a"/,
        ],
        ["a bad forwarded port", { members: { a: { portForwards: [{ hostPort: 0, port: 80 }] } } }, "members.a.portForwards[0].hostPort", /hostPort 0/],
        ["an IPv6 nameserver typo", { dns: { nameservers: ["2001:db8::zz"] } }, "dns.nameservers[0]", /not an IPv4 or IPv6 address/],
        ["a bad uplink", { uplink: "eth0;reboot" }, "uplink", /not allowed/],
        [
            "a namespace prefix that climbs out of /run/netns",
            { namespacePrefix: "../../etc/" },
            "namespacePrefix",
            /namespace prefix "\.\.\/\.\.\/etc\/" cannot start a namespace name/,
        ],
    ];
    it("reports a bad namespace prefix once, as the property typed, not as each member's namespace", () => {
        const { failures } = planLab("lab", { ...base, namespacePrefix: "../../etc/" });
        assert.deepEqual(
            failures.map((f) => f.property),
            ["namespacePrefix"],
        );
    });

    it("checks a member's shaping as TrafficShaping will, in the member's words (egress is what it sends)", () => {
        const shaped = { ...base, members: { red: { shaping: { egress: { rate: "10mbit" }, ingress: { rate: "fast", jitter: 5 } } }, blue: { shaping: {} } } };
        const { plan, failures } = planLab("lab", shaped);
        assert.deepEqual(failures.map((f) => f.property).sort(), [
            "members.blue.shaping",
            "members.red.shaping.ingress.jitter",
            "members.red.shaping.ingress.rate",
        ]);
        assert.match(failures.find((f) => f.property === "members.red.shaping.ingress.rate")!.reason, /"fast" is not a rate/);
        assert.deepEqual(plan.members.find((m) => m.name === "red")!.shaping, shaped.members.red.shaping);
    });

    for (const [label, input, property, why] of bad) {
        it(`rejects ${label}, naming ${property}`, () => {
            const { failures } = planLab("lab", { ...base, ...input });
            const f = failures.find((x) => x.property === property);
            assert.ok(f, JSON.stringify(failures));
            assert.match(f.reason, why);
        });
    }
});

describe("tools: matrix, DNS answers and diagrams", () => {
    const topology: LabTopology = {
        lab: "lab",
        bridge: { name: "br-lab", subnet: "198.51.100.0/24", gateway: "198.51.100.1" },
        uplink: "wan0",
        nat: true,
        table: "t",
        internet: { address: "203.0.113.1", dnsName: "example.test" },
        members: [
            {
                name: "blue",
                namespace: "lab-blue",
                interface: "eth0",
                hostInterface: "vlab-blue",
                address: "198.51.100.2",
                egress: [{ protocol: "tcp", ports: [80, 443] }],
                ingress: "allow",
                portForwards: [],
                nameservers: ["203.0.113.1"],
            },
            {
                name: "red",
                namespace: "lab-red",
                interface: "eth0",
                hostInterface: "vlab-red",
                address: "198.51.100.3",
                egress: "allow",
                ingress: "deny",
                portForwards: [],
                nameservers: ["203.0.113.1"],
            },
        ],
        nodes: [],
        links: [],
    };

    it("derives expectations from the policy", () => {
        assert.ok(egressAllows("allow", "udp", 53) && !egressAllows("deny", "tcp", 80));
        assert.ok(egressAllows([{ protocol: "tcp", ports: [80] }], "tcp", 80) && !egressAllows([{ protocol: "tcp", ports: [80] }], "tcp", 22));
        const cells = expectedMatrix(topology);
        const blue = (to: string) => cells.find((c) => c.from === "blue" && c.to === to)!.expected;
        assert.deepEqual([blue("red"), blue("internet tcp/80"), blue("internet tcp/22"), blue("dns example.test")], [false, true, false, false]);
        assert.equal(cells.find((c) => c.from === "red" && c.to === "blue")!.expected, true);
        assert.equal(cells.length, 10);
    });

    it("prints mismatches with ✗ and counts them", () => {
        const cells = expectedMatrix(topology).map((c) => ({ ...c, actual: c.expected }));
        cells[0].actual = !cells[0].expected;
        const text = formatMatrix(cells);
        assert.match(text, /✗/);
        assert.match(text, /1 of 10 checks differ from the declared policy/);
    });

    it("answers A queries from its table and NXDOMAIN otherwise", () => {
        const query = (name: string) =>
            Buffer.concat([
                Buffer.from("123401000001000000000000", "hex"),
                ...name.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
                Buffer.from([0, 0, 1, 0, 1]),
            ]);
        const records = new Map([["example.test", "203.0.113.1"]]);
        const hit = answer(query("Example.test"), records)!;
        assert.equal(hit.readUInt16BE(6), 1);
        assert.deepEqual([...hit.subarray(hit.length - 4)], [203, 0, 113, 1]);
        const miss = answer(query("nope.test"), records)!;
        assert.equal(miss.readUInt16BE(2) & 0xf, 3);
        assert.equal(parseQuestion(Buffer.from([1, 2, 3])), undefined);
    });

    it("draws every member in Mermaid and SVG", () => {
        const mermaid = toMermaid(topology);
        assert.match(mermaid, /^graph LR/);
        assert.match(mermaid, /blue<br\/>lab-blue<br\/>eth0 198.51.100.2<br\/>egress: tcp\/80,443<br\/>ingress: allow/);
        const svg = toSvg(topology);
        assert.match(svg, /^<svg /);
        assert.equal((svg.match(/<rect /g) ?? []).length, 3 + 2 + 3, "internet, uplink, bridge, two members, a legend of three");
        assert.match(svg, /ingress: deny/);
    });
});

import { strict as assert } from "assert";
import type { LabTopology } from "../../sdk/components/topology";
import { LabInput, LabMemberInput, planLab } from "../../sdk/model/lab";
import { planMultiHost } from "../../sdk/model/multi-host";
import { expectedMatrix, uncheckedMembers } from "../../sdk/tools/expectations";
import { declared } from "../support/mocks";

const lab = (members: Record<string, LabMemberInput>): LabInput => ({ bridge: { name: "br0", cidr: "10.0.0.0/24" }, members });

function failureOn(members: Record<string, LabMemberInput>, property: string): string {
    const { failures } = planLab("lab", lab(members));
    const found = failures.find((f) => f.property === property);
    assert.ok(found, `expected a failure on ${property}, got ${JSON.stringify(failures)}`);
    return found.reason;
}

describe("attachment: Docker's network models on lab members, checked at preview", () => {
    it("plans each mode; bridge is the default and overlay its synonym", () => {
        const { plan, failures } = planLab(
            "lab",
            lab({
                web: {},
                up: { attachment: "overlay" },
                quiet: { attachment: "none" },
                hostnet: { attachment: "host" },
                side: { attachment: { container: "web" } },
                mv: { attachment: { macvlan: { parent: "eth0", address: "198.51.100.40/24", gateway: "198.51.100.1" } } },
                iv: { attachment: { ipvlan: { parent: "eth0", mode: "l3", address: "198.51.100.41/24" } } },
            }),
        );
        assert.deepEqual(failures, []);
        const kind = (name: string) => plan.members.find((m) => m.name === name)!.attachment;
        assert.deepEqual(kind("web"), { kind: "bridge" });
        assert.deepEqual(kind("up"), { kind: "bridge" });
        assert.deepEqual(kind("quiet"), { kind: "none" });
        assert.deepEqual(kind("hostnet"), { kind: "host" });
        assert.deepEqual(kind("side"), { kind: "container", of: "web" });
        assert.deepEqual(kind("mv"), { kind: "macvlan", parent: "eth0", mode: "bridge", address: "198.51.100.40/24", gateway: "198.51.100.1" });
        assert.deepEqual(kind("iv"), { kind: "ipvlan", parent: "eth0", mode: "l3", address: "198.51.100.41/24" });
        assert.deepEqual(plan.warnings, []);
    });

    it("names the property, the value and the fix for a bad attachment", () => {
        assert.match(
            failureOn({ a: { attachment: "bridged" as never } }, "members.a.attachment"),
            /"bridged" is not an attachment; use "bridge", "overlay", "none", "host"/,
        );
        assert.match(failureOn({ a: { attachment: { container: "ghost" } } }, "members.a.attachment.container"), /"ghost" is not another member/);
        assert.match(failureOn({ a: { attachment: { container: "a" } } }, "members.a.attachment.container"), /"a" is not another member/);
        assert.match(
            failureOn({ h: { attachment: "host" }, a: { attachment: { container: "h" } } }, "members.a.attachment.container"),
            /h has no namespace of its own \(it is attached as host\)/,
        );
        assert.match(
            failureOn({ a: { attachment: { macvlan: { parent: "eth0", address: "198.51.100.40" } } } }, "members.a.attachment.macvlan.address"),
            /prefix/,
        );
        assert.match(
            failureOn(
                { a: { attachment: { macvlan: { parent: "eth0", mode: "l2" as never, address: "198.51.100.40/24" } } } },
                "members.a.attachment.macvlan.mode",
            ),
            /"l2" is not one of bridge, private, vepa, passthru/,
        );
        assert.match(
            failureOn({ a: { attachment: { ipvlan: { parent: "e/th0", address: "198.51.100.40/24" } } } }, "members.a.attachment.ipvlan.parent"),
            /e\/th0/,
        );
    });

    it("refuses what needs a veth on the bridge: an address in the subnet, port forwards, shaping; a sidecar's own policy", () => {
        assert.match(
            failureOn({ a: { attachment: "none", portForwards: [{ hostPort: 8080, port: 80 }] } }, "members.a.portForwards"),
            /needs the member's veth on the lab bridge, and its attachment is "none"/,
        );
        assert.match(failureOn({ a: { attachment: "host", address: "10.0.0.5" } }, "members.a.address"), /an address in the lab's subnet needs/);
        assert.match(
            failureOn({ a: { attachment: { macvlan: { parent: "eth0", address: "198.51.100.40/24" } }, address: "10.0.0.5" } }, "members.a.address"),
            /attachment\.macvlan\.address/,
        );
        assert.match(failureOn({ a: { attachment: "none", shaping: { egress: { rate: "10mbit" } } } }, "members.a.shaping"), /shaping/);
        assert.match(
            failureOn({ web: {}, a: { attachment: { container: "web" }, egress: "deny" } }, "members.a.egress"),
            /shares "web"'s namespace and so its policy; declare the policy on web/,
        );
    });

    it("says at preview which declared policies cannot be enforced (host, macvlan, ipvlan), instead of pretending", () => {
        const { plan, failures } = planLab(
            "lab",
            lab({
                mv: { attachment: { macvlan: { parent: "eth0", address: "198.51.100.40/24" } }, egress: "deny" },
                hostnet: { attachment: "host", ingress: [{ protocol: "tcp", ports: [22] }] },
                quiet: { attachment: "none", egress: "deny" },
                open: { attachment: { ipvlan: { parent: "eth0", address: "198.51.100.41/24" } }, egress: "allow" },
            }),
        );
        assert.deepEqual(failures, []);
        assert.equal(plan.warnings.length, 2);
        assert.match(plan.warnings[0], /^members\.hostnet\.ingress: not enforced: hostnet is attached as host/);
        assert.match(
            plan.warnings[1],
            /^members\.mv\.egress: not enforced: mv is attached as macvlan, and its traffic leaves through its parent without passing this host's forward path/,
        );
    });

    it("in a multi-host lab a sidecar must live where the member it shares does", () => {
        const { failures } = planMultiHost("mh", {
            underlay: { a: "198.51.100.11", b: "198.51.100.12" },
            overlay: { vni: 7 },
            bridge: { name: "br0", cidr: "10.0.0.0/24" },
            members: { web: { host: "a" }, side: { host: "b", attachment: { container: "web" } } },
        });
        assert.deepEqual(failures, [{ property: "members.side.host", reason: "side shares web's namespace, which is on a; place it on a" }]);
    });
});

describe("attachment: what `netplumb check` probes", () => {
    const member = (name: string, address: string, attachment?: string) => ({
        name,
        namespace: `lab-${name}`,
        interface: "eth0",
        hostInterface: `vlab-${name}`,
        address,
        egress: "allow" as const,
        ingress: "allow" as const,
        portForwards: [],
        nameservers: ["203.0.113.1"],
        ...(attachment ? { attachment } : {}),
    });
    const topology = {
        lab: "lab",
        bridge: { name: "br0", subnet: "10.0.0.0/24", gateway: "10.0.0.1" },
        uplink: "auto",
        nat: true,
        table: "t",
        internet: { address: "203.0.113.1", dnsName: "example.test" },
        members: [
            member("web", "10.0.0.2"),
            member("quiet", "", "none"),
            member("side", "10.0.0.2", "container:web"),
            member("mv", "198.51.100.40", "macvlan"),
            member("hostnet", "", "host"),
        ],
        nodes: [],
        links: [],
    } as unknown as LabTopology;

    it("probes bridge members and a none member (which must reach nothing); pings only bridge members", () => {
        const cells = expectedMatrix(topology);
        assert.deepEqual([...new Set(cells.map((c) => c.from))], ["web", "quiet"]);
        assert.deepEqual(
            cells.filter((c) => c.from === "web").map((c) => c.to),
            ["internet tcp/80", "internet tcp/443", "internet tcp/22", "dns example.test"],
            "web pings no one: the others are not on the bridge",
        );
        assert.ok(cells.filter((c) => c.from === "quiet").every((c) => c.expected === false));
        assert.deepEqual(
            cells.filter((c) => c.from === "quiet").map((c) => c.to),
            ["web", "internet tcp/80", "internet tcp/443", "internet tcp/22", "dns example.test"],
        );
    });

    it("names the members it leaves out, and why", () => {
        assert.deepEqual(uncheckedMembers(topology), [
            { member: "side", why: "shares web's namespace: its cells are that member's" },
            { member: "mv", why: "attached as macvlan: its traffic bypasses the host, where the policies live" },
            { member: "hostnet", why: "attached as host: its traffic is the host's own" },
        ]);
    });
});

describe("attachment: what LabNetwork declares for each mode (Pulumi's mocks, nothing run)", function () {
    this.timeout(20_000);
    let made: Awaited<ReturnType<typeof declared>>;

    before(async () => {
        const { LabNetwork } = await import("../../sdk/components/lab-network");
        made = await declared(() => {
            new LabNetwork("lab", {
                host: { netns: "sbx" },
                bridge: { name: "br0", cidr: "10.0.0.0/24" },
                members: {
                    web: {},
                    quiet: { attachment: "none" },
                    hostnet: { attachment: "host" },
                    side: { attachment: { container: "web" } },
                    mv: { attachment: { macvlan: { parent: "wan0", mode: "private", address: "198.51.100.40/24", gateway: "198.51.100.1" } } },
                },
            });
        });
    });

    const of = (type: string) => made.filter((m) => m.type === type).map((m) => m.name);

    it("a LabMember only for the bridge member; a namespace alone for none; a namespace and a macvlan for macvlan; nothing for host and container", () => {
        assert.deepEqual(of("LabMember"), ["lab-web"]);
        assert.deepEqual(of("NetworkNamespace").sort(), ["lab-mv", "lab-quiet"]);
        assert.deepEqual(of("Macvlan"), ["lab-mv-macvlan"]);
        const mv = made.find((m) => m.name === "lab-mv-macvlan")!.inputs;
        assert.equal(mv.parent, "wan0");
        assert.equal(mv.mode, "private");
        assert.deepEqual(mv.addresses, ["198.51.100.40/24"]);
        assert.equal(mv.gateway, "198.51.100.1");
        assert.equal(mv.namespace, "lab-mv");
        assert.ok(!made.some((m) => m.name.includes("hostnet") || m.name.includes("side")), "host and container members make nothing");
    });
});

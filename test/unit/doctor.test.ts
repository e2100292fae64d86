import { strict as assert } from "assert";
import type { LabTopology } from "../../sdk/components/topology";
import { diagnose } from "../../sdk/tools/doctor/diagnose";
import { formatReport } from "../../sdk/tools/doctor/report";
import { LabReadings, MemberReadings, listeningPorts, rulesetChains } from "../../sdk/tools/doctor/readings";
import { ownersOfExport } from "../../sdk/tools/doctor/leftovers";
import type { Flow } from "../../sdk/tools/doctor/diagnose-flow";
import { HEALTHY_RULESET, doctorTopology, healthyReadings, hostLinks, ok } from "../support/doctor-readings";

type Lab = { topology: LabTopology; readings: LabReadings };
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Replaces one member's readings. */
function member(lab: Lab, name: string, change: (m: Mutable<MemberReadings>) => void): void {
    const m = lab.readings.members.find((x) => x.member === name)! as Mutable<MemberReadings>;
    change(m);
}

const memberLinks = (name: string, address: string, extra: Record<string, unknown>) =>
    ok(
        `ip -n lab-${name} -j -d addr show`,
        JSON.stringify([
            {
                ifname: "eth0",
                flags: ["BROADCAST", "UP"],
                mtu: 1500,
                address: "02:00:00:00:00:02",
                linkinfo: { info_kind: "veth" },
                addr_info: [{ local: address, prefixlen: 24, scope: "global" }],
                ...extra,
            },
        ]),
    );

/** One break per row: what it changes in the readings, and exactly what doctor must name. */
const BREAKS: Array<{ name: string; apply: (lab: Lab) => void; expect: Array<[string, string?]> }> = [
    {
        name: "IP forwarding off",
        apply: (l) => ((l.readings.host as Mutable<LabReadings["host"]>).ipForward = ok("sysctl", "0\n")),
        expect: [["ip-forward-off"]],
    },
    {
        name: "uplink down (its routes gone with it)",
        apply: (l) => {
            const host = l.readings.host as Mutable<LabReadings["host"]>;
            host.links = hostLinks((x) => x.ifname === "wan0" && (x.flags = ["BROADCAST"]));
            host.routes = ok("ip route", JSON.stringify([{ dst: "198.51.100.0/24", dev: "br-lab" }]));
        },
        expect: [["uplink-down"]],
    },
    {
        name: "no default route on the host",
        apply: (l) => ((l.readings.host as Mutable<LabReadings["host"]>).routes = ok("ip route", JSON.stringify([{ dst: "198.51.100.0/24", dev: "br-lab" }]))),
        expect: [["no-host-default-route"]],
    },
    {
        name: "masquerade rule deleted",
        apply: (l) => ((l.readings.host as Mutable<LabReadings["host"]>).ruleset = ok("nft", HEALTHY_RULESET.replace(/\t\tip saddr .* masquerade .*\n/, ""))),
        expect: [["no-masquerade"]],
    },
    {
        name: "another table's forward chain drops by default (Docker)",
        apply: (l) =>
            ((l.readings.host as Mutable<LabReadings["host"]>).ruleset = ok(
                "nft",
                `${HEALTHY_RULESET}table ip filter {\n\tchain FORWARD {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tcounter packets 0 bytes 0 jump DOCKER-USER\n\t}\n}\n`,
            )),
        expect: [["forward-drop-policy"]],
    },
    {
        name: "a forward-drop chain that accepts the lab's bridge is no finding",
        apply: (l) =>
            ((l.readings.host as Mutable<LabReadings["host"]>).ruleset = ok(
                "nft",
                `${HEALTHY_RULESET}table ip filter {\n\tchain FORWARD {\n\t\ttype filter hook forward priority filter; policy drop;\n\t\tiifname "br-lab" accept\n\t}\n}\n`,
            )),
        expect: [],
    },
    {
        name: "a member without its default route",
        apply: (l) => member(l, "blue", (m) => (m.routes = ok("ip route", JSON.stringify([{ dst: "198.51.100.0/24", dev: "eth0" }])))),
        expect: [["no-member-default-route", "blue"]],
    },
    {
        name: "a member's port moved to another bridge",
        apply: (l) => {
            (l.readings.host as Mutable<LabReadings["host"]>).links = hostLinks((x) => x.ifname === "vred" && (x.master = "br-other"));
            member(l, "red", (m) => (m.arp = ok("arping", "Received 0 response(s)\n")));
        },
        expect: [["on-another-bridge", "red"]],
    },
    {
        name: "a member's bridge port down",
        apply: (l) => {
            (l.readings.host as Mutable<LabReadings["host"]>).links = hostLinks((x) => x.ifname === "vgreen" && (x.flags = ["BROADCAST"]));
            member(l, "green", (m) => (m.arp = ok("arping", "Received 0 response(s)\n")));
        },
        expect: [["bridge-port-down", "green"]],
    },
    {
        name: "a member's own interface down",
        apply: (l) => member(l, "red", (m) => ((m.links = memberLinks("red", "198.51.100.2", { flags: ["BROADCAST"] })), (m.arp = ok("arping", "")))),
        expect: [["bridge-port-down", "red"]],
    },
    {
        name: "an MTU lowered on one member's bridge port",
        apply: (l) => ((l.readings.host as Mutable<LabReadings["host"]>).links = hostLinks((x) => x.ifname === "vred" && (x.mtu = 1400))),
        expect: [["mtu-mismatch", "red"]],
    },
    {
        name: "a second machine answering for a member's address",
        apply: (l) =>
            member(
                l,
                "blue",
                (m) => (m.arp = ok("arping", "Unicast reply from 198.51.100.3 [02:00:00:00:00:03]\nUnicast reply from 198.51.100.3 [0A:BB:CC:DD:EE:FF]\n")),
            ),
        expect: [["duplicate-address", "blue"]],
    },
    {
        name: "a member holding another member's address",
        apply: (l) => member(l, "blue", (m) => (m.links = memberLinks("blue", "198.51.100.2", {}))),
        expect: [["duplicate-address", "red"]],
    },
    {
        name: "ARP off on a member",
        apply: (l) =>
            member(
                l,
                "red",
                (m) => (
                    (m.links = memberLinks("red", "198.51.100.2", { flags: ["BROADCAST", "NOARP", "UP"] })),
                    (m.arp = ok("arping", "Received 0 response(s)\n"))
                ),
            ),
        expect: [["arp-failure", "red"]],
    },
    {
        name: "strict rp_filter with the route back elsewhere",
        apply: (l) =>
            member(
                l,
                "blue",
                (m) => (m.reversePath = { command: "ip route get", code: 2, stdout: "", stderr: "RTNETLINK answers: Invalid cross-device link\n" }),
            ),
        expect: [["rp-filter-drop", "blue"]],
    },
    {
        name: "a member's resolv.conf gone",
        apply: (l) => member(l, "blue", (m) => (m.resolv = { command: "cat", code: 1, stdout: "", stderr: "no such file" })),
        expect: [["resolv-missing", "blue"]],
    },
    {
        name: "a resolv.conf doctor may not read is no evidence that it is missing",
        apply: (l) => member(l, "blue", (m) => (m.resolv = { command: "cat", code: 2, stdout: "", stderr: "EACCES" })),
        expect: [],
    },
    {
        name: "resolv.conf pointing at a server that does not answer",
        apply: (l) =>
            member(l, "red", (m) => {
                m.resolv = ok("cat", "nameserver 203.0.113.99\n");
                m.dns = [{ server: "203.0.113.99", reading: ok("probe", "[false]") }];
            }),
        expect: [["dns-server-unreachable", "red"]],
    },
    {
        name: "a member's own policy blocks DNS",
        apply: (l) => {
            const blue = l.topology.members[1] as Mutable<LabTopology["members"][number]>;
            blue.egress = [{ protocol: "tcp", ports: [80, 443] }];
            member(l, "blue", (m) => (m.dns = [{ server: "203.0.113.1", reading: ok("probe", "[false]") }]));
        },
        expect: [["dns-blocked-by-policy", "blue"]],
    },
    {
        name: "the declared nameserver not answering",
        apply: (l) => member(l, "red", (m) => (m.dns = [{ server: "203.0.113.1", reading: ok("probe", "[false]") }])),
        expect: [["dns-not-answering", "red"]],
    },
    {
        name: "DNS failing because forwarding is off is reported once, as forwarding",
        apply: (l) => {
            (l.readings.host as Mutable<LabReadings["host"]>).ipForward = ok("sysctl", "0\n");
            for (const name of ["red", "blue"]) member(l, name, (m) => (m.dns = [{ server: "203.0.113.1", reading: ok("probe", "[false]") }]));
        },
        expect: [["ip-forward-off"]],
    },
    {
        name: "a port forward with nothing listening behind it",
        apply: (l) => member(l, "red", (m) => (m.listeners = ok("ss", ""))),
        expect: [["forward-no-listener", "red"]],
    },
    {
        name: "a port forward whose DNAT rule is gone",
        apply: (l) => ((l.readings.host as Mutable<LabReadings["host"]>).ruleset = ok("nft", HEALTHY_RULESET.replace(/\t\tfib .* dnat .*\n/, ""))),
        expect: [["forward-no-dnat", "red"]],
    },
    {
        name: "the machine's neighbour table full while doctor ran: one finding, and the ARP failures it causes are not reported again",
        apply: (l) => {
            (l.readings as Mutable<LabReadings>).neighbourTable = {
                command: "cat /proc/net/stat/arp_cache",
                limit: 1024,
                entries: 1024,
                fullBefore: 10,
                fullAfter: 42,
            };
            member(l, "red", (m) => (m.arp = ok("arping", "Received 0 response(s)\n")));
        },
        expect: [["neighbour-table-full"]],
    },
    {
        name: "a neighbour table that was full before doctor ran, but not during, is no finding",
        apply: (l) => ((l.readings as Mutable<LabReadings>).neighbourTable = { command: "cat", limit: 1024, entries: 300, fullBefore: 42, fullAfter: 42 }),
        expect: [],
    },
    {
        name: "a member's egress drop rule gone: its declared policy is not enforced",
        apply: (l) =>
            ((l.readings.host as Mutable<LabReadings["host"]>).ruleset = ok(
                "nft",
                HEALTHY_RULESET.replace(/\t\tiifname "br-lab" oifname != "br-lab" ip saddr 198\.51\.100\.4 drop .*\n/, ""),
            )),
        expect: [["policy-not-enforced", "green"]],
    },
    {
        name: "a member's ingress drop rule gone: its declared policy is not enforced",
        apply: (l) =>
            ((l.readings.host as Mutable<LabReadings["host"]>).ruleset = ok(
                "nft",
                HEALTHY_RULESET.replace(/\t\tiifname "br-lab" oifname "br-lab" ip daddr 198\.51\.100\.4 drop .*\n/, ""),
            )),
        expect: [["policy-not-enforced", "green"]],
    },
    {
        name: "a namespace left by a resource the stack no longer has",
        apply: (l) =>
            ((l.readings as Mutable<LabReadings>).tagged = {
                commands: ["ip -j netns list"],
                current: ["netplumb:lab/dev@0123456789ab/lab-red", "netplumb:lab/dev@0123456789ab/lab-members"],
                objects: [
                    { kind: "namespace", where: "namespace lab-red", tag: "netplumb:lab/dev@0123456789ab/lab-red", remove: "ip netns delete lab-red" },
                    { kind: "namespace", where: "namespace lab-x", tag: "netplumb:lab/dev@0123456789ab/lab-members/x", remove: "ip netns delete lab-x" },
                    { kind: "namespace", where: "namespace lab-ghost", tag: "netplumb:lab/dev@0123456789ab/lab-ghost", remove: "ip netns delete lab-ghost" },
                ],
            }),
        expect: [["leftover"]],
    },
];

describe("doctor: each fault is named by exactly one finding (pure diagnoses over readings)", () => {
    it("a healthy lab has no findings", () => {
        assert.deepEqual(diagnose(doctorTopology(), healthyReadings()), []);
    });

    for (const row of BREAKS) {
        it(row.name, () => {
            const lab = { topology: doctorTopology(), readings: healthyReadings() };
            row.apply(lab);
            const findings = diagnose(lab.topology, lab.readings);
            assert.deepEqual(
                findings.map((f) => (f.member ? [f.id, f.member] : [f.id])),
                row.expect,
                JSON.stringify(findings, null, 2),
            );
            for (const f of findings) {
                assert.ok(f.symptom && f.cause && f.fix, "symptom, cause and fix");
                assert.ok(f.evidence.length > 0 && f.evidence.every((e) => e.command && e.showed), "evidence with command and what it showed");
            }
        });
    }

    it("the leftover's fix is the exact command removing it", () => {
        const lab = { topology: doctorTopology(), readings: healthyReadings() };
        BREAKS.find((b) => b.expect[0]?.[0] === "leftover")!.apply(lab);
        const [finding] = diagnose(lab.topology, lab.readings);
        assert.equal(finding.fix, "`ip netns delete lab-ghost`");
        assert.match(finding.cause, /lab-ghost/);
    });

    it("a fix names the lab's own host namespace and objects", () => {
        const lab = { topology: doctorTopology(), readings: healthyReadings() };
        (lab.readings.host as Mutable<LabReadings["host"]>).links = hostLinks((x) => x.ifname === "vgreen" && (x.flags = ["BROADCAST"]));
        const [finding] = diagnose(lab.topology, lab.readings);
        assert.equal(finding.fix, "`ip -n lab-host link set vgreen up`");
    });

    it("without root (no readings of namespaces) only the file-based checks run, and a healthy lab is clean", () => {
        const readings: LabReadings = {
            host: {},
            members: healthyReadings().members.map((m) => ({ member: m.member, resolv: m.resolv })),
        };
        assert.deepEqual(diagnose(doctorTopology(), readings), []);
        const missing = {
            ...readings,
            members: readings.members.map((m) => (m.member === "red" ? { member: "red", resolv: { command: "cat", code: 1, stdout: "", stderr: "gone" } } : m)),
        };
        assert.deepEqual(
            diagnose(doctorTopology(), missing).map((f) => f.id),
            ["resolv-missing"],
        );
    });

    it("formats a report: numbered findings with cause, evidence and fix, then what was skipped and a summary", () => {
        const lab = { topology: doctorTopology(), readings: healthyReadings() };
        (lab.readings.host as Mutable<LabReadings["host"]>).ipForward = ok("ip netns exec lab-host sysctl -n net.ipv4.ip_forward", "0\n");
        const text = formatReport({ lab: "lab", findings: diagnose(lab.topology, lab.readings), skipped: [{ check: "leftovers", why: "needs root" }] });
        assert.match(text, /^1\. members cannot reach the internet \[ip-forward-off\]\n {3}cause: {4}IP forwarding is off/);
        assert.match(text, /evidence: ip netns exec lab-host sysctl -n net\.ipv4\.ip_forward\n {13}net\.ipv4\.ip_forward = 0/);
        assert.match(text, /fix: {6}`ip netns exec lab-host sysctl -w net\.ipv4\.ip_forward=1`/);
        assert.match(text, /skipped: leftovers \(needs root\)\ndoctor: 1 problem found in lab lab\n$/);
        assert.equal(formatReport({ lab: "lab", findings: [], skipped: [] }), "doctor: no problems found in lab lab\n");
    });
});

describe("doctor: why one member cannot reach another (--from/--to)", () => {
    const ask = (from: string, to: string, protocol: Flow["protocol"], port?: number) =>
        diagnose(doctorTopology(), healthyReadings(), { from, to, protocol, port }).map((f) => [f.id, f.member, f.cause]);

    it("the target's ingress policy denies it: named as what the stack declares", () => {
        const [[id, member, cause]] = ask("red", "green", "icmp");
        assert.deepEqual([id, member], ["ingress-policy", "green"]);
        assert.match(cause!, /green's ingress policy \(deny\) drops new connections from other members that it does not list: this is what the stack declares/);
    });

    it("an allowed flow is no finding (the sender's egress policy does not govern traffic between members)", () => {
        assert.deepEqual(ask("green", "red", "tcp", 80), []);
        assert.deepEqual(ask("red", "blue", "udp", 53), []);
    });
});

describe("doctor: parsing what the host prints", () => {
    it("splits an nft ruleset into chains with hook, policy and rules", () => {
        const chains = rulesetChains(HEALTHY_RULESET);
        assert.deepEqual(
            chains.map((c) => [c.family, c.table, c.chain, c.hook, c.policy, c.rules.length]),
            [
                ["inet", "netplumb_lab", "lab_postrouting", "postrouting", "accept", 1],
                ["inet", "netplumb_lab", "lab_blue_forward", "forward", "accept", 4],
                ["inet", "netplumb_lab", "lab_green_forward", "forward", "accept", 2],
                ["inet", "netplumb_lab", "lab_green_ingress", "forward", "accept", 2],
                ["inet", "netplumb_lab", "lab_red_fwd_prerouting", "prerouting", "accept", 1],
            ],
        );
    });

    it("reads listening ports from ss, tcp and udp", () => {
        const ports = listeningPorts(
            ok(
                "ss",
                "tcp   LISTEN 0      511        0.0.0.0:80      0.0.0.0:*\nudp   UNCONN 0      0      127.0.0.1:53   0.0.0.0:*\ntcp   LISTEN 0 4096 [::]:22 [::]:*\n",
            ),
        );
        assert.deepEqual([...ports].sort(), ["tcp/22", "tcp/80", "udp/53"]);
    });

    it("takes every resource's owner tag from a stack export", () => {
        const exported = JSON.stringify({
            deployment: {
                resources: [{ outputs: { owner: "netplumb:lab/dev@0123456789ab/lab-red" } }, { outputs: { name: "x" } }, { outputs: { owner: 3 } }, {}],
            },
        });
        assert.deepEqual(ownersOfExport(exported), ["netplumb:lab/dev@0123456789ab/lab-red"]);
    });
});

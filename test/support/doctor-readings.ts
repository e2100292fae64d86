import type { LabTopology, TopologyMember } from "../../sdk/components/topology";
import type { LabReadings, MemberReadings, Reading } from "../../sdk/tools/doctor/readings";

/** A three-member lab in a sandbox host namespace, as its stack's topology output says. */
export function doctorTopology(): LabTopology {
    const member = (name: string, address: string, extra: Partial<TopologyMember>): TopologyMember => ({
        name,
        namespace: `lab-${name}`,
        interface: "eth0",
        hostInterface: `v${name}`,
        address,
        egress: "allow",
        ingress: "allow",
        portForwards: [],
        nameservers: ["203.0.113.1"],
        ...extra,
    });
    return {
        lab: "lab",
        hostNetns: "lab-host",
        bridge: { name: "br-lab", subnet: "198.51.100.0/24", gateway: "198.51.100.1" },
        uplink: "wan0",
        nat: true,
        table: "netplumb_lab",
        internet: { address: "203.0.113.1", dnsName: "example.test" },
        members: [
            member("red", "198.51.100.2", { portForwards: [{ hostPort: 8080, port: 80 }] }),
            member("blue", "198.51.100.3", {
                egress: [
                    { protocol: "tcp", ports: [80, 443] },
                    { protocol: "udp", ports: [53] },
                ],
            }),
            member("green", "198.51.100.4", { egress: "deny", ingress: "deny" }),
        ],
        nodes: [],
        links: [],
    };
}

/** A reading that succeeded. */
export const ok = (command: string, stdout: string): Reading => ({ command, code: 0, stdout, stderr: "" });

/** A link as `ip -j -d addr show` prints it. */
export function rawLink(
    name: string,
    o: { kind?: string; master?: string; up?: boolean; mtu?: number; mac?: string; addr?: string; alias?: string; noArp?: boolean } = {},
) {
    const flags = ["BROADCAST", "MULTICAST", ...(o.noArp ? ["NOARP"] : []), ...(o.up === false ? [] : ["UP", "LOWER_UP"])];
    const [local, prefixlen] = (o.addr ?? "").split("/");
    return {
        ifname: name,
        flags,
        mtu: o.mtu ?? 1500,
        address: o.mac ?? "02:00:00:00:00:01",
        ...(o.master ? { master: o.master } : {}),
        ...(o.alias ? { ifalias: o.alias } : {}),
        ...(o.kind ? { linkinfo: { info_kind: o.kind } } : {}),
        addr_info: o.addr ? [{ family: "inet", local, prefixlen: Number(prefixlen), scope: "global" }] : [],
    };
}

const MACS: Record<string, string> = { red: "02:00:00:00:00:02", blue: "02:00:00:00:00:03", green: "02:00:00:00:00:04" };

/** The host's links of the healthy lab; `change` edits one by name. */
export function hostLinks(change: (link: ReturnType<typeof rawLink>) => void = () => undefined): Reading {
    const links = [
        rawLink("lo", { mtu: 65536 }),
        rawLink("wan0", { kind: "veth", addr: "203.0.113.2/24" }),
        rawLink("br-lab", { kind: "bridge", addr: "198.51.100.1/24" }),
        ...["red", "blue", "green"].map((m) => rawLink(`v${m}`, { kind: "veth", master: "br-lab" })),
    ];
    links.forEach(change);
    return ok("ip -n lab-host -j -d addr show", JSON.stringify(links));
}

/** A healthy lab's ruleset: masquerade for the subnet and red's DNAT. */
export const HEALTHY_RULESET = `table inet netplumb_lab {
	chain lab_postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 198.51.100.0/24 oifname "wan0" masquerade comment "netplumb:lab/dev@0123456789ab/lab-nat"
	}
	chain lab_blue_forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept comment "netplumb:lab/dev@0123456789ab/lab-blue"
		iifname "br-lab" oifname != "br-lab" ip saddr 198.51.100.3 tcp dport { 80, 443 } accept comment "netplumb:lab/dev@0123456789ab/lab-blue"
		iifname "br-lab" oifname != "br-lab" ip saddr 198.51.100.3 udp dport 53 accept comment "netplumb:lab/dev@0123456789ab/lab-blue"
		iifname "br-lab" oifname != "br-lab" ip saddr 198.51.100.3 drop comment "netplumb:lab/dev@0123456789ab/lab-blue"
	}
	chain lab_green_forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept comment "netplumb:lab/dev@0123456789ab/lab-green"
		iifname "br-lab" oifname != "br-lab" ip saddr 198.51.100.4 drop comment "netplumb:lab/dev@0123456789ab/lab-green"
	}
	chain lab_green_ingress {
		type filter hook forward priority filter; policy accept;
		iifname "br-lab" oifname "br-lab" ip daddr 198.51.100.4 ct state established,related accept comment "netplumb:lab/dev@0123456789ab/lab-green"
		iifname "br-lab" oifname "br-lab" ip daddr 198.51.100.4 drop comment "netplumb:lab/dev@0123456789ab/lab-green"
	}
	chain lab_red_fwd_prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local meta nfproto ipv4 tcp dport 8080 dnat ip to 198.51.100.2:80 comment "netplumb:lab/dev@0123456789ab/lab-red-8080"
	}
}
`;

/** What doctor reads from one healthy member. */
export function healthyMember(name: string, address: string): MemberReadings {
    const ns = `lab-${name}`;
    return {
        member: name,
        links: ok(
            `ip -n ${ns} -j -d addr show`,
            JSON.stringify([rawLink("lo", { mtu: 65536 }), rawLink("eth0", { kind: "veth", mac: MACS[name], addr: `${address}/24` })]),
        ),
        routes: ok(
            `ip -n ${ns} -j route show`,
            JSON.stringify([
                { dst: "default", gateway: "198.51.100.1", dev: "eth0" },
                { dst: "198.51.100.0/24", dev: "eth0", protocol: "kernel" },
            ]),
        ),
        resolv: ok(`cat /etc/netns/${ns}/resolv.conf`, "nameserver 203.0.113.1\nsearch example.test\n"),
        listeners: ok(`ip netns exec ${ns} ss -Hlntu`, name === "red" ? "tcp   LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    \n" : ""),
        arp: ok(
            `ip netns exec lab-host arping -c 2 -w 2 -I br-lab ${address}`,
            `ARPING ${address} from 198.51.100.1 br-lab\nUnicast reply from ${address} [${MACS[name].toUpperCase()}]  0.612ms\nSent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n`,
        ),
        reversePath: ok(`ip -n lab-host route get 198.51.100.1 from ${address} iif br-lab`, "local 198.51.100.1 from 198.51.100.2 dev lo table local\n"),
        dns: name === "green" ? [] : [{ server: "203.0.113.1", reading: ok(`ip netns exec ${ns} node probe.js ...`, "[true]") }],
    };
}

/** Everything doctor reads from the healthy lab. */
export function healthyReadings(): LabReadings {
    return {
        host: {
            links: hostLinks(),
            routes: ok(
                "ip -n lab-host -j route show",
                JSON.stringify([
                    { dst: "default", gateway: "203.0.113.1", dev: "wan0" },
                    { dst: "198.51.100.0/24", dev: "br-lab", protocol: "kernel" },
                ]),
            ),
            ipForward: ok("ip netns exec lab-host sysctl -n net.ipv4.ip_forward", "1\n"),
            ruleset: ok("ip netns exec lab-host nft list ruleset", HEALTHY_RULESET),
        },
        members: [healthyMember("red", "198.51.100.2"), healthyMember("blue", "198.51.100.3"), healthyMember("green", "198.51.100.4")],
    };
}

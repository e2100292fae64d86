import { strict as assert } from "assert";
import addressProvider = require("../../providers/address");
import allocationProvider = require("../../providers/allocation");
import bridgeProvider = require("../../providers/bridge");
import firewallProvider = require("../../providers/firewall");
import namespaceProvider = require("../../providers/namespace");
import portForwardProvider = require("../../providers/port-forward");
import resolvProvider = require("../../providers/resolv");
import routeProvider = require("../../providers/route");
import servicesProvider = require("../../providers/services");
import sysctlProvider = require("../../providers/sysctl");
import vethProvider = require("../../providers/veth");
import type * as pulumi from "@pulumi/pulumi";
import { recordEachTest } from "../support/recording-host";

const m = { owner: "netplumb:p/s/r", host: { netns: "sbx" }, adopt: false };
const veth = (b: Record<string, unknown>) => ({ ...m, a: { name: "veth0", addresses: [] }, b: { name: "eth0", addresses: [], ...b } });
const fw = (extra: Record<string, unknown>) => ({ ...m, table: "t", chains: "c", bridge: "br0", ...extra });
const pf = (extra: Record<string, unknown>) => ({
    ...m,
    table: "t",
    chains: "c",
    protocol: "tcp",
    hostPort: 8080,
    toAddress: "198.51.100.2",
    toPort: 80,
    ...extra,
});
const alloc = (extra: Record<string, unknown>) => ({ ...m, pool: "p", subnet: "198.51.100.0/24", gateway: "198.51.100.1", member: "red", ...extra });

/**
 * Bad input, kind by kind: each must fail in check (preview time) with a
 * message that names the property and quotes the value, and nothing may run
 * on the host. [label, provider, inputs, property, text the reason must contain]
 */
const TABLE: Array<[string, pulumi.dynamic.ResourceProvider, Record<string, unknown>, string, string]> = [
    ["over-long namespace name", namespaceProvider, { ...m, name: "n".repeat(65) }, "name", "65 bytes"],
    ["namespace with a slash", namespaceProvider, { ...m, name: "a/b" }, "name", '"a/b"'],
    ["namespace with ; touch", namespaceProvider, { ...m, name: "x; touch /tmp/x" }, "name", '"x; touch /tmp/x"'],
    ["namespace with $(...)", namespaceProvider, { ...m, name: "$(reboot)" }, "name", '"$(reboot)"'],
    ["namespace with a newline", namespaceProvider, { ...m, name: "a\nb" }, "name", '"a\\nb"'],
    ["namespace with quotes", namespaceProvider, { ...m, name: "a'b\"c" }, "name", "a'b"],
    ["namespace with backticks", namespaceProvider, { ...m, name: "`id`" }, "name", '"`id`"'],
    ["host netns with a space", namespaceProvider, { ...m, name: "ok", host: { netns: "bad ns" } }, "host.netns", '"bad ns"'],
    ["16-byte bridge name", bridgeProvider, { ...m, name: "bridge-name-xyz1" }, "name", "16 bytes"],
    ["bridge name with a colon", bridgeProvider, { ...m, name: "br:0" }, "name", '"br:0"'],
    ["bridge MTU 67", bridgeProvider, { ...m, name: "br0", mtu: 67 }, "mtu", "MTU 67"],
    ["bridge MTU 70000", bridgeProvider, { ...m, name: "br0", mtu: 70000 }, "mtu", "MTU 70000"],
    ["IPv6 bridge with MTU 1000", bridgeProvider, { ...m, name: "br0", mtu: 1000, addresses: ["2001:db8::1/64"] }, "mtu", "1280"],
    ["bridge address without prefix", bridgeProvider, { ...m, name: "br0", addresses: ["192.0.2.1"] }, "addresses[0]", '"192.0.2.1"'],
    ["bridge address out of range", bridgeProvider, { ...m, name: "br0", addresses: ["192.0.2.300/24"] }, "addresses[0]", '"192.0.2.300/24"'],
    ["bridge address with a shell tail", bridgeProvider, { ...m, name: "br0", addresses: ["192.0.2.1/24; reboot"] }, "addresses[0]", "reboot"],
    ["IPv4 prefix 33", bridgeProvider, { ...m, name: "br0", addresses: ["192.0.2.1/33"] }, "addresses[0]", "above 32"],
    ["IPv6 prefix 129", bridgeProvider, { ...m, name: "br0", addresses: ["2001:db8::1/129"] }, "addresses[0]", "above 128"],
    ["veth end with the same name", vethProvider, { ...m, a: { name: "x0", addresses: [] }, b: { name: "x0", addresses: [] } }, "b.name", '"x0"'],
    ["veth gateway outside its subnet", vethProvider, veth({ addresses: ["192.0.2.10/24"], gateway: "198.51.100.1" }), "b.gateway", '"198.51.100.1"'],
    ["veth IPv6 gateway for an IPv4 subnet", vethProvider, veth({ addresses: ["192.0.2.10/24"], gateway: "2001:db8::1" }), "b.gateway", '"2001:db8::1"'],
    ["veth multicast MAC", vethProvider, veth({ mac: "01:00:5e:00:00:01" }), "b.mac", '"01:00:5e:00:00:01"'],
    ["veth malformed MAC", vethProvider, veth({ mac: "02:00:00:00:00" }), "b.mac", '"02:00:00:00:00"'],
    ["veth namespace with a semicolon", vethProvider, veth({ namespace: "red;ls" }), "b.namespace", '"red;ls"'],
    ["route with neither gateway nor device", routeProvider, { ...m, destination: "default" }, "via", "neither was given"],
    ["route gateway of the wrong family", routeProvider, { ...m, destination: "198.51.100.0/24", via: "2001:db8::1" }, "via", '"2001:db8::1"'],
    ["route destination with host bits", routeProvider, { ...m, destination: "198.51.100.7/24", via: "192.0.2.1" }, "destination", '"198.51.100.7/24"'],
    ["route destination that is a word", routeProvider, { ...m, destination: "internet", via: "192.0.2.1" }, "destination", '"internet"'],
    ["route metric -1", routeProvider, { ...m, destination: "default", via: "192.0.2.1", metric: -1 }, "metric", "metric -1"],
    ["route device with $()", routeProvider, { ...m, destination: "default", device: "$(id)" }, "device", '"$(id)"'],
    ["address on a 16-byte interface", addressProvider, { ...m, interface: "interface-name-1", address: "192.0.2.5/24" }, "interface", "16 bytes"],
    ["sysctl outside net.", sysctlProvider, { ...m, key: "kernel.core_pattern", value: "x" }, "key", '"kernel.core_pattern"'],
    ["sysctl value with a pipe", sysctlProvider, { ...m, key: "net.ipv4.ip_forward", value: "1 | reboot" }, "value", '"1 | reboot"'],
    [
        "firewall protocol sctp",
        firewallProvider,
        fw({ members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "sctp" }] }] }),
        "members[0].egress[0].protocol",
        '"sctp"',
    ],
    [
        "firewall port 0",
        firewallProvider,
        fw({ members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "tcp", ports: [0] }] }] }),
        "members[0].egress[0].ports[0]",
        "port 0",
    ],
    [
        "firewall port 65536",
        firewallProvider,
        fw({ members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "udp", ports: [65536] }] }] }),
        "members[0].egress[0].ports[0]",
        "port 65536",
    ],
    [
        "firewall port as text",
        firewallProvider,
        fw({ members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "tcp", ports: ["80; drop"] }] }] }),
        "members[0].egress[0].ports[0]",
        '"80; drop"',
    ],
    [
        "firewall duplicate member address",
        firewallProvider,
        fw({
            members: [
                { name: "a", address: "192.0.2.2" },
                { name: "b", address: "192.0.2.2" },
            ],
        }),
        "members[1].address",
        "192.0.2.2",
    ],
    ["firewall table with a space", firewallProvider, fw({ table: "my table" }), "table", '"my table"'],
    [
        "firewall member address that is a prefix",
        firewallProvider,
        fw({ members: [{ name: "a", address: "192.0.2.0/24" }] }),
        "members[0].address",
        '"192.0.2.0/24"',
    ],
    ["port forward to port 0", portForwardProvider, pf({ toPort: 0 }), "toPort", "port 0"],
    ["port forward of icmp", portForwardProvider, pf({ protocol: "icmp" }), "protocol", '"icmp"'],
    ["port forward to a name", portForwardProvider, pf({ toAddress: "red" }), "toAddress", '"red"'],
    [
        "resolv.conf with four nameservers",
        resolvProvider,
        { ...m, namespace: "red", nameservers: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"] },
        "nameservers",
        "4 nameservers",
    ],
    ["resolv.conf nameserver that is a name", resolvProvider, { ...m, namespace: "red", nameservers: ["dns.example"] }, "nameservers[0]", '"dns.example"'],
    ["resolv.conf search with a space", resolvProvider, { ...m, namespace: "red", nameservers: [], search: ["a b"] }, "search[0]", '"a b"'],
    [
        "hosts entry with a bad name",
        resolvProvider,
        { ...m, namespace: "red", nameservers: [], hosts: [{ name: "bad_name!", address: "192.0.2.2" }] },
        "hosts[0].name",
        '"bad_name!"',
    ],
    ["allocation of the gateway", allocationProvider, alloc({ address: "198.51.100.1" }), "address", "198.51.100.1"],
    ["allocation of the broadcast address", allocationProvider, alloc({ address: "198.51.100.255" }), "address", "198.51.100.255"],
    ["allocation outside the subnet", allocationProvider, alloc({ address: "203.0.113.5" }), "address", "203.0.113.5"],
    ["allocation pool with ..", allocationProvider, alloc({ pool: "../../etc" }), "pool", '"../../etc"'],
    ["services port 0", servicesProvider, { ...m, namespace: "inet", ports: [0], records: [] }, "ports[0]", "port 0"],
    [
        "services record with an IPv6 address",
        servicesProvider,
        { ...m, namespace: "inet", ports: [80], records: [{ name: "example.test", address: "2001:db8::1" }] },
        "records[0].address",
        '"2001:db8::1"',
    ],
];

describe("bad input: rejected at preview, naming property and value, nothing run", () => {
    const recorded = recordEachTest();

    it(`has at least 40 cases (${TABLE.length})`, () => assert.ok(TABLE.length >= 40));

    for (const [label, provider, inputs, property, mention] of TABLE) {
        it(label, async () => {
            const { failures } = await provider.check!({}, inputs);
            const failure = failures?.find((f) => f.property === property);
            assert.ok(failure, `no failure on ${property}: ${JSON.stringify(failures)}`);
            assert.ok(failure.reason.includes(mention), `"${failure.reason}" does not mention ${mention}`);
            assert.equal(recorded().calls.length, 0, "check ran a command");
        });
    }
});

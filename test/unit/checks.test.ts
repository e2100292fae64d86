import { strict as assert } from "assert";
import { checkAddress, checkBridge, checkNamespace, checkRoute, checkSysctl, checkVethPair } from "../../sdk/model/checks";
import { UNKNOWN } from "../../sdk/model/host-spec";

const managed = { owner: "netplumb:p/s/r", host: {}, adopt: false };

/** Asserts exactly one failure on `property` whose reason matches `why`. */
function failsOn(result: { failures: readonly { property: string; reason: string }[] }, property: string, why: RegExp): void {
    const matching = result.failures.filter((f) => f.property === property);
    assert.equal(matching.length, 1, `expected a failure on ${property}, got ${JSON.stringify(result.failures)}`);
    assert.match(matching[0].reason, why);
}

describe("model: checks", () => {
    it("normalises a valid bridge: addresses canonical and sorted, defaults filled", () => {
        const r = checkBridge({ ...managed, name: "br0", addresses: ["2001:DB8::1/64", "192.0.2.1/24"] });
        assert.deepEqual(r.failures, []);
        assert.deepEqual(r.spec.addresses, ["192.0.2.1/24", "2001:db8::1/64"]);
        assert.equal(r.spec.up, true);
        assert.equal(r.spec.stp, false);
        assert.match(r.spec.mac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
        assert.equal(parseInt(r.spec.mac.slice(0, 2), 16) & 3, 2, "locally administered unicast");
        assert.equal(checkBridge({ ...managed, name: "br0" }).spec.mac, r.spec.mac, "stable for the same owner and name");
        assert.notEqual(checkBridge({ ...managed, name: "br1" }).spec.mac, r.spec.mac);
    });

    const badBridges: Array<[string, Record<string, unknown>, string, RegExp]> = [
        ["over-long name", { name: "bridge-name-too-long" }, "name", /20 bytes; the limit is 15/],
        ["shell in name", { name: "br0;reboot" }, "name", /"br0;reboot" contains characters/],
        ["mtu too small", { name: "br0", mtu: 50 }, "mtu", /MTU 50 is out of range; use a whole number of bytes from 68/],
        ["mtu too small for IPv6", { name: "br0", mtu: 1000, addresses: ["2001:db8::1/64"] }, "mtu", /IPv6.*from 1280/],
        ["mtu not a number", { name: "br0", mtu: "9000" }, "mtu", /"9000"/],
        ["bad address", { name: "br0", addresses: ["192.0.2.1"] }, "addresses[0]", /"192.0.2.1" is not an address with a prefix length/],
        ["stp not boolean", { name: "br0", stp: "yes" }, "stp", /true or false/],
        ["bad namespace", { name: "br0", namespace: "a/b" }, "namespace", /"a\/b"/],
        ["bad host", { name: "br0", host: { netns: "x y" } }, "host.netns", /"x y"/],
        ["unknown host field", { name: "br0", host: { machine: "h" } }, "host.machine", /unknown host property "machine"; a host takes "netns" and "ssh"/],
        ["ssh as a string", { name: "br0", host: { ssh: "root@h" } }, "host.ssh", /"root@h" is not an SSH connection/],
    ];
    for (const [label, input, property, why] of badBridges) {
        it(`rejects a bridge with ${label}, naming ${property}`, () => failsOn(checkBridge({ ...managed, ...input }), property, why));
    }

    it("validates both veth ends and the gateway against the end's subnet", () => {
        const ok = checkVethPair({
            ...managed,
            a: { name: "veth0", bridge: "br0" },
            b: { name: "eth0", namespace: "red", addresses: ["192.0.2.10/24"], gateway: "192.0.2.1", mac: "02:AA:00:00:00:01" },
        });
        assert.deepEqual(ok.failures, []);
        assert.equal(ok.spec.b.mac, "02:aa:00:00:00:01");
        failsOn(
            checkVethPair({ ...managed, a: { name: "veth0" }, b: { name: "eth0", addresses: ["192.0.2.10/24"], gateway: "198.51.100.1" } }),
            "b.gateway",
            /not inside this end's subnets \(192.0.2.10\/24\)/,
        );
        failsOn(checkVethPair({ ...managed, a: { name: "veth0" }, b: { name: "eth0", mac: "01:00:5e:00:00:01" } }), "b.mac", /multicast/);
        failsOn(checkVethPair({ ...managed, a: { name: "same" }, b: { name: "same" } }), "b.name", /both ends are named/);
        failsOn(checkVethPair({ ...managed, a: { name: "x".repeat(16) }, b: { name: "eth0" } }), "a.name", /limit is 15/);
        failsOn(checkVethPair({ ...managed, a: "veth0", b: { name: "eth0" } }), "a", /must be an object/);
    });

    it("lets unknown preview values through without failures", () => {
        const r = checkVethPair({ ...managed, a: { name: "veth0", bridge: UNKNOWN }, b: { name: "eth0", namespace: UNKNOWN } });
        assert.deepEqual(r.failures, []);
    });

    it("validates routes: destination, gateway family, metric", () => {
        assert.deepEqual(checkRoute({ ...managed, destination: "default", via: "192.0.2.1" }).failures, []);
        assert.equal(checkRoute({ ...managed, destination: "2001:0db8::/32", device: "eth0" }).spec.destination, "2001:db8::/32");
        failsOn(checkRoute({ ...managed, destination: "default" }), "via", /needs a gateway/);
        failsOn(checkRoute({ ...managed, destination: "198.51.100.0/24", via: "2001:db8::1" }), "via", /IPv6 but destination/);
        failsOn(checkRoute({ ...managed, destination: "198.51.100.1/24", via: "192.0.2.1" }), "destination", /host bits set/);
        failsOn(checkRoute({ ...managed, destination: "default", via: "192.0.2.1", metric: -1 }), "metric", /metric -1/);
        failsOn(checkRoute({ ...managed, destination: "default", via: "not-an-ip" }), "via", /"not-an-ip" is not an IPv4 or IPv6 address/);
    });

    it("validates namespaces, addresses and sysctls", () => {
        failsOn(checkNamespace({ ...managed, name: "$(reboot)" }), "name", /"\$\(reboot\)"/);
        failsOn(checkNamespace({ ...managed }), "name", /required/);
        failsOn(checkAddress({ ...managed, interface: "eth0", address: "192.0.2.300/24" }), "address", /not hold a valid/);
        assert.equal(checkSysctl({ ...managed, key: "net.ipv4.ip_forward", value: 1 }).spec.value, "1");
        failsOn(checkSysctl({ ...managed, key: "kernel.panic", value: "1" }), "key", /not a network sysctl/);
        failsOn(checkSysctl({ ...managed, key: "net.ipv4.ip_forward", value: "1; reboot" }), "value", /not allowed/);
        failsOn(checkSysctl({ ...managed, key: "net.ipv4.ip_forward", value: "1", owner: "mine" }), "owner", /must start with/);
    });
});

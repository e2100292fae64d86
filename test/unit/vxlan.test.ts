import { strict as assert } from "assert";
import { IDENTITY, diffSpecs } from "../../sdk/model/diff";
import { checkVxlan, floodEntryCommands, overlayMtuError, parseFloodPeers, parseVxlanInfo, vxlanAddArgs } from "../../sdk/model/vxlan";

const base = {
    owner: "netplumb:p/s@0123456789ab/ov-a",
    host: {},
    adopt: false,
    name: "vx42",
    vni: 42,
    local: "198.51.100.11",
    peers: ["198.51.100.13", "198.51.100.12"],
    bridge: "br-lab",
};

function failureOn(raw: Record<string, unknown>, property: string): string {
    const found = checkVxlan(raw).failures.find((f) => f.property === property);
    assert.ok(found, `expected a failure on ${property}, got ${JSON.stringify(checkVxlan(raw).failures)}`);
    return found.reason;
}

describe("Vxlan: checked at preview", () => {
    it("fills the defaults: port 4789, MTU 1450 on a 1500-byte IPv4 underlay, peers canonical and sorted", () => {
        const { spec, failures } = checkVxlan(base);
        assert.deepEqual(failures, []);
        assert.equal(spec.port, 4789);
        assert.equal(spec.mtu, 1450);
        assert.deepEqual(spec.peers, ["198.51.100.12", "198.51.100.13"]);
        assert.equal(checkVxlan({ ...base, local: "2001:db8::11", peers: ["2001:DB8::12"] }).spec.mtu, 1430, "70 bytes over IPv6");
    });

    it("an MTU that does not fit the underlay fails naming both values and the fix", () => {
        assert.equal(
            failureOn({ ...base, mtu: 1500 }, "mtu"),
            "MTU 1500 does not fit an underlay MTU of 1500: VXLAN over IPv4 adds 50 bytes; use at most 1450, or raise the underlay's MTU to 1550",
        );
        assert.match(failureOn({ ...base, local: "2001:db8::11", peers: [], mtu: 1450 }, "mtu"), /over IPv6 adds 70 bytes; use at most 1430/);
        assert.deepEqual(checkVxlan({ ...base, mtu: 8950, underlayMtu: 9000 }).failures, []);
        assert.equal(overlayMtuError(1450, 1500, "198.51.100.11"), undefined);
    });

    it("rejects a VNI out of range, its own address as a peer, a peer twice, mixed families, and a group with peers or without a device", () => {
        assert.match(failureOn({ ...base, vni: 0 }, "vni"), /VNI 0 is not a whole number from 1 to 16777215/);
        assert.match(failureOn({ ...base, vni: 16777216 }, "vni"), /VNI 16777216/);
        assert.match(failureOn({ ...base, peers: ["198.51.100.11"] }, "peers[0]"), /this host's own address/);
        assert.match(failureOn({ ...base, peers: ["198.51.100.12", "198.51.100.12"] }, "peers"), /"198.51.100.12" is listed twice/);
        assert.match(failureOn({ ...base, peers: ["2001:db8::12"] }, "peers[0]"), /not of local's family/);
        assert.match(failureOn({ ...base, group: "239.1.1.1", device: "eth0" }, "group"), /a multicast group or peers, not both/);
        assert.match(failureOn({ ...base, peers: [], group: "239.1.1.1" }, "device"), /needs the underlay interface/);
        assert.match(failureOn({ ...base, peers: [], group: "198.51.100.99", device: "eth0" }, "group"), /not a multicast address/);
        assert.match(failureOn({ ...base, port: 70000 }, "port"), /port 70000/);
        assert.match(failureOn({ ...base, vni: undefined }, "vni"), /vni is required/);
    });

    it("peers, bridge and MTU change in place; VNI, port, local or group replace the device", () => {
        const { spec } = checkVxlan(base);
        const changed = (extra: Record<string, unknown>) => diffSpecs(spec, checkVxlan({ ...base, ...extra }).spec, IDENTITY.vxlan);
        assert.deepEqual(changed({ peers: ["198.51.100.12"] }).replaces, []);
        assert.deepEqual(changed({ peers: ["198.51.100.12"] }).changed, ["peers"]);
        assert.deepEqual(changed({ mtu: 1400, bridge: "br1" }).replaces, []);
        for (const key of ["vni", "port", "local"]) {
            const value = key === "local" ? "198.51.100.14" : 4790;
            assert.deepEqual(changed({ [key]: value }).replaces, [key], key);
        }
    });
});

describe("Vxlan: the commands (golden argv)", () => {
    it("adds the device without learning, bound as declared", () => {
        const { spec } = checkVxlan(base);
        assert.deepEqual(vxlanAddArgs(spec), [
            "link",
            "add",
            "vx42",
            "mtu",
            "1450",
            "type",
            "vxlan",
            "id",
            "42",
            "dstport",
            "4789",
            "local",
            "198.51.100.11",
            "nolearning",
        ]);
        const multicast = checkVxlan({ ...base, peers: [], group: "239.1.1.1", device: "eth0" }).spec;
        assert.deepEqual(vxlanAddArgs(multicast).slice(13), ["dev", "eth0", "group", "239.1.1.1", "nolearning"]);
    });

    it("touches only the flooding entries that differ", () => {
        assert.deepEqual(floodEntryCommands("vx42", ["198.51.100.12", "198.51.100.14"], ["198.51.100.12", "198.51.100.13"]), [
            ["fdb", "append", "00:00:00:00:00:00", "dev", "vx42", "dst", "198.51.100.13"],
            ["fdb", "del", "00:00:00:00:00:00", "dev", "vx42", "dst", "198.51.100.14"],
        ]);
        assert.deepEqual(floodEntryCommands("vx42", ["198.51.100.12"], ["198.51.100.12"]), []);
    });

    it("reads what ip -j -d and bridge -j fdb print (captured on this kernel)", () => {
        const link = JSON.stringify([
            {
                ifname: "vx42",
                mtu: 1450,
                linkinfo: {
                    info_kind: "vxlan",
                    info_data: { id: 42, local: "198.51.100.5", port_range: { low: 0, high: 0 }, port: 4789, learning: false, ttl: 0 },
                },
            },
        ]);
        assert.deepEqual(parseVxlanInfo(link), { vni: 42, port: 4789, local: "198.51.100.5", group: undefined, device: undefined, learning: false });
        assert.equal(parseVxlanInfo(JSON.stringify([{ ifname: "br0", linkinfo: { info_kind: "bridge" } }])), undefined);
        const fdb =
            '[{"mac":"00:00:00:00:00:00","dst":"198.51.100.7","flags":["self"],"state":"permanent"},{"mac":"00:00:00:00:00:00","dst":"198.51.100.6","flags":["self"],"state":"permanent"},{"mac":"02:00:00:00:00:01","master":"br0","state":"permanent"}]';
        assert.deepEqual(parseFloodPeers(fdb), ["198.51.100.6", "198.51.100.7"]);
    });
});

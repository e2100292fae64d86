import { strict as assert } from "assert";
import { IDENTITY, diffSpecs } from "../../sdk/model/diff";
import { checkSublink, parseSublinkMode, sublinkAddArgs } from "../../sdk/model/sublink";

const base = {
    owner: "netplumb:p/s@0123456789ab/red-mv",
    host: { netns: "sbx" },
    adopt: false,
    name: "eth1",
    namespace: "lab-red",
    parent: "wan0",
    addresses: ["192.0.2.50/24"],
    gateway: "192.0.2.1",
};

describe("Macvlan and Ipvlan: checked at preview, commands as golden argv", () => {
    it("defaults to macvlan's bridge mode and ipvlan's l2, and creates the interface straight in its namespace", () => {
        const mv = checkSublink("macvlan", base);
        assert.deepEqual(mv.failures, []);
        assert.deepEqual(sublinkAddArgs(mv.spec), ["link", "add", "link", "wan0", "name", "eth1", "netns", "lab-red", "type", "macvlan", "mode", "bridge"]);
        const iv = checkSublink("ipvlan", { ...base, mode: "l3", mtu: 1400 });
        assert.deepEqual(iv.failures, []);
        assert.deepEqual(sublinkAddArgs(iv.spec), [
            "link",
            "add",
            "link",
            "wan0",
            "name",
            "eth1",
            "netns",
            "lab-red",
            "mtu",
            "1400",
            "type",
            "ipvlan",
            "mode",
            "l3",
        ]);
        const withMac = checkSublink("macvlan", { ...base, mac: "02:00:5E:00:53:01", mode: "private" }).spec;
        assert.deepEqual(sublinkAddArgs(withMac).slice(8), ["address", "02:00:5e:00:53:01", "type", "macvlan", "mode", "private"]);
    });

    it("names a mode of the wrong kind, a MAC on ipvlan, and a missing namespace", () => {
        const by = (kind: "macvlan" | "ipvlan", raw: Record<string, unknown>) => new Map(checkSublink(kind, raw).failures.map((f) => [f.property, f.reason]));
        assert.match(by("macvlan", { ...base, mode: "l2" }).get("mode")!, /"l2" is not a macvlan mode; use one of bridge, private, vepa, passthru, source/);
        assert.match(by("ipvlan", { ...base, mac: "02:00:5e:00:53:01" }).get("mac")!, /has its parent's MAC/);
        assert.match(by("macvlan", { ...base, namespace: undefined }).get("namespace")!, /namespace is required/);
        assert.match(by("macvlan", { ...base, addresses: ["192.0.2.50"] }).get("addresses[0]")!, /prefix length/);
    });

    it("addresses, gateway and MTU change in place; parent, mode, name or namespace replace it", () => {
        const { spec } = checkSublink("macvlan", base);
        const diff = (extra: Record<string, unknown>) => diffSpecs(spec, checkSublink("macvlan", { ...base, ...extra }).spec, IDENTITY.sublink);
        assert.deepEqual(diff({ addresses: ["192.0.2.51/24"], gateway: "192.0.2.254", mtu: 1400 }).replaces, []);
        for (const [key, value] of [
            ["parent", "eth9"],
            ["mode", "vepa"],
            ["name", "eth2"],
            ["namespace", "lab-blue"],
        ])
            assert.deepEqual(diff({ [key]: value }).replaces, [key], key);
    });

    it("reads the kind and mode from ip -j -d", () => {
        const json = (kind: string, mode?: string) => JSON.stringify([{ ifname: "eth1", linkinfo: { info_kind: kind, info_data: mode ? { mode } : {} } }]);
        assert.equal(parseSublinkMode(json("macvlan", "private"), "macvlan"), "private");
        assert.equal(parseSublinkMode(json("ipvlan", "l3"), "ipvlan"), "l3");
        assert.equal(parseSublinkMode(json("veth"), "macvlan"), undefined);
    });
});

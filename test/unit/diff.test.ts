import { strict as assert } from "assert";
import { IDENTITY, diffSpecs } from "../../sdk/model/diff";

const base = { owner: "netplumb:p/s/r", host: {}, adopt: false };

describe("model: update versus replace", () => {
    const bridge = { ...base, name: "br0", mtu: 1500, addresses: ["192.0.2.1/24"], up: true, stp: false };
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, string[], string[]]> = [
        ["nothing", bridge, { ...bridge }, [], []],
        ["MTU", bridge, { ...bridge, mtu: 1400 }, ["mtu"], []],
        ["addresses", bridge, { ...bridge, addresses: ["192.0.2.1/24", "192.0.2.2/24"] }, ["addresses"], []],
        ["name", bridge, { ...bridge, name: "br1" }, ["name"], ["name"]],
        ["namespace", bridge, { ...bridge, namespace: "lab" }, ["namespace"], ["namespace"]],
        ["host", bridge, { ...bridge, host: { netns: "sbx" } }, ["host.netns"], ["host"]],
        ["adopt only", bridge, { ...bridge, adopt: true }, [], []],
    ];
    for (const [label, olds, news, changed, replaces] of cases) {
        it(`bridge: a change of ${label}`, () => {
            const d = diffSpecs(olds, news, IDENTITY.bridge);
            assert.deepEqual(d.changed, changed);
            assert.deepEqual(d.replaces, replaces);
            assert.equal(d.changes, changed.length > 0);
        });
    }

    it("veth: MTU, bridge and addresses update; names and namespaces replace", () => {
        const pair = { ...base, a: { name: "veth0", bridge: "br0", addresses: [] }, b: { name: "eth0", namespace: "red", addresses: ["192.0.2.10/24"] } };
        const mtu = diffSpecs(pair, { ...pair, b: { ...pair.b, mtu: 1400 } }, IDENTITY.veth);
        assert.deepEqual([mtu.changed, mtu.replaces], [["b.mtu"], []]);
        const bridge = diffSpecs(pair, { ...pair, a: { ...pair.a, bridge: "br1" } }, IDENTITY.veth);
        assert.deepEqual([bridge.changed, bridge.replaces], [["a.bridge"], []]);
        const ns = diffSpecs(pair, { ...pair, b: { ...pair.b, namespace: "blue" } }, IDENTITY.veth);
        assert.deepEqual([ns.changed, ns.replaces], [["b.namespace"], ["b"]]);
    });

    it("route: gateway and metric update in place; destination replaces", () => {
        const route = { ...base, destination: "default", via: "192.0.2.1" };
        assert.deepEqual(diffSpecs(route, { ...route, via: "192.0.2.254" }, IDENTITY.route).replaces, []);
        assert.deepEqual(diffSpecs(route, { ...route, metric: 10 }, IDENTITY.route).replaces, []);
        assert.deepEqual(diffSpecs(route, { ...route, destination: "198.51.100.0/24" }, IDENTITY.route).replaces, ["destination"]);
    });

    it("ignores the serialized provider", () => {
        assert.equal(diffSpecs({ ...bridge, __provider: "old" }, { ...bridge, __provider: "new" }, IDENTITY.bridge).changes, false);
    });
});

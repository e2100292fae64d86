import { strict as assert } from "assert";
import { cniBridges, staleGateways } from "../../sdk/model/cni-bridges";
import { IDENTITY, diffSpecs } from "../../sdk/model/diff";
import { CniNetworkSpec, checkCniNetwork, conflictWithOthers, conflistPath, renderConflist, subnetsOf } from "../../sdk/model/cni";
import { cniPresets } from "../../sdk/model/cni-plugins";
import { pluginBinaries } from "../../sdk/kernel/cni";

const bridgeNet = {
    owner: "netplumb:p/s@0123456789ab/net",
    host: {},
    adopt: false,
    name: "labnet",
    plugins: [
        {
            type: "bridge",
            bridge: "cni-lab",
            isGateway: true,
            ipMasq: true,
            ipam: {
                type: "host-local",
                ranges: [[{ subnet: "10.22.0.0/24", rangeStart: "10.22.0.10", rangeEnd: "10.22.0.99", gateway: "10.22.0.1" }]],
                routes: [{ dst: "0.0.0.0/0" }],
            },
        },
        { type: "portmap", capabilities: { portMappings: true } },
        { type: "firewall" },
        { type: "bandwidth", capabilities: { bandwidth: true } },
    ],
};

function failureOn(raw: Record<string, unknown>, property: string): string {
    const found = checkCniNetwork(raw).failures.find((f) => f.property === property);
    assert.ok(found, `expected a failure on ${property}, got ${JSON.stringify(checkCniNetwork(raw).failures)}`);
    return found.reason;
}

const withPlugin = (i: number, change: Record<string, unknown>) => ({
    ...bridgeNet,
    plugins: bridgeNet.plugins.map((p, j) => (j === i ? { ...p, ...change } : p)),
});
const withRange = (range: Record<string, unknown>) => withPlugin(0, { ipam: { type: "host-local", ranges: [[range]] } });

describe("CniNetwork: checked at preview against the CNI specification", () => {
    it("fills the defaults: version 1.0.0, priority 10, /etc/cni/net.d, /opt/cni/bin", () => {
        const { spec, failures } = checkCniNetwork(bridgeNet);
        assert.deepEqual(failures, []);
        assert.equal(spec.cniVersion, "1.0.0");
        assert.equal(conflistPath(spec), "/etc/cni/net.d/10-labnet.conflist");
        assert.equal(spec.binDir, "/opt/cni/bin");
        assert.equal(conflistPath({ dir: "/tmp/x/", priority: 5, name: "n" }), "/tmp/x/05-n.conflist");
    });

    it("accepts 1.1.0 and the guide's 0.3.x/0.4.0, and refuses others naming the choices", () => {
        for (const v of ["1.1.0", "0.3.0", "0.3.1", "0.4.0"]) assert.deepEqual(checkCniNetwork({ ...bridgeNet, cniVersion: v }).failures, [], v);
        assert.match(failureOn({ ...bridgeNet, cniVersion: "2.0.0" }, "cniVersion"), /"2\.0\.0" is not one netplumb writes; use 1\.0\.0 or 1\.1\.0/);
    });

    it("names each mistake: network name, priority, paths, plugin type and order", () => {
        assert.match(failureOn({ ...bridgeNet, name: "-lab" }, "name"), /must start with a letter or digit/);
        assert.match(failureOn({ ...bridgeNet, name: "a/b" }, "name"), /"a\/b"/);
        assert.match(failureOn({ ...bridgeNet, priority: 100 }, "priority"), /0 to 99/);
        assert.match(failureOn({ ...bridgeNet, dir: "etc/cni" }, "dir"), /absolute path/);
        assert.match(failureOn({ ...bridgeNet, binDir: "/opt/../bin" }, "binDir"), /without '\.\.'/);
        assert.match(failureOn({ ...bridgeNet, plugins: [] }, "plugins"), /non-empty list/);
        assert.match(failureOn(withPlugin(0, { type: "../../bin/sh" }), "plugins[0].type"), /no '\/'/);
        assert.match(
            failureOn({ ...bridgeNet, plugins: [{ type: "portmap" }, bridgeNet.plugins[0]] }, "plugins[0].type"),
            /portmap only adjusts what an earlier plugin made, so it cannot come first/,
        );
        assert.match(failureOn(withPlugin(0, { bridge: "a bridge" }), "plugins[0].bridge"), /"a bridge"/);
        assert.match(failureOn(withPlugin(0, { mtu: 20 }), "plugins[0].mtu"), /68 to 65535/);
        assert.match(failureOn(withPlugin(3, { ingressRate: 1000 }), "plugins[3]"), /a rate and a burst together/);
        assert.match(failureOn(withPlugin(3, { ingressRate: -1, ingressBurst: 10 }), "plugins[3].ingressRate"), /positive whole number/);
    });

    it("checks IPAM: ranges inside their subnet and in order, gateways inside, routes valid, range sets not overlapping", () => {
        assert.match(failureOn(withRange({ subnet: "10.22.0.0/33" }), "plugins[0].ipam.ranges[0][0].subnet"), /10\.22\.0\.0\/33/);
        assert.match(
            failureOn(withRange({ subnet: "10.22.0.0/24", rangeStart: "10.23.0.5" }), "plugins[0].ipam.ranges[0][0].rangeStart"),
            /not inside the range's subnet "10\.22\.0\.0\/24"/,
        );
        assert.match(failureOn(withRange({ subnet: "10.22.0.0/24", gateway: "10.9.0.1" }), "plugins[0].ipam.ranges[0][0].gateway"), /not inside/);
        assert.match(
            failureOn(withRange({ subnet: "10.22.0.0/24", rangeStart: "10.22.0.90", rangeEnd: "10.22.0.10" }), "plugins[0].ipam.ranges[0][0].rangeStart"),
            /comes after rangeEnd/,
        );
        assert.match(
            failureOn(
                withPlugin(0, { ipam: { type: "host-local", ranges: [[{ subnet: "10.22.0.0/16" }], [{ subnet: "10.22.5.0/24" }]] } }),
                "plugins[0].ipam.ranges[1][0].subnet",
            ),
            /10\.22\.5\.0\/24 overlaps 10\.22\.0\.0\/16, another range of this network/,
        );
        assert.match(failureOn(withPlugin(0, { ipam: { type: "host-local", ranges: [] } }), "plugins[0].ipam.ranges"), /host-local needs ranges/);
        assert.match(
            failureOn(
                withPlugin(0, { ipam: { type: "host-local", ranges: [[{ subnet: "10.22.0.0/24" }]], routes: [{ dst: "nowhere" }] } }),
                "plugins[0].ipam.routes[0].dst",
            ),
            /nowhere/,
        );
        assert.match(
            failureOn(
                withPlugin(0, { ipam: { type: "static", addresses: [{ address: "10.10.0.1/24", gateway: "10.11.0.1" }] } }),
                "plugins[0].ipam.addresses[0].gateway",
            ),
            /not inside/,
        );
        assert.deepEqual(
            checkCniNetwork(withRange({ subnet: "2001:db8::/64", rangeStart: "2001:db8::10", rangeEnd: "2001:db8::ff" })).failures,
            [],
            "IPv6 ranges",
        );
    });

    it("validates the guide's presets (their plugins are not on this machine: only up needs them)", () => {
        const presets = {
            flannel: cniPresets.flannel(),
            calico: cniPresets.calico({ nodename: "node-1", kubeconfig: "/etc/cni/net.d/calico-kubeconfig" }),
            weave: cniPresets.weave(),
            cilium: cniPresets.cilium(),
            multus: cniPresets.multus({ kubeconfig: "/etc/cni/net.d/multus.d/multus.kubeconfig", delegates: [{ name: "flannel" }] }),
        };
        for (const [name, plugins] of Object.entries(presets)) assert.deepEqual(checkCniNetwork({ ...bridgeNet, name, plugins }).failures, [], name);
        assert.deepEqual(pluginBinaries({ plugins: presets.calico as CniNetworkSpec["plugins"] }), ["calico", "calico-ipam", "portmap"]);
    });
});

describe("CniNetwork: the file and its place among the host's networks", () => {
    const spec = checkCniNetwork(bridgeNet).spec;

    it("renders the list with the runtime's keys first and the owner last, as JSON runtimes read", () => {
        const text = renderConflist(spec);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        assert.deepEqual(Object.keys(parsed), ["cniVersion", "name", "plugins", "netplumbOwner"]);
        assert.equal(parsed.netplumbOwner, bridgeNet.owner);
        assert.ok(text.endsWith("}\n"));
        assert.deepEqual(pluginBinaries(spec), ["bridge", "host-local", "portmap", "firewall", "bandwidth"]);
    });

    it("finds a taken priority or an overlapping range in another file; its own file and unparsable files are skipped", () => {
        const other = (file: string, subnet: string) => ({
            file,
            text: JSON.stringify({ name: "x", plugins: [{ type: "bridge", ipam: { type: "host-local", ranges: [[{ subnet }]] } }] }),
        });
        assert.equal(
            conflictWithOthers(spec, [other("/etc/cni/net.d/10-labnet.conflist", "10.22.0.0/24"), { file: "/etc/cni/net.d/20-bad.conf", text: "{" }]),
            undefined,
        );
        assert.match(
            conflictWithOthers(spec, [other("/etc/cni/net.d/10-other.conflist", "10.99.0.0/24")])!,
            /priority 10 is taken by \/etc\/cni\/net\.d\/10-other\.conflist/,
        );
        assert.match(
            conflictWithOthers(spec, [other("/etc/cni/net.d/20-other.conflist", "10.22.0.128/25")])!,
            /range 10\.22\.0\.0\/24 overlaps 10\.22\.0\.128\/25 of \/etc\/cni\/net\.d\/20-other\.conflist/,
        );
        const single = {
            file: "/etc/cni/net.d/30-old.conf",
            text: JSON.stringify({ name: "old", type: "bridge", ipam: { type: "host-local", subnet: "10.5.0.0/16", ranges: [[{ subnet: "10.22.0.0/16" }]] } }),
        };
        assert.match(
            conflictWithOthers(spec, [single])!,
            /overlaps 10\.22\.0\.0\/16 of \/etc\/cni\/net\.d\/30-old\.conf/,
            "a single-plugin .conf file counts too",
        );
        assert.deepEqual(subnetsOf([{ type: "loopback" }]), []);
    });

    it("replaces for another name, priority, directory or host; updates in place for the rest", () => {
        const changed = (change: Partial<CniNetworkSpec>) => diffSpecs(spec, { ...spec, ...change }, IDENTITY.cniNetwork);
        assert.deepEqual(changed({ priority: 20 }).replaces, ["priority"]);
        assert.deepEqual(changed({ dir: "/tmp/cni" }).replaces, ["dir"]);
        const plugins = changed({ plugins: [...spec.plugins.slice(0, 1)] });
        assert.equal(plugins.changes, true);
        assert.deepEqual(plugins.replaces, []);
    });
});

describe("CniNetwork: the bridges its plugins make, and the gateways they carry", () => {
    const bridgePlugin = (extra: Record<string, unknown>, ranges: unknown) =>
        ({ type: "bridge", ...extra, ipam: { type: "host-local", ranges } }) as unknown as CniNetworkSpec["plugins"][number];

    it("names each bridge plugin's bridge (default cni0) and, with isGateway, each range's gateway (default its first address)", () => {
        const plugins = [
            bridgePlugin({ bridge: "cni-a", isGateway: true }, [
                [{ subnet: "10.22.0.0/24" }, { subnet: "10.23.0.0/24", gateway: "10.23.0.254" }],
                [{ subnet: "2001:db8::/64" }],
            ]),
            bridgePlugin({}, [[{ subnet: "10.24.0.0/24" }]]),
            { type: "portmap" } as CniNetworkSpec["plugins"][number],
        ];
        assert.deepEqual(cniBridges({ plugins }), [
            { name: "cni-a", gateways: ["10.22.0.1/24", "10.23.0.254/24", "2001:db8::1/64"] },
            { name: "cni0", gateways: [] },
        ]);
    });

    it("a range change leaves the old gateway stale; an unchanged range leaves none", () => {
        const at = (subnet: string) => ({ plugins: [bridgePlugin({ bridge: "cni-a", isGateway: true }, [[{ subnet }]])] });
        assert.deepEqual(staleGateways(at("10.22.0.0/24"), at("10.22.1.0/24")), [{ bridge: "cni-a", address: "10.22.0.1/24" }]);
        assert.deepEqual(staleGateways(at("10.22.0.0/24"), at("10.22.0.0/24")), []);
    });
});

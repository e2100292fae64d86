import { strict as assert } from "assert";
import { checkCniAttachment, defaultContainerId, parseResult, pluginArgv, pluginConfig, pluginFailure, supportedVersions } from "../../sdk/model/cni-exec";
import { IDENTITY, diffSpecs } from "../../sdk/model/diff";
import { checkPanics } from "../../sdk/kernel/cni-attachment";

const network = {
    name: "labnet",
    cniVersion: "1.0.0",
    binDir: "/opt/cni/bin",
    plugins: [
        { type: "bridge", bridge: "cni-lab", ipam: { type: "host-local", ranges: [[{ subnet: "10.22.0.0/24" }]] } },
        { type: "portmap", capabilities: { portMappings: true } },
        { type: "bandwidth", capabilities: { bandwidth: true } },
    ],
};
const raw = {
    owner: "netplumb:p/s@0123456789ab/web-cni",
    host: { netns: "sbx" },
    adopt: false,
    network,
    namespace: "lab-web",
    capabilities: { portMappings: [{ hostPort: 8080, containerPort: 80 }] },
};

function failureOn(input: Record<string, unknown>, property: string): string {
    const found = checkCniAttachment(input).failures.find((f) => f.property === property);
    assert.ok(found, `expected a failure on ${property}, got ${JSON.stringify(checkCniAttachment(input).failures)}`);
    return found.reason;
}

describe("CniAttachment: what a runtime hands each plugin", () => {
    const spec = checkCniAttachment(raw).spec;

    it("fills the defaults: eth0, a container id from the owner tag, no CNI_ARGS", () => {
        assert.deepEqual(checkCniAttachment(raw).failures, []);
        assert.equal(spec.ifName, "eth0");
        assert.equal(spec.containerId, "netplumb-p-s-0123456789ab-web-cni");
        assert.equal(defaultContainerId("netplumb:p/s@0123456789ab/x"), "netplumb-p-s-0123456789ab-x");
        assert.deepEqual(spec.args, []);
    });

    it("gives a plugin the list's name and version, runtimeConfig only for the capabilities it declares, and the previous result", () => {
        const prev = { cniVersion: "1.0.0", ips: [{ address: "10.22.0.2/24" }] };
        const bridge = pluginConfig(spec.network, spec.network.plugins[0], spec.capabilities);
        assert.equal(bridge.name, "labnet");
        assert.equal(bridge.cniVersion, "1.0.0");
        assert.equal(bridge.runtimeConfig, undefined, "bridge declares no capability");
        assert.equal(bridge.prevResult, undefined);
        const portmap = pluginConfig(spec.network, spec.network.plugins[1], spec.capabilities, prev);
        assert.deepEqual(
            portmap.runtimeConfig,
            { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: "tcp" }] },
            "the protocol filled in, as runtimes do",
        );
        assert.deepEqual(portmap.prevResult, prev);
        assert.equal(pluginConfig(spec.network, spec.network.plugins[2], spec.capabilities, prev).runtimeConfig, undefined, "no bandwidth given");
    });

    it("runs the plugin through env with the CNI variables (no shell), CNI_NETNS a /run/netns path", () => {
        const argv = pluginArgv(
            {
                ...spec,
                args: [
                    ["IgnoreUnknown", "1"],
                    ["K8S_POD_NAME", "web"],
                ],
            },
            "bridge",
            "ADD",
        );
        assert.deepEqual(argv, [
            "env",
            "CNI_COMMAND=ADD",
            "CNI_CONTAINERID=netplumb-p-s-0123456789ab-web-cni",
            "CNI_NETNS=/run/netns/lab-web",
            "CNI_IFNAME=eth0",
            "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=web",
            "CNI_PATH=/opt/cni/bin",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "/opt/cni/bin/bridge",
        ]);
    });

    it("does not send CHECK where the reference plugins get it wrong: bandwidth limiting nothing, portmap without IPv6", () => {
        const bandwidth = spec.network.plugins[2];
        assert.equal(checkPanics(bandwidth, { capabilities: {} }), true);
        assert.equal(checkPanics(bandwidth, { capabilities: { bandwidth: { ingressRate: 1000, ingressBurst: 100 } } }), false);
        assert.equal(checkPanics({ type: "bandwidth", egressRate: 1000, egressBurst: 100 }, { capabilities: {} }), false);
        assert.equal(checkPanics(spec.network.plugins[0], { capabilities: {} }), false);
        const portmap = spec.network.plugins[1];
        assert.equal(checkPanics(portmap, { capabilities: {}, result: { ips: [{ address: "10.22.0.2/24" }] } }), true);
        assert.equal(checkPanics(portmap, { capabilities: {}, result: { ips: [{ address: "2001:db8::2/64" }] } }), false);
    });

    it("reads results, VERSION answers and CNI error objects", () => {
        assert.deepEqual(parseResult("bridge", '{"cniVersion":"1.0.0","ips":[{"address":"10.22.0.2/24"}]}').ips, [{ address: "10.22.0.2/24" }]);
        assert.throws(() => parseResult("bridge", ""), /CNI plugin bridge printed no result on ADD/);
        assert.deepEqual(supportedVersions('{"cniVersion":"1.0.0","supportedVersions":["0.3.1","1.0.0"]}'), ["0.3.1", "1.0.0"]);
        assert.deepEqual(supportedVersions("garbage"), []);
        assert.equal(
            pluginFailure("bridge", "ADD", '{"code":11,"msg":"failed to allocate","details":"no IP addresses available"}', ""),
            "CNI plugin bridge failed ADD (code 11): failed to allocate: no IP addresses available",
        );
        assert.equal(pluginFailure("portmap", "DEL", "", "exec: iptables: not found\n"), "CNI plugin portmap failed DEL: exec: iptables: not found");
    });

    it("names each bad input: the network's (under network.), namespace, ifName, container id, CNI_ARGS, capabilities", () => {
        assert.match(failureOn({ ...raw, network: { ...network, plugins: [{ type: "portmap" }] } }, "network.plugins[0].type"), /cannot come first/);
        assert.match(failureOn({ ...raw, namespace: "../x" }, "namespace"), /\.\.\/x/);
        assert.match(failureOn({ ...raw, ifName: "a-very-long-interface-name" }, "ifName"), /a-very-long-interface-name/);
        assert.match(failureOn({ ...raw, containerId: "-x" }, "containerId"), /must start with a letter or digit/);
        assert.match(failureOn({ ...raw, args: [["A", "b;c"]] }, "args[0]"), /\[key, value\] pair/);
        assert.match(
            failureOn({ ...raw, capabilities: { portMappings: [{ hostPort: 0, containerPort: 80 }] } }, "capabilities.portMappings[0].hostPort"),
            /1 to 65535/,
        );
        assert.match(failureOn({ ...raw, capabilities: { ips: ["10.22.0.5"] } }, "capabilities.ips[0]"), /10\.22\.0\.5/);
        assert.match(failureOn({ ...raw, capabilities: { mac: "nope" } }, "capabilities.mac"), /not a MAC address/);
    });

    it("attaches again (replace) when the network, namespace or capabilities change; drift alone is an update", () => {
        const diff = (news: Record<string, unknown>) => diffSpecs({ ...spec }, { ...spec, ...news }, IDENTITY.cniAttachment);
        const wider = {
            ...spec.network,
            plugins: [{ ...spec.network.plugins[0], ipam: { type: "host-local", ranges: [[{ subnet: "10.23.0.0/24" }]] } }, ...spec.network.plugins.slice(1)],
        };
        assert.deepEqual(diff({ network: wider }).replaces, ["network"]);
        assert.deepEqual(diff({ namespace: "lab-db" }).replaces, ["namespace"]);
        assert.deepEqual(diff({ capabilities: {} }).replaces, ["capabilities"]);
        const drifted = diffSpecs({ ...spec, drift: "CNI plugin bridge failed CHECK" }, spec, IDENTITY.cniAttachment);
        assert.equal(drifted.changes, true);
        assert.deepEqual(drifted.replaces, []);
    });
});

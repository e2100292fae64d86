import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { parseAllDocuments } from "yaml";
import { calicoOperatorValues, checkCalicoManifest, checkCilium, ciliumValues, patchCalicoManifest } from "../../sdk/model/cluster/cni";
import { chartMirror } from "../support/charts";
import { inCI } from "../support/suite";

type Container = { name: string; env?: Array<{ name: string; value?: string }>; livenessProbe?: { exec?: { command: string[] } } };
type Doc = { kind?: string; metadata?: { name?: string }; data?: Record<string, string>; spec?: { template: { spec: { containers: Container[] } } } };

/** calico.yaml from the chart mirror, as the Cni component's manifest install reads it. */
function calicoManifest(): Doc[] | undefined {
    const mirror = chartMirror();
    if (mirror === undefined) return undefined;
    const text = readFileSync(join(mirror, "calico-manifest-3.31.7", "calico.yaml"), "utf8");
    return parseAllDocuments(text)
        .map((d) => d.toJSON() as Doc)
        .filter((d) => d !== null);
}

const env = (objects: Doc[]) => {
    const node = objects.find((o) => o.kind === "DaemonSet" && o.metadata?.name === "calico-node")!;
    const container = node.spec!.template.spec.containers.find((c) => c.name === "calico-node")!;
    return { vars: Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])), probe: container.livenessProbe?.exec?.command ?? [] };
};

describe("cluster: Calico's manifest set as data (no sed), the operator's values, Cilium's values", function () {
    let manifest: Doc[] = [];
    before(function () {
        const found = calicoManifest();
        if (found === undefined && inCI()) throw new Error("cannot run in CI: no chart mirror (shared/charts beside the repository, or NETPLUMB_CHART_MIRROR)");
        if (found === undefined) this.skip();
        manifest = found!;
    });

    it("the guide's edit: CALICO_IPV4POOL_CIDR set on calico-node, the manifest's IPIP kept by default, nothing else touched", () => {
        const patched = manifest.map((o) => patchCalicoManifest(o, { podCidr: "10.244.0.0/16" }) as Doc);
        const { vars, probe } = env(patched);
        assert.equal(vars.CALICO_IPV4POOL_CIDR, "10.244.0.0/16");
        assert.equal(vars.CALICO_IPV4POOL_IPIP, "Always");
        assert.equal(vars.CALICO_IPV4POOL_VXLAN, "Never");
        assert.ok(probe.includes("-bird-live"), "BGP mode keeps BIRD's probe");
        const untouched = (o: Doc) => !(o.kind === "DaemonSet" && o.metadata?.name === "calico-node");
        assert.deepEqual(patched.filter(untouched), manifest.filter(untouched));
        assert.equal(env(manifest).vars.CALICO_IPV4POOL_CIDR, undefined, "the input objects are not modified");
    });

    it("VXLAN with an MTU: VXLAN Always, calico_backend vxlan, BIRD's probes dropped, veth_mtu set", () => {
        const patched = manifest.map(
            (o) => patchCalicoManifest(o, { podCidr: "10.244.0.0/16", poolCidr: "10.244.64.0/18", encapsulation: "VXLAN", mtu: 1450 }) as Doc,
        );
        const { vars, probe } = env(patched);
        assert.deepEqual([vars.CALICO_IPV4POOL_CIDR, vars.CALICO_IPV4POOL_VXLAN, vars.CALICO_IPV4POOL_IPIP], ["10.244.64.0/18", "Always", "Never"]);
        assert.ok(!probe.includes("-bird-live"));
        const config = patched.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "calico-config")!;
        assert.deepEqual([config.data!.veth_mtu, config.data!.calico_backend], ["1450", "vxlan"]);
    });

    it("the manifest has no eBPF switch: bpf is refused for it, naming the operator", () => {
        assert.deepEqual(
            checkCalicoManifest({ podCidr: "10.244.0.0/16", bpf: true }, "cni.calico").all.map((f) => f.property),
            ["cni.calico.bpf"],
        );
    });

    it("the operator's chart values carry the Installation spec", () => {
        const values = calicoOperatorValues({ podCidr: "10.244.0.0/16", bpf: true }) as {
            installation: { enabled: boolean; calicoNetwork: { linuxDataplane: string } };
        };
        assert.equal(values.installation.enabled, true);
        assert.equal(values.installation.calicoNetwork.linuxDataplane, "BPF");
    });

    it("Cilium: cluster-pool IPAM with the pod network, tunnel or native routing", () => {
        assert.deepEqual(ciliumValues({ podCidr: "10.0.0.0/16" }), {
            ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: ["10.0.0.0/16"] } },
            routingMode: "tunnel",
            tunnelProtocol: "vxlan",
            kubeProxyReplacement: false,
        });
        assert.equal((ciliumValues({ podCidr: "10.0.0.0/16", routing: "native" }) as { ipv4NativeRoutingCIDR: string }).ipv4NativeRoutingCIDR, "10.0.0.0/16");
        assert.deepEqual(
            checkCilium({ podCidr: "10.0.0.0/33", routing: "gre" as "vxlan" }, "cni.cilium").all.map((f) => f.property),
            ["cni.cilium.podCidr", "cni.cilium.routing"],
        );
    });
});

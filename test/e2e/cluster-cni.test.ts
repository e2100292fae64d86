import { strict as assert } from "assert";
import { POD_CIDR, TestCluster } from "../support/cluster";
import { ClusterProject, requireChartSuite } from "../support/cluster-project";
import { summarize } from "../support/engine";
import { runTag } from "../support/suite";

type Env = { name: string; value?: string };

/**
 * The Cni component's other installs on the real API server (Calico and
 * Flannel do not run on these machines; kwok's nodes run their DaemonSets'
 * pods as simulated pods, so Pulumi's await logic runs as for users):
 * Calico's manifest with the pod network set as data, Flannel's chart with
 * its network config; an MTU change previews as the one object that holds
 * it; destroy leaves every kind as before.
 */
describe("e2e: Cni (Calico's manifest, Flannel's chart) on the test cluster", function () {
    this.timeout(20 * 60 * 1000);
    const tag = runTag();
    const cluster = new TestCluster(tag);
    let project: ClusterProject | undefined;
    const cni = () => project!;
    let kindsBefore: Map<string, string[]>;

    before(async function () {
        const mirror = requireChartSuite(this);
        await cluster.start(["node-1"]);
        kindsBefore = cluster.objectsByKind();
        project = new ClusterProject(cluster, "cluster-cni", "netplumb-cluster-cni", `cni-${tag}`, { pack: true });
        cni().ok("config", "set", "chartMirror", mirror);
        cni().ok("config", "set", "podCidr", POD_CIDR);
    });

    after(() => {
        project?.dispose();
        cluster.stop();
    });

    it("Calico's manifest: calico-node gets the pod network, VXLAN and the MTU as data; an MTU change previews as a replace of calico-config alone", () => {
        cni().ok("config", "set", "plugin", "calico-manifest");
        cni().ok("config", "set", "mtu", "1450");
        cni().ok("up", "--yes", "--skip-preview");
        const node = JSON.parse(cluster.kubectl("-n", "kube-system", "get", "daemonset", "calico-node", "-o", "json")) as {
            spec: { template: { spec: { containers: Array<{ name: string; env: Env[] }> } } };
        };
        const env = Object.fromEntries(node.spec.template.spec.containers.find((c) => c.name === "calico-node")!.env.map((e) => [e.name, e.value]));
        assert.deepEqual([env.CALICO_IPV4POOL_CIDR, env.CALICO_IPV4POOL_VXLAN, env.CALICO_IPV4POOL_IPIP], [POD_CIDR, "Always", "Never"]);
        const config = cluster.kubectl("-n", "kube-system", "get", "configmap", "calico-config", "-o", "jsonpath={.data.veth_mtu} {.data.calico_backend}");
        assert.equal(config, "1450 vxlan");
        cni().ok("config", "set", "mtu", "1400");
        // The Kubernetes provider replaces a ConfigMap whose data changes (unless enableConfigMapMutable), so workloads roll.
        assert.deepEqual(summarize(cni().changes()), [["cni-kube-system/calico-config", "replace", ["data"]]]);
        cni().ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(cluster.objectsByKind(), kindsBefore);
    });

    it("Flannel's chart: its network config holds the pod network, host-gw and the MTU; destroy leaves every kind as before", () => {
        cni().ok("config", "set", "plugin", "flannel");
        cni().ok("config", "set", "mtu", "1450");
        cni().ok("up", "--yes", "--skip-preview");
        const netConf = JSON.parse(cluster.kubectl("-n", "kube-flannel", "get", "configmap", "kube-flannel-cfg", "-o", "jsonpath={.data.net-conf\\.json}")) as {
            Network: string;
            Backend: { Type: string };
        };
        assert.deepEqual([netConf.Network, netConf.Backend.Type], [POD_CIDR, "host-gw"]);
        assert.ok(cluster.tryKubectl(["-n", "kube-flannel", "get", "daemonset", "-o", "name"])?.includes("daemonset.apps/kube-flannel-ds"));
        cni().ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(cluster.objectsByKind(), kindsBefore);
        assert.equal(cluster.kubectl("get", "--raw", "/readyz"), "ok");
    });
});

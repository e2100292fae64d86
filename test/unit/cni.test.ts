import { strict as assert } from "assert";
import { CalicoEncapsulation, calicoInstallation, checkCalico, checkFlannel, flannelValues } from "../../sdk/model/cluster/cni";

const reasons = (failures: ReturnType<typeof checkCalico>) => Object.fromEntries(failures.all.map((f) => [f.property, f.reason]));

describe("cluster: CNI (Calico through its operator, Flannel) from typed inputs", () => {
    it("Calico: one Installation with the pool, encapsulation, NAT, block size, MTU and dataplane", () => {
        assert.deepEqual(checkCalico({ podCidr: "10.244.0.0/16" }).all, []);
        assert.deepEqual(calicoInstallation({ podCidr: "10.244.0.0/16" }), {
            apiVersion: "operator.tigera.io/v1",
            kind: "Installation",
            metadata: { name: "default" },
            spec: {
                calicoNetwork: {
                    ipPools: [
                        {
                            name: "default-ipv4-ippool",
                            cidr: "10.244.0.0/16",
                            encapsulation: "VXLAN",
                            natOutgoing: "Enabled",
                            blockSize: 26,
                            nodeSelector: "all()",
                        },
                    ],
                    linuxDataplane: "Iptables",
                },
            },
        });
        const bpf = calicoInstallation({
            podCidr: "10.244.0.0/16",
            poolCidr: "10.244.0.0/17",
            encapsulation: "IPIP",
            mtu: 1440,
            bpf: true,
            natOutgoing: false,
            blockSize: 24,
        });
        assert.deepEqual((bpf.spec as { calicoNetwork: unknown }).calicoNetwork, {
            ipPools: [
                { name: "default-ipv4-ippool", cidr: "10.244.0.0/17", encapsulation: "IPIP", natOutgoing: "Disabled", blockSize: 24, nodeSelector: "all()" },
            ],
            mtu: 1440,
            linuxDataplane: "BPF",
        });
    });

    it("Calico: a pool outside the pod network, a bad encapsulation, MTU or block size fail, naming property, value and fix", () => {
        const r = reasons(
            checkCalico({ podCidr: "10.244.0.0/16", poolCidr: "10.245.0.0/24", encapsulation: "GRE" as CalicoEncapsulation, mtu: 100, blockSize: 40 }, "cni"),
        );
        assert.match(r["cni.poolCidr"], /"10\.245\.0\.0\/24" is not inside podCidr \(10\.244\.0\.0\/16\)/);
        assert.match(r["cni.encapsulation"], /"GRE" is not one of VXLAN, VXLANCrossSubnet, IPIP, IPIPCrossSubnet, None/);
        assert.match(r["cni.mtu"], /100 is not a usable pod MTU; use 576 to 9000/);
        assert.match(r["cni.blockSize"], /40 is not a block size/);
        assert.match(reasons(checkCalico({ podCidr: "10.244.0.1/16" }))["podCidr"], /host bits set; use the network 10\.244\.0\.0\/16/);
    });

    it("Flannel: the chart's values; a bad backend fails", () => {
        assert.deepEqual(flannelValues({ podCidr: "10.244.0.0/16" }), { podCidr: "10.244.0.0/16", flannel: { backend: "vxlan" } });
        assert.deepEqual(flannelValues({ podCidr: "10.244.0.0/16", backend: "host-gw", mtu: 1500 }), {
            podCidr: "10.244.0.0/16",
            flannel: { backend: "host-gw", mtu: 1500 },
        });
        assert.deepEqual(checkFlannel({ podCidr: "10.244.0.0/16", backend: "host-gw" }).all, []);
        assert.match(checkFlannel({ podCidr: "10.244.0.0/16", backend: "udp" as "vxlan" }).all[0].reason, /"udp" is neither "vxlan" nor "host-gw"/);
    });
});

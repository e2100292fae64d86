import { strict as assert } from "assert";
import { reasonsByProperty } from "../support/failures";
import { ClusterAddressing, checkAddressing, defaultDnsAddress } from "../../sdk/model/cluster/addressing";
import { cidrError, overlaps, poolEntryError, poolEntryRange } from "../../sdk/model/cluster/cidrs";

const good: ClusterAddressing = {
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
    dnsServiceAddress: "10.96.0.10",
    nodeCidr: "192.168.10.0/24",
    nodeAddresses: ["192.168.10.11", "192.168.10.12"],
    pools: { public: ["192.168.10.240-192.168.10.250"], extra: ["198.51.100.0/28"] },
    ipPools: ["10.244.0.0/17"],
};

const reasons = (input: ClusterAddressing) => reasonsByProperty(checkAddressing(input, "cluster").all);

describe("cluster: address plan checked at preview (ip-num)", () => {
    it("a sound plan passes; kubeadm's DNS address is the tenth of the service network", () => {
        assert.deepEqual(checkAddressing(good).all, []);
        assert.equal(defaultDnsAddress("10.96.0.0/12"), "10.96.0.10");
        assert.equal(defaultDnsAddress("fd00:10:96::/112"), "fd00:10:96::a");
    });

    it("overlapping pod, service and node networks fail on the later property, naming both", () => {
        const r = reasons({ ...good, serviceCidr: "10.244.128.0/20", nodeCidr: "10.0.0.0/8" });
        assert.match(r["cluster.serviceCidr"], /"10\.244\.128\.0\/20" overlaps cluster\.podCidr \(10\.244\.0\.0\/16\)/);
        assert.match(r["cluster.nodeCidr"], /overlaps cluster\.podCidr/);
    });

    it("a DNS address outside the service network, a pool holding a node address, a pool inside the pod network, an IPPool outside it", () => {
        const r = reasons({
            ...good,
            dnsServiceAddress: "10.97.255.10",
            pools: { public: ["192.168.10.10-192.168.10.20"], bad: ["10.244.200.0/24"] },
            ipPools: ["10.245.0.0/24"],
        });
        assert.equal(r["cluster.dnsServiceAddress"], undefined, "10.97.255.10 is inside 10.96.0.0/12");
        assert.match(
            reasons({ ...good, dnsServiceAddress: "10.112.0.10" })["cluster.dnsServiceAddress"],
            /"10\.112\.0\.10" is outside serviceCidr \(10\.96\.0\.0\/12\)/,
        );
        assert.match(r["cluster.pools.public[0]"], /holds node address 192\.168\.10\.11; .* exclude it from the pool/);
        assert.match(r["cluster.pools.bad[0]"], /overlaps cluster\.podCidr/);
        assert.match(r["cluster.ipPools[0]"], /"10\.245\.0\.0\/24" is not inside podCidr \(10\.244\.0\.0\/16\)/);
    });

    it("two pools sharing addresses fail; bad CIDRs, ranges and pool names name the value and the fix", () => {
        const r = reasons({
            ...good,
            podCidr: "10.244.0.1/16",
            pools: { a: ["198.51.100.0/28"], b: ["198.51.100.8-198.51.100.9"], Bad_Name: ["198.51.100.20-198.51.100.10"] },
        });
        assert.match(r["cluster.podCidr"], /has host bits set; use the network 10\.244\.0\.0\/16/);
        assert.match(r["cluster.pools.b[0]"], /overlaps cluster\.pools\.a\[0\]/);
        assert.match(r["cluster.pools.Bad_Name"], /not a DNS-1123 label/);
        assert.match(r["cluster.pools.Bad_Name[0]"], /ends before it starts/);
        assert.match(cidrError("banana") ?? "", /is not a CIDR such as/);
        assert.match(poolEntryError("198.51.100.1-2001:db8::1") ?? "", /both ends of one family/);
    });

    it("ranges compare by family and inclusive ends", () => {
        assert.equal(overlaps(poolEntryRange("198.51.100.0/30"), poolEntryRange("198.51.100.3-198.51.100.9")), true);
        assert.equal(overlaps(poolEntryRange("198.51.100.0/30"), poolEntryRange("198.51.100.4-198.51.100.9")), false);
        assert.equal(overlaps(poolEntryRange("2001:db8::/64"), poolEntryRange("198.51.100.0/24")), false);
    });
});

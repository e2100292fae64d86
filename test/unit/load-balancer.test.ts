import { strict as assert } from "assert";
import { reasonsByProperty } from "../support/failures";
import { LoadBalancerInput, checkLoadBalancer, compileLoadBalancer } from "../../sdk/model/cluster/load-balancer";

const l2: LoadBalancerInput = {
    pools: { public: ["192.168.10.240-192.168.10.250"], internal: ["198.51.100.0/28"] },
    nodeAddresses: ["192.168.10.11"],
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
};

const reasons = (input: LoadBalancerInput) => reasonsByProperty(checkLoadBalancer(input, "lb").all);

describe("cluster: LoadBalancer (MetalLB) objects and their checks", () => {
    it("L2: the pools, then one L2Advertisement naming them all, in metallb-system", () => {
        assert.deepEqual(checkLoadBalancer(l2).all, []);
        assert.deepEqual(compileLoadBalancer(l2), [
            {
                apiVersion: "metallb.io/v1beta1",
                kind: "IPAddressPool",
                metadata: { name: "internal", namespace: "metallb-system" },
                spec: { addresses: ["198.51.100.0/28"] },
            },
            {
                apiVersion: "metallb.io/v1beta1",
                kind: "IPAddressPool",
                metadata: { name: "public", namespace: "metallb-system" },
                spec: { addresses: ["192.168.10.240-192.168.10.250"] },
            },
            {
                apiVersion: "metallb.io/v1beta1",
                kind: "L2Advertisement",
                metadata: { name: "netplumb", namespace: "metallb-system" },
                spec: { ipAddressPools: ["internal", "public"] },
            },
        ]);
    });

    it("BGP: a BGPAdvertisement and one BGPPeer per neighbour", () => {
        const bgp: LoadBalancerInput = { ...l2, mode: "bgp", peers: [{ peerAddress: "192.168.10.1", peerASN: 64500, myASN: 64501 }] };
        assert.deepEqual(checkLoadBalancer(bgp).all, []);
        const kinds = compileLoadBalancer(bgp).map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`);
        assert.deepEqual(kinds, [
            "metallb.io/v1beta1 IPAddressPool internal",
            "metallb.io/v1beta1 IPAddressPool public",
            "metallb.io/v1beta1 BGPAdvertisement netplumb",
            "metallb.io/v1beta2 BGPPeer peer-0",
        ]);
        assert.deepEqual(compileLoadBalancer(bgp)[3].spec, { myASN: 64501, peerASN: 64500, peerAddress: "192.168.10.1" });
    });

    it("what MetalLB's webhook would reject fails at preview: bad entries and overlapping pools", () => {
        const r = reasons({ pools: { a: ["198.51.100.0/28"], b: ["198.51.100.5-198.51.100.9"], c: ["198.51.100.300/32"] } });
        assert.match(r["lb.pools.b[0]"], /overlaps lb\.pools\.a\[0\]/);
        assert.match(r["lb.pools.c[0]"], /is not a CIDR such as/);
        assert.equal(r["lb.podCidr"], undefined, "networks not given are not checked");
    });

    it("what the webhook cannot know fails too: a node address, the pod network, mode and peers, AS numbers", () => {
        const r = reasons({
            ...l2,
            pools: { public: ["192.168.10.0/24"], pods: ["10.244.1.0/24"] },
            mode: "bgp",
            peers: [{ peerAddress: "router", peerASN: 0, myASN: 4294967296, peerPort: 70000 }],
        });
        assert.match(r["lb.pools.public[0]"], /holds node address 192\.168\.10\.11/);
        assert.match(r["lb.pools.pods[0]"], /overlaps lb\.podCidr/);
        assert.match(r["lb.peers[0].peerAddress"], /"router" is not an IPv4 or IPv6 address/);
        assert.match(r["lb.peers[0].peerASN"], /0 is not an AS number/);
        assert.match(r["lb.peers[0].myASN"], /4294967296 is not an AS number/);
        assert.match(r["lb.peers[0].peerPort"], /70000 is not a port/);
        assert.match(reasons({ ...l2, mode: "bgp" })["lb.peers"], /needs at least one peer/);
        assert.match(reasons({ ...l2, peers: [{ peerAddress: "192.168.10.1", peerASN: 1, myASN: 2 }] })["lb.peers"], /peers are for mode "bgp"/);
        assert.match(reasons({ pools: {} })["lb.pools"], /no pool given/);
    });
});

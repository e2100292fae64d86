import { strict as assert } from "assert";
import { FirewallSpec, checkFirewall } from "../../sdk/model/firewall";

/**
 * Member i's Firewall in `table` on host namespace `netns`: chains `m<i>`,
 * owner `<ownerPrefix>/m<i>`, deny both ways, one bridge port. Checked, so a
 * fixture that stopped passing `check` fails the test that uses it.
 */
export function memberFirewall(i: number, netns: string, table: string, ownerPrefix: string): FirewallSpec {
    const { spec, failures } = checkFirewall({
        host: { netns },
        owner: `${ownerPrefix}/m${i}`,
        adopt: false,
        table,
        chains: `m${i}`,
        bridge: "br0",
        masquerade: [],
        members: [{ name: `m${i}`, address: `198.51.100.${10 + i}`, egress: "deny", ingress: "deny", port: { name: `v${i}`, mac: "02:00:00:00:00:01" } }],
    });
    assert.deepEqual(failures, []);
    return spec;
}

import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { checkFirewall, ruleComment, stackTableName } from "../../sdk/model/firewall";
import { applyScript, createScript, planFirewall, removeScript } from "../../sdk/model/nft-script";
import { checkPortForward, planPortForward } from "../../sdk/model/port-forward";

const golden = (name: string) => readFileSync(join(__dirname, "golden", name), "utf8");
const managed = { owner: "netplumb:proj/dev/lab-blue-policy", host: {}, adopt: false };

describe("model: policy to nftables (golden scripts)", () => {
    it("compiles allow / deny / allow-list members and masquerade into one transaction", () => {
        const { spec, failures } = checkFirewall({
            ...managed,
            table: "netplumb_proj_dev",
            chains: "lab_blue",
            bridge: "br-lab",
            masquerade: [{ source: "198.51.100.0/24", outInterface: "wan0" }],
            members: [
                { name: "red", address: "198.51.100.4", egress: "allow" },
                {
                    name: "blue",
                    address: "198.51.100.2",
                    egress: [{ protocol: "tcp", ports: [80, 443] }, { protocol: "udp", ports: [53] }, { protocol: "icmp" }],
                    ingress: [{ protocol: "tcp", ports: [22] }],
                    port: { name: "vlab-blue", mac: "02:00:5E:00:53:02" },
                },
                { name: "green", address: "2001:db8::3", egress: "deny", ingress: "deny", port: { name: "vlab-green", mac: "02:00:5e:00:53:03" } },
            ],
        });
        assert.deepEqual(failures, []);
        assert.equal(applyScript(spec.table, spec.owner, planFirewall(spec)), golden("firewall.nft"));
        assert.equal(removeScript(spec.table, planFirewall(spec)), golden("firewall-remove.nft"));
        const fresh = createScript(spec.table, spec.owner, planFirewall(spec));
        const asApplied = applyScript(spec.table, spec.owner, planFirewall(spec))
            .split("\n")
            .filter((l) => !l.startsWith("flush chain "));
        assert.deepEqual(
            fresh.split("\n"),
            asApplied.map((l) => l.replace(/^add chain /, "create chain ")),
            "a first create: the same rules, chains that must not exist yet",
        );
    });

    it("compiles a port forward for the uplink and for the host's own connections", () => {
        const { spec, failures } = checkPortForward({
            ...managed,
            table: "netplumb_proj_dev",
            chains: "lab_red_pf",
            protocol: "tcp",
            hostPort: 8080,
            inInterface: "wan0",
            toAddress: "198.51.100.4",
            toPort: 80,
            fromHost: true,
        });
        assert.deepEqual(failures, []);
        assert.equal(applyScript(spec.table, spec.owner, planPortForward(spec)), golden("port-forward.nft"));
    });

    it("has no forward chain without members and no NAT chain without masquerade", () => {
        const { spec } = checkFirewall({
            ...managed,
            table: "t",
            chains: "c",
            bridge: "br0",
            masquerade: [{ source: "192.0.2.0/24", notOutInterface: "br0" }],
        });
        assert.deepEqual(
            planFirewall(spec).map((c) => c.name),
            ["c_postrouting"],
        );
        assert.deepEqual(planFirewall(spec)[0].rules, ['ip saddr 192.0.2.0/24 oifname != "br0" masquerade']);
    });

    const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
        [
            "an unknown protocol",
            { members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "sctp" }] }] },
            "members[0].egress[0].protocol",
            /"sctp" is not supported/,
        ],
        [
            "port 0",
            { members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "tcp", ports: [0] }] }] },
            "members[0].egress[0].ports[0]",
            /port 0 is not a whole number from 1 to 65535/,
        ],
        [
            "port 70000",
            { members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "udp", ports: [70000] }] }] },
            "members[0].egress[0].ports[0]",
            /70000/,
        ],
        [
            "icmp with ports",
            { members: [{ name: "a", address: "192.0.2.2", egress: [{ protocol: "icmp", ports: [1] }] }] },
            "members[0].egress[0].ports",
            /icmp has no ports/,
        ],
        ["a policy word", { members: [{ name: "a", address: "192.0.2.2", egress: "maybe" }] }, "members[0].egress", /"maybe" is not "allow", "deny" or a list/],
        [
            "a duplicate address",
            {
                members: [
                    { name: "a", address: "192.0.2.2" },
                    { name: "b", address: "192.0.2.2" },
                ],
            },
            "members[1].address",
            /also "a"'s/,
        ],
        ["a bad table name", { table: "my table; flush ruleset" }, "table", /not a valid nftables name/],
        ["a masquerade source with host bits", { masquerade: [{ source: "192.0.2.1/24" }] }, "masquerade[0].source", /host bits set/],
    ];
    for (const [label, input, property, why] of bad) {
        it(`rejects ${label}, naming ${property}`, () => {
            const { failures } = checkFirewall({ ...managed, table: "t", chains: "c", bridge: "br0", ...input });
            const f = failures.find((x) => x.property === property);
            assert.ok(f, JSON.stringify(failures));
            assert.match(f.reason, why);
        });
    }

    it("names tables after the stack and bounds comments", () => {
        assert.equal(stackTableName("my-proj", "dev.1"), "netplumb_my_proj_dev_1");
        assert.ok(stackTableName("p".repeat(80), "s").length <= 64);
        assert.ok(ruleComment("netplumb:" + "x".repeat(200)).length <= 128);
    });
});

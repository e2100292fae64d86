import { strict as assert } from "assert";
import { beginCreate, endCreate, intentPath } from "../../sdk/kernel/intent";
import { OwnershipError, claimExisting } from "../../sdk/kernel/ownership";
import { guardRules, linkLocalOf } from "../../sdk/model/nft-script";
import { RecordingHost, installHost } from "../support/recording-host";

describe("crash safety: the write-ahead record of a create", () => {
    it("a first create writes the record before anything else and reports that it is not resuming", async () => {
        const host = new RecordingHost((c) => (c.argv[0] === "cat" ? { code: 1, stderr: "cat: x: No such file or directory" } : undefined));
        const restore = installHost(host);
        try {
            assert.equal(await beginCreate({ host: {}, owner: "netplumb:p/s/a b" }), false);
            await endCreate({ host: {}, owner: "netplumb:p/s/a b" });
        } finally {
            restore();
        }
        const lines = host.lines();
        assert.equal(intentPath("netplumb:p/s/a b"), "/run/netplumb/creating/netplumb_p_s_a_b");
        assert.ok(lines.includes("tee /run/netplumb/creating/netplumb_p_s_a_b.netplumb-tmp"), lines.join("\n"));
        assert.ok(lines.includes("rm -f /run/netplumb/creating/netplumb_p_s_a_b /run/netplumb/creating/netplumb_p_s_a_b.netplumb-tmp"), lines.join("\n"));
    });

    it("a create that finds its own record resumes and writes nothing more", async () => {
        const host = new RecordingHost((c) => (c.argv[0] === "cat" ? { stdout: "netplumb:p/s/a\n" } : undefined));
        const restore = installHost(host);
        try {
            assert.equal(await beginCreate({ host: {}, owner: "netplumb:p/s/a" }), true);
        } finally {
            restore();
        }
        assert.deepEqual(host.lines(), ["cat /run/netplumb/creating/netplumb_p_s_a"]);
    });

    it("an untagged object is this resource's only when its create resumes; a foreign tag never is", () => {
        assert.equal(claimExisting("x", "netplumb:p/s/a", "netplumb:p/s/a", false), "ours");
        assert.equal(claimExisting("x", undefined, "netplumb:p/s/a", false, true), "ours");
        assert.throws(() => claimExisting("x", undefined, "netplumb:p/s/a", false, false), OwnershipError);
        assert.throws(() => claimExisting("x", "netplumb:p/s/b", "netplumb:p/s/a", true, true), /belongs to another netplumb resource/);
        assert.throws(() => claimExisting("x", "someone else's", "netplumb:p/s/a", false, true), /not managed by this stack/);
    });
});

describe("anti-spoofing: a member's port guard", () => {
    it("derives the link-local address the kernel gives a MAC (modified EUI-64)", () => {
        assert.equal(linkLocalOf("02:00:5e:00:53:03"), "fe80::5eff:fe00:5303");
        assert.equal(linkLocalOf("aa:bb:cc:dd:ee:ff"), "fe80::a8bb:ccff:fedd:eeff");
    });

    it("admits only the member's MAC and address, and no other protocol, from its port", () => {
        const rules = guardRules({ name: "blue", address: "198.51.100.2", egress: "allow", port: { name: "vblue", mac: "02:00:5e:00:53:02" } });
        assert.deepEqual(rules, [
            'iifname "vblue" ether saddr != 02:00:5e:00:53:02 drop',
            'iifname "vblue" ether type arp arp saddr ether != 02:00:5e:00:53:02 drop',
            'iifname "vblue" ether type arp arp saddr ip != 198.51.100.2 drop',
            'iifname "vblue" ether type ip ip saddr != 198.51.100.2 drop',
            'iifname "vblue" ether type != { ip, arp } drop',
        ]);
        assert.deepEqual(guardRules({ name: "x", address: "198.51.100.3", egress: "allow" }), [], "no port: no guard (a plain Firewall member)");
    });
});

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { existsSync, readFileSync, writeFileSync } from "fs";
import * as members from "../../sdk/kernel/lab-member";
import { STORE } from "../../sdk/kernel/allocation";
import { LabMemberSpec, checkLabMember } from "../../sdk/model/lab-member";
import { Sandbox, ip, links, namespaces } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

const nftRules = (ns: string, table: string) =>
    execFileSync("ip", ["netns", "exec", ns, "nft", "-a", "list", "table", "inet", table], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

describe("kernel: a lab member as one resource (root)", function () {
    let sbx: Sandbox;
    const table = `netplumb_itest_${process.pid}`;

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces and nftables need root");
        requireOrSkip(this, hasCommand("nft"), "nftables (nft) is not installed");
        sbx = new Sandbox();
        ip("-n", sbx.host, "link", "add", "br0", "type", "bridge");
        ip("-n", sbx.host, "address", "add", "198.51.100.1/24", "dev", "br0");
        ip("-n", sbx.host, "link", "set", "br0", "up");
    });
    after(() => sbx?.destroy());

    const spec = (extra: Record<string, unknown> = {}): LabMemberSpec => {
        const result = checkLabMember({
            host: { netns: sbx.host },
            owner: `netplumb:itest/run/m-${sbx.tag}`,
            adopt: false,
            pool: `itest_${sbx.tag}`,
            subnet: "198.51.100.0/24",
            gateway: "198.51.100.1",
            member: "blue",
            namespace: sbx.name("blue"),
            hostInterface: `vb${sbx.tag}`,
            interface: "eth0",
            bridge: "br0",
            mtu: 1400,
            table,
            chains: "lab_blue",
            egress: [{ protocol: "tcp", ports: [80] }],
            ingress: "allow",
            nameservers: ["203.0.113.1"],
            search: [],
            ...extra,
        });
        assert.deepEqual(result.failures, []);
        return result.spec;
    };

    it("creates every part, reads back clean, reports each drift, repairs it and removes it all", async () => {
        const s = spec();
        const state = await members.createLabMember(s);
        assert.equal(state.allocated, "198.51.100.2");
        const again = await members.createLabMember(s);
        assert.equal(again.allocated, state.allocated, "a repeated create (interrupted run) keeps the address");
        assert.ok(namespaces().includes(s.namespace));
        assert.match(ip("-n", s.namespace, "route", "show", "default"), /via 198\.51\.100\.1 dev eth0/);
        assert.match(ip("-n", sbx.host, "link", "show", s.hostInterface), /master br0/);
        assert.match(nftRules(sbx.host, table), /lab_blue/);
        assert.match(readFileSync(`/etc/netns/${s.namespace}/resolv.conf`, "utf8"), /nameserver 203\.0\.113\.1/);
        const clean = await members.readLabMember(state);
        assert.equal(clean?.drift, undefined);
        assert.equal(clean?.mtu, 1400);

        ip("-n", s.namespace, "link", "set", "eth0", "mtu", "1300");
        writeFileSync(`/etc/netns/${s.namespace}/resolv.conf`, "nameserver 192.0.2.53\n");
        ip("-n", s.namespace, "route", "del", "default");
        const drifted = await members.readLabMember(state);
        assert.equal(drifted?.mtu, 1300);
        assert.deepEqual(drifted?.nameservers, ["192.0.2.53"]);
        assert.match(drifted?.drift ?? "", /default route via 198\.51\.100\.1 is missing/);

        ip("-n", sbx.host, "link", "del", s.hostInterface);
        assert.match((await members.readLabMember(state))?.drift ?? "", /veth .* is missing/);
        const repaired = await members.updateLabMember(drifted, s);
        const after = await members.readLabMember(repaired);
        assert.equal(after?.drift, undefined);
        assert.equal(after?.mtu, 1400);
        assert.deepEqual(after?.nameservers, ["203.0.113.1"]);

        const changed = await members.updateLabMember(repaired, spec({ egress: "deny", nameservers: [] }));
        assert.doesNotMatch(nftRules(sbx.host, table), /dport 80/);
        assert.equal(existsSync(`/etc/netns/${s.namespace}/resolv.conf`), false, "no nameservers: the file is removed again");

        await members.deleteLabMember(changed);
        await members.deleteLabMember(changed);
        assert.ok(!namespaces().includes(s.namespace));
        assert.deepEqual(
            links(sbx.host).filter((l) => l === s.hostInterface),
            [],
        );
        assert.equal(existsSync(`${STORE}/itest_${sbx.tag}`), false);
        assert.throws(() => nftRules(sbx.host, table), /No such file or directory|does not exist/);
        assert.equal(await members.readLabMember(changed), undefined);
    });

    it("a create that fails part-way removes what it made", async () => {
        const s = spec({ hostInterface: "br0" });
        await assert.rejects(members.createLabMember(s), /br0/);
        assert.ok(!namespaces().includes(s.namespace), "the namespace is removed again");
        assert.equal(existsSync(`${STORE}/itest_${sbx.tag}`), false, "the address is released");
        assert.match(ip("-n", sbx.host, "-d", "link", "show", "br0"), /bridge/, "the existing bridge is untouched");
    });

    it("a failed create leaves a namespace it found (carrying the same tag) in place", async () => {
        const s = spec({ namespace: sbx.name("found"), hostInterface: "br0" });
        ip("netns", "add", s.namespace);
        ip("-n", s.namespace, "link", "set", "dev", "lo", "alias", s.owner);
        await assert.rejects(members.createLabMember(s), /br0/);
        assert.ok(namespaces().includes(s.namespace), "the namespace it did not make is still there");
    });
});

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { existsSync, readFileSync, readdirSync } from "fs";
import bridgeProvider = require("../../providers/bridge");
import labMemberProvider = require("../../providers/lab-member");
import sysctlProvider = require("../../providers/sysctl");
import { STORE } from "../../sdk/kernel/allocation";
import { SYSCTL_DIR } from "../../sdk/kernel/sysctl-holders";
import { ruleComment } from "../../sdk/model/firewall";
import { ownerTag } from "../../sdk/model/ownership";
import { removeLeftovers } from "../support/leftovers";
import { Sandbox, ip, links, namespaces } from "../support/sandbox";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

type Props = Record<string, unknown>;

const aliasOf = (ns: string, dev: string) => (JSON.parse(ip("-n", ns, "-j", "link", "show", "dev", dev)) as Array<{ ifalias?: string }>)[0].ifalias;
const ruleComments = (ns: string, table: string) => {
    const listed = JSON.parse(execFileSync("ip", ["netns", "exec", ns, "nft", "-j", "list", "table", "inet", table], { encoding: "utf8" })) as {
        nftables: Array<{ rule?: { comment?: string } }>;
    };
    return [...new Set(listed.nftables.filter((o) => o.rule).map((o) => o.rule!.comment))];
};

/** Runs a provider's check, then create or update, as the engine does. */
async function apply(provider: typeof bridgeProvider, olds: Props | undefined, raw: Props): Promise<Props> {
    const checked = await provider.check!(olds ?? {}, raw);
    assert.deepEqual(checked.failures, []);
    if (olds === undefined) return (await provider.create(checked.inputs)).outs as Props;
    const diff = await provider.diff!("id", olds, checked.inputs);
    assert.equal(diff.changes, true, "a 0.1 tag previews as an update");
    assert.deepEqual(diff.replaces, [], "and never as a replace");
    const updated = await provider.update!("id", olds, checked.inputs);
    return { ...(checked.inputs as Props), ...(updated.outs as Props) };
}

/**
 * Upgrading a stack made by netplumb 0.1 (tags without a stack id): the next
 * update re-tags every object in place (nothing is recreated, no address
 * moves), and a delete under the new tag leaves nothing behind.
 */
describe("kernel: objects tagged by netplumb 0.1 are re-tagged in place (root)", function () {
    let sbx: Sandbox;
    let baseline: MachineSnapshot;
    const stackId = "0123456789ab";
    const legacy = (resource: string) => ownerTag("itest", "retag", resource);
    const current = (resource: string) => ownerTag("itest", "retag", resource, stackId);

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces and nftables need root");
        requireOrSkip(this, hasCommand("nft"), "nftables (nft) is not installed");
        baseline = machineSnapshot();
        sbx = new Sandbox();
    });
    // By name, whatever the test reached: namespaces, /etc/netns files, the pool and the sysctl holders.
    after(() => {
        sbx?.destroy();
        if (sbx) removeLeftovers({ prefix: `${sbx.prefix}-${sbx.tag}`, stacks: [`retag-${sbx.tag}`] }, baseline);
    });

    it("a bridge, a sysctl holder and a lab member (namespace, veth, address claim, chains, resolv.conf) move to the new tag", async () => {
        const host = { netns: sbx.host };
        const table = `netplumb_itest_${sbx.tag}`;
        const pool = `itest_retag-${sbx.tag}_lab`;
        const bridge = { host, adopt: false, name: "br0", addresses: ["198.51.100.1/24"] };
        const sysctl = { host, adopt: false, key: "net.ipv4.ip_forward", value: "1" };
        const member = {
            host,
            adopt: false,
            member: "red",
            namespace: sbx.name("red"),
            hostInterface: `vr${sbx.tag}`,
            interface: "eth0",
            bridge: "br0",
            pool,
            subnet: "198.51.100.0/24",
            gateway: "198.51.100.1",
            table,
            chains: "lab_red",
            egress: [{ protocol: "tcp", ports: [443] }],
            ingress: "allow",
            nameservers: ["203.0.113.1"],
            search: [],
            portForwards: [],
        };

        const oldBridge = await apply(bridgeProvider, undefined, { ...bridge, owner: legacy("br") });
        const oldSysctl = await apply(sysctlProvider, undefined, { ...sysctl, owner: legacy("fwd") });
        const oldMember = await apply(labMemberProvider, undefined, { ...member, owner: legacy("red") });
        assert.equal(aliasOf(sbx.host, "br0"), legacy("br"));
        assert.equal(aliasOf(member.namespace, "lo"), legacy("red"));

        const newBridge = await apply(bridgeProvider, oldBridge, { ...bridge, owner: current("br") });
        const newSysctl = await apply(sysctlProvider, oldSysctl, { ...sysctl, owner: current("fwd") });
        // The program now computes the table and pool with the stack id; the member keeps its 0.1 names.
        const newMember = await apply(labMemberProvider, oldMember, {
            ...member,
            owner: current("red"),
            table: `${table}_${stackId}`,
            pool: `itest_retag-${sbx.tag}_${stackId}_lab`,
        });

        assert.equal(aliasOf(sbx.host, "br0"), current("br"));
        assert.equal(aliasOf(member.namespace, "lo"), current("red"));
        assert.equal(aliasOf(member.namespace, "eth0"), current("red"));
        assert.equal(aliasOf(sbx.host, member.hostInterface), current("red"));
        assert.deepEqual(ruleComments(sbx.host, table), [ruleComment(current("red"))]);
        assert.equal(newMember.allocated, oldMember.allocated, "the member keeps its address");
        assert.deepEqual([newMember.table, newMember.pool], [table, pool]);
        assert.equal(readFileSync(`${STORE}/${pool}/${String(oldMember.allocated)}/owner`, "utf8").trim(), current("red"));
        assert.deepEqual(readdirSync(`${STORE}/${pool}/by-owner`), [current("red").replace(/[^A-Za-z0-9_.-]/g, "_")]);
        const holders = `${SYSCTL_DIR}/${sbx.host}/net.ipv4.ip_forward/holders`;
        assert.deepEqual(readdirSync(holders), [current("fwd").replace(/[^A-Za-z0-9_.-]/g, "_")]);
        assert.equal((await labMemberProvider.read!("id", newMember)).props.drift, undefined, "refresh finds nothing amiss");

        await labMemberProvider.delete!("id", newMember);
        await sysctlProvider.delete!("id", newSysctl);
        await bridgeProvider.delete!("id", newBridge);
        assert.ok(!namespaces().includes(member.namespace));
        assert.ok(!existsSync(`${STORE}/${pool}`));
        assert.ok(!existsSync(`${SYSCTL_DIR}/${sbx.host}`));
        assert.ok(!links(sbx.host).includes("br0"));
        assert.equal(execFileSync("ip", ["netns", "exec", sbx.host, "sysctl", "-n", "net.ipv4.ip_forward"], { encoding: "utf8" }).trim(), "0");
    });

    it("an object someone else tagged meanwhile is not re-tagged, and the update says whose it is", async () => {
        const host = { netns: sbx.host };
        const bridge = { host, adopt: false, name: "br1", addresses: [] };
        const old = await apply(bridgeProvider, undefined, { ...bridge, owner: legacy("br1") });
        ip("-n", sbx.host, "link", "set", "dev", "br1", "alias", "netplumb:other/stack/br1");
        const checked = await bridgeProvider.check!(old, { ...bridge, owner: current("br1") });
        await assert.rejects(bridgeProvider.update!("id", old, checked.inputs), /carries "netplumb:other\/stack\/br1", not this resource's tag/);
        assert.equal(aliasOf(sbx.host, "br1"), "netplumb:other/stack/br1");
    });
});

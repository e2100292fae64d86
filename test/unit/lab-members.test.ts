import { strict as assert } from "assert";
import provider = require("../../providers/lab-members");
import { createLabMembers, deleteLabMembers } from "../../sdk/kernel/lab-members";
import { LabMembersState, checkLabMembers, entryOf, memberChanges, memberOwner, memberSpecOf } from "../../sdk/model/lab-members";
import { Call, RecordingHost, installHost, recordEachTest } from "../support/recording-host";

const shared = {
    owner: "netplumb:p/s@0123456789ab/lab-members",
    host: { netns: "sbx" },
    adopt: false,
    pool: "p_s_lab",
    subnet: "198.51.100.0/24",
    gateway: "198.51.100.1",
    bridge: "br0",
    table: "netplumb_p_s",
};

const entry = (name: string, extra: Record<string, unknown> = {}) => ({
    namespace: `lab-${name}`,
    hostInterface: `vlab-${name}`,
    interface: "eth0",
    chains: `lab_${name}`,
    ...extra,
});

const valid = { ...shared, members: { red: entry("red", { egress: "deny" }), blue: entry("blue", { address: "198.51.100.9" }) } };

/** A state as create records it: the checked spec plus each member's outputs and the engine's `__provider`. */
function recorded(raw: Record<string, unknown>): LabMembersState & Record<string, unknown> {
    const spec = checkLabMembers(raw).spec;
    const members = Object.fromEntries(
        Object.entries(spec.members).map(([name, e], i) => [name, { ...e, allocated: `198.51.100.${i + 2}`, createdDirectory: false }]),
    );
    return { ...spec, members, __provider: 'exports.handler = () => require("x");\n' };
}

describe("LabMembers: every member of a lab as one resource", () => {
    const calls = recordEachTest();

    it("check fills in each member's defaults and reports nothing for valid inputs", () => {
        const { spec, failures } = checkLabMembers(valid);
        assert.deepEqual(failures, []);
        assert.equal(spec.members.blue.egress, "allow");
        assert.deepEqual(spec.members.red.portForwards, []);
        assert.equal(spec.members.blue.address, "198.51.100.9");
        assert.equal(spec.bridge, "br0");
    });

    it("check names a member's bad property as members.<name>.<property>, a shared one once, and runs nothing", async () => {
        const bad = {
            ...valid,
            table: "1t",
            members: { red: entry("red", { namespace: "a;b", egress: "open" }), blue: entry("blue", { hostInterface: "x".repeat(16) }) },
        };
        const result = await provider.check({}, bad);
        const properties = (result.failures ?? []).map((f) => f.property).sort();
        assert.deepEqual(properties, ["members.blue.hostInterface", "members.red.egress", "members.red.namespace", "table"]);
        assert.match((result.failures ?? []).find((f) => f.property === "members.red.namespace")!.reason, /"a;b"/);
        assert.deepEqual(calls().calls, []);
    });

    it("check refuses no members, and two members sharing a namespace, an interface, chains or an address", () => {
        assert.deepEqual(
            checkLabMembers({ ...shared, members: {} }).failures.map((f) => f.property),
            ["members"],
        );
        const twins = { ...shared, members: { red: entry("red", { address: "198.51.100.9" }), blue: entry("red", { address: "198.51.100.9" }) } };
        assert.deepEqual(
            checkLabMembers(twins)
                .failures.map((f) => f.property)
                .sort(),
            ["members.blue.address", "members.blue.chains", "members.blue.hostInterface", "members.blue.namespace"],
        );
    });

    it("each member is a LabMember spec with its own owner tag, and its entry keeps no shared or engine property", () => {
        const state = recorded(valid);
        const red = memberSpecOf(state, "red");
        assert.equal(red.owner, memberOwner(shared.owner, "red"));
        assert.equal(red.owner, "netplumb:p/s@0123456789ab/lab-members/red");
        assert.equal(red.member, "red");
        assert.equal(red.bridge, "br0");
        assert.deepEqual(Object.keys(entryOf(red)).sort(), [
            "allocated",
            "chains",
            "createdDirectory",
            "egress",
            "hostInterface",
            "ingress",
            "interface",
            "nameservers",
            "namespace",
            "portForwards",
            "search",
        ]);
    });

    it("diff: none when nothing changed (members' outputs and __provider never diff), an update when one member changes, a replace only for a new pool", async () => {
        const olds = recorded(valid);
        const news = { ...checkLabMembers(valid).spec, __provider: olds.__provider };
        assert.equal((await provider.diff("id", olds, news)).changes, false);
        const oneChanged = { ...news, members: { ...news.members, red: { ...news.members.red, egress: "allow" } } };
        assert.deepEqual(await provider.diff("id", olds, oneChanged), { changes: true, replaces: [], deleteBeforeReplace: false });
        const renamed = { ...news, members: { ...news.members, red: { ...news.members.red, namespace: "lab-red2" } } };
        assert.deepEqual((await provider.diff("id", olds, renamed)).replaces, [], "a member's new namespace recreates that member inside the update");
        assert.deepEqual((await provider.diff("id", olds, { ...news, pool: "other" })).replaces, ["pool"]);
    });

    it("an update sorts each member: removed, created, replaced (identity changed), updated (changed or drifted), and leaves the rest alone", () => {
        const previous = recorded({
            ...shared,
            members: { keep: entry("keep"), gone: entry("gone"), moved: entry("moved"), policy: entry("policy"), drifted: entry("drifted") },
        });
        const withDrift = {
            ...previous,
            members: { ...previous.members, drifted: { ...previous.members.drifted, drift: "the default route via 198.51.100.1 is missing" } },
        };
        const next = checkLabMembers({
            ...shared,
            members: {
                keep: entry("keep"),
                moved: entry("moved", { hostInterface: "vmoved2" }),
                policy: entry("policy", { egress: "deny" }),
                drifted: entry("drifted"),
                added: entry("added"),
            },
        }).spec;
        assert.deepEqual(memberChanges(withDrift, next), { remove: ["gone"], create: ["added"], replace: ["moved"], update: ["policy", "drifted"] });
    });

    it("create makes all namespaces in one ip batch, all host-side veth ends in another, one batch per member side, and shares nft transactions", async () => {
        const spec = checkLabMembers({ ...shared, members: { red: entry("red"), blue: entry("blue"), green: entry("green"), gold: entry("gold") } }).spec;
        const state = await createLabMembers(spec);
        assert.deepEqual(Object.keys(state.members).sort(), ["blue", "gold", "green", "red"]);
        const ipCalls = calls().calls.filter((c) => c.argv[0] === "ip");
        const why = calls().lines().join("\n");
        const netnsBatch = ipCalls.filter((c) => c.argv.join(" ") === "ip -batch -");
        assert.equal(netnsBatch.length, 1, why);
        assert.deepEqual(netnsBatch[0].input?.trim().split("\n"), ["netns add lab-red", "netns add lab-blue", "netns add lab-green", "netns add lab-gold"]);
        assert.equal(ipCalls.filter((c) => c.argv.join(" ") === "ip -n sbx -batch -").length, 1, `one batch for every host-side end: ${why}`);
        for (const m of ["red", "blue", "green", "gold"])
            assert.equal(ipCalls.filter((c) => c.argv.join(" ") === `ip -n lab-${m} -batch -`).length, 1, `one batch for ${m}'s side: ${why}`);
        const nft = calls().calls.filter((c) => c.argv.includes("nft"));
        assert.ok(nft.length <= 2, `members' chains share nft transactions (${nft.length}): ${why}`);
        assert.equal(ipCalls.length, 2 + 4 + nft.length, `six ip processes and the nft ones, nothing else: ${why}`);
    });

    it("a member whose batch failed and whose undo fails too is failed naming both, and not retried over its leftovers", async () => {
        const spec = checkLabMembers({ ...shared, members: { red: entry("red"), blue: entry("blue") } }).spec;
        const broken = (c: Call) =>
            c.argv.join(" ") === "ip -n lab-blue -batch -"
                ? { code: 2, stderr: "Error: argument is wrong\nCommand failed -:2" }
                : c.argv.join(" ") === "ip -n sbx link del dev vlab-blue"
                  ? { code: 2, stderr: "RTNETLINK answers: Operation not supported" }
                  : undefined;
        const host = new RecordingHost(broken);
        const restore = installHost(host);
        const failure = await createLabMembers(spec)
            .then(
                () => undefined,
                (e: Error) => e,
            )
            .finally(restore);
        assert.match(failure?.message ?? "", /member "blue": .*argument is wrong[^]*; removing what the batch made also failed, check by hand: .*vlab-blue/);
        const adds = host.calls.filter((c) => c.argv.join(" ") === "ip netns add lab-blue" || (c.input ?? "").includes("netns add lab-blue"));
        assert.equal(adds.length, 1, `blue's namespace is made once, by the batch: ${host.lines().join("\n")}`);
    });

    it("delete reads each namespace's tag, then deletes every owned namespace in one ip batch, and releases each address", async () => {
        const state = recorded({ ...shared, members: { red: entry("red"), blue: entry("blue"), green: entry("green") } });
        const ownerOf = (name: string) => memberOwner(shared.owner, name);
        const byAddress = new Map(Object.entries(state.members).map(([name, m]) => [m.allocated!, name]));
        const live = (c: Call) => {
            if (c.argv.includes("nft")) return { stdout: JSON.stringify({ nftables: [{ metainfo: {} }] }) };
            const inside = c.argv[1] === "-n" ? c.argv[2].replace(/^lab-/, "") : undefined;
            if (c.argv.includes("-j") && inside)
                return { stdout: JSON.stringify([{ ifname: "lo", mtu: 65536, flags: ["UP"], ifalias: ownerOf(inside), addr_info: [] }]) };
            const claim = c.argv[0] === "cat" ? /\/(\d+\.\d+\.\d+\.\d+)\/owner$/.exec(c.argv[1]) : null;
            return claim ? { stdout: `${ownerOf(byAddress.get(claim[1])!)}\n` } : undefined;
        };
        const host = new RecordingHost(live);
        const restore = installHost(host);
        await deleteLabMembers(state).finally(restore);
        const why = host.lines().join("\n");
        const deletes = host.calls.filter((c) => c.argv.includes("del") || c.input?.includes("netns del"));
        assert.deepEqual(
            deletes.map((c) => [c.argv.join(" "), c.input]),
            [["ip -force -batch -", "netns del lab-red\nnetns del lab-blue\nnetns del lab-green\n"]],
            why,
        );
        for (const name of ["red", "blue", "green"])
            assert.equal(
                host.calls.filter((c) => c.argv.join(" ") === `ip -n lab-${name} -j -d addr show dev lo`).length,
                1,
                `one tag read for ${name}: ${why}`,
            );
        for (const address of byAddress.keys())
            assert.ok(
                host.lines().some((l) => l.startsWith(`rm -f /var/lib/netplumb/ipam/p_s_lab/${address}/owner`)),
                `${address} is released: ${why}`,
            );
    });

    it("a shared change (the bridge's MTU) updates every member in place", () => {
        const previous = recorded(valid);
        const next = checkLabMembers({ ...valid, mtu: 1400 }).spec;
        assert.deepEqual(memberChanges(previous, next), { remove: [], create: [], replace: [], update: ["red", "blue"] });
    });
});

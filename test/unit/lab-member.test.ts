import { strict as assert } from "assert";
import labMemberProvider = require("../../providers/lab-member");
import { createLabMember, deleteLabMember, readLabMember } from "../../sdk/kernel/lab-member";
import { checkLabMember, memberAllocation, memberParts } from "../../sdk/model/lab-member";
import { Call, RecordingHost, installHost, recordEachTest } from "../support/recording-host";

const valid = {
    owner: "netplumb:p/s/lab-blue",
    host: { netns: "sbx" },
    adopt: false,
    pool: "p_s_lab",
    subnet: "198.51.100.0/24",
    gateway: "198.51.100.1",
    member: "blue",
    namespace: "lab-blue",
    hostInterface: "vlab-blue",
    interface: "eth0",
    bridge: "br0",
    table: "netplumb_p_s",
    chains: "lab_blue",
    egress: "allow",
    ingress: "deny",
    nameservers: ["203.0.113.1"],
    search: [],
};

describe("LabMember: one resource per lab member", () => {
    const recorded = recordEachTest();

    it("check names each bad property and its value, and runs nothing", async () => {
        const bad = {
            ...valid,
            namespace: "a;b",
            hostInterface: "x".repeat(16),
            address: "198.51.100.1",
            egress: "open",
            table: "1t",
            nameservers: ["dns.example"],
        };
        const result = await labMemberProvider.check!({}, bad);
        const byProperty = new Map(result.failures!.map((f) => [f.property, f.reason]));
        assert.deepEqual([...byProperty.keys()].sort(), ["address", "egress", "hostInterface", "nameservers[0]", "namespace", "table"]);
        assert.match(byProperty.get("namespace")!, /"a;b"/);
        assert.match(byProperty.get("address")!, /198\.51\.100\.1/);
        const forwards = await labMemberProvider.check!({}, { ...valid, portForwards: [{ hostPort: 0, port: 80, protocol: "sctp" }] });
        assert.deepEqual(forwards.failures!.map((f) => f.property).sort(), ["portForwards[0].hostPort", "portForwards[0].protocol"]);
        assert.equal(recorded().calls.length, 0);
    });

    it("diff: policy, DNS and MTU change in place; names, pool and address replace", async () => {
        const checked = (await labMemberProvider.check!({}, valid)).inputs;
        const olds = { ...checked, allocated: "198.51.100.2" };
        const policy = await labMemberProvider.diff!("id", olds, { ...valid, egress: "deny", nameservers: ["203.0.113.2"], mtu: 1400 });
        assert.deepEqual([policy.changes, policy.replaces], [true, []]);
        for (const key of ["namespace", "hostInterface", "interface", "pool", "address", "chains"]) {
            const replace = await labMemberProvider.diff!("id", olds, { ...valid, [key]: key === "address" ? "198.51.100.9" : "other" });
            assert.deepEqual([replace.replaces, replace.deleteBeforeReplace], [[key], true], key);
        }
        assert.equal((await labMemberProvider.diff!("id", olds, checked)).changes, false, "the allocated address is an output, not a change");
        const forward = await labMemberProvider.diff!("id", olds, { ...checked, portForwards: [{ hostPort: 8080, port: 80, protocol: "tcp" }] });
        assert.deepEqual([forward.changes, forward.replaces], [true, []], "a port forward is added in place");
        assert.equal(recorded().calls.length, 0);
    });

    it("addressStore: the claim is made in that host's store; another store replaces the member; a bad one fails check", async () => {
        const store = {
            ssh: {
                host: "198.51.100.11",
                privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n",
                hostKey: "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
            },
        };
        const { spec, failures } = checkLabMember({ ...valid, addressStore: store });
        assert.deepEqual(failures, []);
        assert.deepEqual(memberAllocation(spec).host, store);
        assert.deepEqual(memberAllocation(checkLabMember(valid).spec).host, { netns: "sbx" }, "default: the member's own host");
        const checked = (await labMemberProvider.check!({}, { ...valid, addressStore: store })).inputs;
        const olds = { ...checked, allocated: "198.51.100.2" };
        const moved = await labMemberProvider.diff!("id", olds, { ...checked, addressStore: { ssh: { ...store.ssh, host: "198.51.100.12" } } });
        assert.deepEqual(moved.replaces, ["addressStore"]);
        const rotated = await labMemberProvider.diff!("id", olds, {
            ...checked,
            addressStore: { ssh: { ...store.ssh, privateKey: store.ssh.privateKey.replace("x", "y") } },
        });
        assert.deepEqual([rotated.changes, rotated.replaces], [true, []], "a new key for the store is an update");
        const bad = await labMemberProvider.check!({}, { ...valid, addressStore: { ssh: { host: "a b" } } });
        assert.ok(
            bad.failures!.some((f) => f.property === "addressStore.ssh.host"),
            JSON.stringify(bad.failures),
        );
        assert.equal(recorded().calls.length, 0);
    });

    it("read (refresh) runs one ip process in the member's namespace, one for the host's end and one nft read", async () => {
        const spec = checkLabMember(valid).spec;
        const mac = memberParts(spec, "198.51.100.2").veth.b.mac;
        const link = (name: string, extra: object) => ({
            ifname: name,
            mtu: 1500,
            flags: ["UP"],
            ifalias: valid.owner,
            address: mac,
            ...extra,
        });
        const veth = { linkinfo: { info_kind: "veth" } };
        const memberSide = [
            [link("lo", { mtu: 65536 })],
            [link("eth0", { ...veth, addr_info: [{ family: "inet", local: "198.51.100.2", prefixlen: 24, scope: "global" }] })],
            [{ dst: "default", gateway: "198.51.100.1" }],
        ];
        const host = new RecordingHost((c) =>
            c.argv.includes("-force")
                ? { stdout: memberSide.map((o) => JSON.stringify(o)).join("\n") + "\n" }
                : c.argv.includes("nft")
                  ? { stdout: '{"nftables":[]}' }
                  : c.argv.includes("-j")
                    ? { stdout: JSON.stringify([link("vlab-blue", { ...veth, master: "br0" })]) }
                    : undefined,
        );
        const restore = installHost(host);
        try {
            const live = await readLabMember({ ...spec, allocated: "198.51.100.2" });
            assert.notEqual(live, undefined, host.lines().join("\n"));
            const processes = host.calls.filter((c) => c.argv[0] === "ip").map((c) => c.argv.slice(0, 4).join(" "));
            assert.deepEqual(
                processes.filter((p) => p.startsWith("ip -n lab-blue")),
                ["ip -n lab-blue -j"],
                host.lines().join("\n"),
            );
            assert.deepEqual(
                processes.filter((p) => p.startsWith("ip -n sbx")),
                ["ip -n sbx -j"],
                host.lines().join("\n"),
            );
            assert.equal(host.calls.filter((c) => c.argv.includes("nft")).length, 3, "one `nft -j list chain` per chain of one member");
            assert.doesNotMatch(
                live!.drift ?? "",
                /veth|route|MAC|eth0/,
                `the member side read in one process shows the veth, its address, MAC and route intact: ${live!.drift}`,
            );
        } finally {
            restore();
        }
    });

    it("create makes the namespace, runs one ip batch per veth side and one nft transaction", async () => {
        const spec = checkLabMember(valid).spec;
        await createLabMember(spec);
        const programs = recorded().calls.map((c) => c.argv.slice(0, c.argv[0] === "ip" && c.argv[1] === "netns" && c.argv[2] === "exec" ? 6 : 4).join(" "));
        const count = (prefix: string) => programs.filter((p) => p.startsWith(prefix)).length;
        const why = programs.join("\n");
        assert.equal(count("ip netns add lab-blue"), 1, why);
        assert.equal(count("ip -n lab-blue link"), 1, `one command tags the namespace: ${why}`);
        assert.equal(count("ip -n sbx -batch"), 1, `one batch for the host side: ${why}`);
        assert.equal(count("ip -n lab-blue -batch"), 1, `one batch for the member side: ${why}`);
        assert.equal(count("ip netns exec sbx nft -f"), 1, `one nft transaction: ${why}`);
        assert.equal(programs.filter((p) => p.startsWith("ip ")).length, 5, `five ip/nft processes in all: ${why}`);
    });

    it("a failed create that cannot undo a part says so in its error instead of hiding it", async () => {
        const spec = checkLabMember(valid).spec;
        // The nft transaction fails (chains read back as missing), then the namespace it made cannot be deleted.
        const owned = JSON.stringify([{ ifname: "lo", mtu: 65536, flags: ["UP"], ifalias: valid.owner, linkinfo: { info_kind: "veth" }, addr_info: [] }]);
        const host = new RecordingHost((c) =>
            c.argv.includes("nft") && c.input !== undefined
                ? { code: 1, stderr: "Error: Could not process rule: Invalid argument" }
                : c.argv.includes("nft")
                  ? { code: 1, stderr: "Error: No such file or directory" }
                  : c.argv.includes("-j")
                    ? { stdout: owned }
                    : c.argv.join(" ") === "ip netns del lab-blue"
                      ? { code: 1, stderr: "Cannot remove namespace file: Device or resource busy" }
                      : undefined,
        );
        const restore = installHost(host);
        const failure = await createLabMember(spec)
            .then(
                () => undefined,
                (e: Error) => e,
            )
            .finally(restore);
        assert.match(failure?.message ?? "", /Invalid argument; rolling back also failed, check by hand: .*ip netns del lab-blue failed/);
    });

    it("delete removes the namespace, not the veth first, and releases the address", async () => {
        const state = { ...checkLabMember(valid).spec, allocated: "198.51.100.2", createdDirectory: true };
        const live = (c: Call) =>
            c.argv.includes("nft")
                ? { stdout: JSON.stringify({ nftables: [{ metainfo: {} }] }) }
                : c.argv.includes("-j")
                  ? { stdout: JSON.stringify([{ ifname: "lo", mtu: 65536, flags: ["UP"], ifalias: valid.owner, addr_info: [] }]) }
                  : c.argv[0] === "cat" && c.argv[1].endsWith("/owner")
                    ? { stdout: `${valid.owner}\n` }
                    : undefined;
        const host = new RecordingHost(live);
        const restore = installHost(host);
        await deleteLabMember(state).finally(restore);
        const lines = host.lines();
        assert.ok(
            lines.some((l) => l.startsWith("ip netns del lab-blue")),
            lines.join("\n"),
        );
        assert.ok(!lines.some((l) => / link del /.test(l)), "the veth goes with its namespace");
        assert.ok(
            lines.includes("rm -f /var/lib/netplumb/ipam/p_s_lab/198.51.100.2/owner /var/lib/netplumb/ipam/p_s_lab/198.51.100.2/owner.netplumb-tmp"),
            `the claim's owner file goes: ${lines.join("\n")}`,
        );
        assert.ok(
            lines.includes(
                "rm -f /var/lib/netplumb/ipam/p_s_lab/by-owner/netplumb_p_s_lab-blue /var/lib/netplumb/ipam/p_s_lab/by-owner/netplumb_p_s_lab-blue.netplumb-tmp",
            ),
            `the owner's record goes: ${lines.join("\n")}`,
        );
        assert.ok(lines.includes("rmdir --ignore-fail-on-non-empty /var/lib/netplumb/ipam/p_s_lab/198.51.100.2"), `the claim goes: ${lines.join("\n")}`);
    });
});

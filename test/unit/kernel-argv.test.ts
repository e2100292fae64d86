import { strict as assert } from "assert";
import { createBridge, deleteBridge } from "../../sdk/kernel/bridge";
import { createNamespace, deleteNamespace } from "../../sdk/kernel/namespace";
import { createRoute, deleteRoute } from "../../sdk/kernel/route";
import { createSysctl, deleteSysctl } from "../../sdk/kernel/sysctl";
import { createVethPair } from "../../sdk/kernel/veth";
import { BridgeSpec, VethPairSpec } from "../../sdk/model/specs";
import { Call, RecordingHost, installHost } from "../support/recording-host";

const owner = "netplumb:proj/dev/res";
const sandbox = { netns: "sbx" };
const exists = { code: 2, stderr: "RTNETLINK answers: File exists\nCommand failed -:1\n" };
const notFound = { code: 1, stderr: 'Cannot find device "x"\n' };

/** `ip -j -d addr show` output for one link. */
function linkJson(name: string, kind: string, alias?: string): string {
    return JSON.stringify([
        { ifname: name, mtu: 1500, flags: ["UP"], ifalias: alias, address: "02:00:00:00:00:01", linkinfo: { info_kind: kind }, addr_info: [] },
    ]);
}

const isRead = (c: Call) => c.argv.includes("-j");
const isBatch = (c: Call) => c.argv.includes("-batch");

describe("kernel: argv through a recording host", () => {
    let restore: () => void;
    afterEach(() => restore());

    const bridge: BridgeSpec = {
        owner,
        host: sandbox,
        adopt: false,
        name: "br0",
        mtu: 1400,
        mac: "02:00:00:00:00:aa",
        addresses: ["192.0.2.1/24"],
        up: true,
        stp: false,
    };

    it("creates a bridge in one ip -batch inside the host namespace", async () => {
        const host = new RecordingHost();
        restore = installHost(host);
        await createBridge(bridge);
        assert.deepEqual(host.lines(), [
            "ip -n sbx -batch -",
            "  link add br0 address 02:00:00:00:00:aa mtu 1400 type bridge stp_state 0",
            `  link set dev br0 alias ${owner}`,
            "  addr replace 192.0.2.1/24 dev br0",
            "  link set dev br0 up",
        ]);
    });

    it("refuses a bridge name held by an unmanaged interface, and changes nothing", async () => {
        const host = new RecordingHost((c) => (isBatch(c) ? exists : isRead(c) ? { stdout: linkJson("br0", "bridge") } : undefined));
        restore = installHost(host);
        await assert.rejects(createBridge(bridge), /already exists and is not managed by this stack; .*set adopt: true/);
        assert.deepEqual(
            host.calls.map((c) => c.argv.join(" ")),
            ["ip -n sbx -batch -", "ip -n sbx -j -d addr show dev br0"],
        );
    });

    it("refuses an interface that belongs to another netplumb stack even with adopt", async () => {
        const host = new RecordingHost((c) => (isBatch(c) ? exists : isRead(c) ? { stdout: linkJson("br0", "bridge", "netplumb:other/prod/br") } : undefined));
        restore = installHost(host);
        await assert.rejects(createBridge({ ...bridge, adopt: true }), /belongs to another netplumb resource \(netplumb:other\/prod\/br\)/);
    });

    it("refuses to adopt an interface of another kind", async () => {
        const host = new RecordingHost((c) => (isBatch(c) ? exists : isRead(c) ? { stdout: linkJson("br0", "veth") } : undefined));
        restore = installHost(host);
        await assert.rejects(createBridge({ ...bridge, adopt: true }), /is a veth, not a bridge/);
    });

    it("adopts a matching bridge by tagging and converging it", async () => {
        const host = new RecordingHost((c) => (c.input?.startsWith("link add") ? exists : isRead(c) ? { stdout: linkJson("br0", "bridge") } : undefined));
        restore = installHost(host);
        await createBridge({ ...bridge, adopt: true });
        const last = host.calls[host.calls.length - 1];
        assert.match(last.input ?? "", new RegExp(`link set dev br0 alias ${owner}`));
        assert.match(last.input ?? "", /addr replace 192.0.2.1\/24 dev br0/);
    });

    it("rolls back a bridge whose address step fails", async () => {
        const host = new RecordingHost((c) => (isBatch(c) ? { code: 1, stderr: "Error: ipv4: Invalid address.\nCommand failed -:4\n" } : undefined));
        restore = installHost(host);
        await assert.rejects(createBridge(bridge), /Invalid address/);
        assert.deepEqual(host.calls[host.calls.length - 1].argv, ["ip", "-n", "sbx", "link", "del", "dev", "br0"]);
    });

    it("leaves an interface alone on delete when it is not this resource's", async () => {
        const host = new RecordingHost((c) => (isRead(c) ? { stdout: linkJson("br0", "bridge", "someone-else") } : undefined));
        restore = installHost(host);
        await assert.rejects(deleteBridge(bridge), /not tagged as this resource's.*left in place/);
        assert.ok(!host.calls.some((c) => c.argv.includes("del")));
    });

    it("treats a bridge that is already gone as deleted", async () => {
        const host = new RecordingHost((c) => (isRead(c) ? notFound : undefined));
        restore = installHost(host);
        await deleteBridge(bridge);
        assert.equal(host.calls.length, 1);
    });

    const pair: VethPairSpec = {
        owner,
        host: sandbox,
        adopt: false,
        a: { name: "veth-red", bridge: "br0", addresses: [] },
        b: { name: "eth0", namespace: "red", addresses: ["192.0.2.10/24"], gateway: "192.0.2.1" },
    };

    it("creates the peer directly in its namespace and configures each side in one batch", async () => {
        const host = new RecordingHost();
        restore = installHost(host);
        await createVethPair(pair);
        assert.deepEqual(host.lines(), [
            "ip -n sbx -batch -",
            "  link add veth-red type veth peer name eth0 netns red",
            `  link set dev veth-red alias ${owner}`,
            "  link set dev veth-red master br0",
            "  link set dev veth-red up",
            "ip -n red -batch -",
            `  link set dev eth0 alias ${owner}`,
            "  addr replace 192.0.2.10/24 dev eth0",
            "  link set dev eth0 up",
            "  route replace default via 192.0.2.1 dev eth0 proto 222",
        ]);
    });

    it("deletes the pair when configuring the peer fails", async () => {
        const host = new RecordingHost((c) =>
            c.argv.includes("red") ? { code: 1, stderr: "Error: Nexthop has invalid gateway.\nCommand failed -:4\n" } : undefined,
        );
        restore = installHost(host);
        await assert.rejects(createVethPair(pair), /invalid gateway/);
        assert.deepEqual(host.calls[host.calls.length - 1].argv, ["ip", "-n", "sbx", "link", "del", "dev", "veth-red"]);
    });

    it("creates a tagged namespace and deletes it again when tagging fails", async () => {
        const ok = new RecordingHost();
        restore = installHost(ok);
        await createNamespace({ owner, host: {}, adopt: false, name: "red" });
        assert.deepEqual(ok.lines(), ["ip netns add red", `ip -n red link set dev lo alias ${owner} up`]);
        restore();
        const failing = new RecordingHost((c) => (c.argv.includes("lo") ? { code: 2, stderr: "boom" } : undefined));
        restore = installHost(failing);
        await assert.rejects(createNamespace({ owner, host: {}, adopt: false, name: "red" }), /boom/);
        assert.deepEqual(failing.calls[failing.calls.length - 1].argv, ["ip", "netns", "del", "red"]);
    });

    it("never deletes a namespace it does not own", async () => {
        const host = new RecordingHost((c) => (isRead(c) ? { stdout: linkJson("lo", "") } : undefined));
        restore = installHost(host);
        await assert.rejects(deleteNamespace({ owner, host: {}, adopt: false, name: "red" }), /not tagged/);
        assert.ok(!host.calls.some((c) => c.argv.includes("del")));
    });

    it("marks routes with protocol 222 and tolerates deleting a missing one", async () => {
        const host = new RecordingHost((c) => (c.argv.includes("del") ? { code: 2, stderr: "RTNETLINK answers: No such process" } : undefined));
        restore = installHost(host);
        const route = { owner, host: sandbox, adopt: false, namespace: "red", destination: "2001:db8:1::/48", via: "2001:db8::1", metric: 10 };
        await createRoute(route);
        await deleteRoute(route);
        assert.deepEqual(host.lines(), [
            "ip -n red -6 route add 2001:db8:1::/48 via 2001:db8::1 metric 10 proto 222",
            "ip -n red -6 route del 2001:db8:1::/48 via 2001:db8::1 metric 10 proto 222",
        ]);
    });

    it("records a sysctl's previous value and writes it back on delete", async () => {
        let live = "0";
        const host = new RecordingHost((c) => {
            const written = c.argv.find((a) => a.startsWith("net.ipv4.ip_forward="));
            if (written) live = written.split("=")[1];
            return c.argv.includes("-n") && c.argv.includes("sysctl") ? { stdout: `${live}\n` } : undefined;
        });
        restore = installHost(host);
        const state = await createSysctl({ owner, host: sandbox, adopt: false, key: "net.ipv4.ip_forward", value: "1" });
        assert.equal(state.previous, "0");
        await deleteSysctl(state);
        assert.ok(
            host.lines().some((l) => l.startsWith("tee /run/netplumb/sysctl/sbx/net.ipv4.ip_forward/holders/")),
            "the holder is recorded",
        );
        assert.deepEqual(
            host.lines().filter((l) => l.includes(" sysctl ") && !l.includes(" -n ")),
            ["ip netns exec sbx sysctl -q -w net.ipv4.ip_forward=1", "ip netns exec sbx sysctl -q -w net.ipv4.ip_forward=0"],
        );
    });
});

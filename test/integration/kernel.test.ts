import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { existsSync } from "fs";
import { CommandResult } from "../../sdk/host/errors";
import { Host, RunOptions } from "../../sdk/host/host";
import { LocalHost } from "../../sdk/host/local";
import { useHostFactory } from "../../sdk/host/target";
import * as bridges from "../../sdk/kernel/bridge";
import * as addresses from "../../sdk/kernel/address";
import * as netns from "../../sdk/kernel/namespace";
import * as routes from "../../sdk/kernel/route";
import * as sysctls from "../../sdk/kernel/sysctl";
import * as veths from "../../sdk/kernel/veth";
import { BridgeSpec, NamespaceSpec, RouteSpec, VethPairSpec } from "../../sdk/model/specs";
import { machineSnapshot } from "../support/snapshot";
import { Sandbox, ip, links, namespaces } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

/** A real host that fails any command whose argv or stdin matches `pattern` (fault injection). */
class FaultyHost implements Host {
    private readonly local = new LocalHost();
    constructor(private readonly pattern: RegExp) {}
    async exec(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
        if (this.pattern.test(`${argv.join(" ")}\n${options?.input ?? ""}`)) {
            return { stdout: "", stderr: "injected failure", code: 1 };
        }
        return this.local.exec(argv, options);
    }
    start(argv: readonly string[]): Promise<number> {
        return this.local.start(argv);
    }
}

/** Drops undefined-valued keys, as the provider does before state is written. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null)) as T;

describe("kernel: real namespaces (root)", function () {
    let sbx: Sandbox;
    const owner = "netplumb:itest/run/res";

    before(function () {
        requireOrSkip(this, isRoot(), "network namespaces need root");
        requireOrSkip(this, hasCommand("ip"), "iproute2 (ip) is not installed");
        sbx = new Sandbox();
    });
    after(() => sbx?.destroy());

    const ns = (role: string): NamespaceSpec => ({ owner, host: {}, adopt: false, name: sbx.name(role) });
    const bridge = (): BridgeSpec => ({
        owner,
        host: { netns: sbx.host },
        adopt: false,
        name: "br0",
        mtu: 1500,
        mac: "02:00:00:00:00:aa",
        addresses: ["192.0.2.1/24"],
        up: true,
        stp: false,
    });

    it("namespace: ensure twice changes nothing, remove twice succeeds", async () => {
        const spec = ns("ns1");
        await netns.createNamespace(spec);
        await netns.createNamespace(spec);
        assert.ok(namespaces().includes(spec.name));
        assert.deepEqual(await netns.readNamespace(spec), spec);
        await netns.deleteNamespace(spec);
        await netns.deleteNamespace(spec);
        assert.ok(!namespaces().includes(spec.name));
        assert.equal(await netns.readNamespace(spec), undefined);
    });

    it("namespace: an unmanaged namespace is refused, then adopted with adopt", async () => {
        const name = sbx.foreignNamespace("foreign");
        const spec = { ...ns("foreign"), name };
        await assert.rejects(netns.createNamespace(spec), /not managed by this stack/);
        await netns.createNamespace({ ...spec, adopt: true });
        assert.deepEqual(await netns.readNamespace(spec), spec);
    });

    it("bridge: ensure twice is idempotent, read shows drift, update repairs it, remove twice succeeds", async () => {
        const spec = bridge();
        await bridges.createBridge(spec);
        await bridges.createBridge(spec);
        assert.deepEqual(plain(await bridges.readBridge(spec)), spec);
        ip("-n", sbx.host, "link", "set", "dev", "br0", "mtu", "1400");
        ip("-n", sbx.host, "addr", "add", "192.0.2.99/24", "dev", "br0");
        const drifted = await bridges.readBridge(spec);
        assert.equal(drifted?.mtu, 1400);
        assert.deepEqual(drifted?.addresses, ["192.0.2.1/24", "192.0.2.99/24"]);
        await bridges.updateBridge(spec);
        assert.deepEqual(plain(await bridges.readBridge(spec)), spec);
        await bridges.deleteBridge(spec);
        await bridges.deleteBridge(spec);
        assert.ok(!links(sbx.host).includes("br0"));
    });

    it("veth: joins the bridge, reaches the peer, converges again, and deletes both ends", async () => {
        const red = ns("red");
        await netns.createNamespace(red);
        await bridges.createBridge(bridge());
        const pair: VethPairSpec = {
            owner,
            host: { netns: sbx.host },
            adopt: false,
            a: { name: "veth-red", bridge: "br0", addresses: [] },
            b: { name: "eth0", namespace: red.name, addresses: ["192.0.2.10/24", "2001:db8::10/64"], gateway: "192.0.2.1", mtu: 1400 },
        };
        await veths.createVethPair(pair);
        await veths.createVethPair(pair);
        assert.deepEqual(plain(await veths.readVethPair(pair)), plain(pair));
        ip("netns", "exec", red.name, "ping", "-c", "1", "-W", "2", "192.0.2.1");
        ip("-n", red.name, "link", "set", "dev", "eth0", "mtu", "1300");
        assert.equal((await veths.readVethPair(pair))?.b.mtu, 1300);
        await veths.updateVethPair(pair, pair);
        assert.equal((await veths.readVethPair(pair))?.b.mtu, 1400);
        await veths.deleteVethPair(pair);
        await veths.deleteVethPair(pair);
        assert.ok(!links(sbx.host).includes("veth-red"));
        assert.ok(!links(red.name).includes("eth0"));
        await bridges.deleteBridge(bridge());
        await netns.deleteNamespace(red);
    });

    it("veth: a failure injected while configuring the peer leaves no link behind", async () => {
        const blue = ns("blue");
        await netns.createNamespace(blue);
        const restore = useHostFactory(() => new FaultyHost(new RegExp(`-n ${blue.name} -batch`)));
        const pair: VethPairSpec = {
            owner,
            host: { netns: sbx.host },
            adopt: false,
            a: { name: "veth-blue", addresses: [] },
            b: { name: "eth0", namespace: blue.name, addresses: ["192.0.2.11/24"] },
        };
        try {
            await assert.rejects(veths.createVethPair(pair), /injected failure/);
        } finally {
            restore();
        }
        assert.ok(!links(sbx.host).includes("veth-blue"));
        assert.ok(!links(blue.name).includes("eth0"));
        await netns.deleteNamespace(blue);
    });

    it("namespace: a failure injected while tagging leaves no namespace behind", async () => {
        const spec = ns("tagfail");
        const restore = useHostFactory(() => new FaultyHost(/link set dev lo alias/));
        try {
            await assert.rejects(netns.createNamespace(spec), /injected failure/);
        } finally {
            restore();
        }
        assert.ok(!namespaces().includes(spec.name));
    });

    it("address and route: ensure, read drift, remove twice", async () => {
        await bridges.createBridge(bridge());
        const address = { owner, host: { netns: sbx.host }, adopt: false, interface: "br0", address: "198.51.100.1/24" };
        await addresses.createAddress(address);
        await assert.rejects(addresses.createAddress(address), /already present/);
        assert.deepEqual(await addresses.readAddress(address), address);
        const route: RouteSpec = { owner, host: { netns: sbx.host }, adopt: false, destination: "203.0.113.0/24", via: "198.51.100.2", metric: 5 };
        await routes.createRoute(route);
        await routes.createRoute(route);
        assert.deepEqual(plain(await routes.readRoute(route)), route);
        await routes.updateRoute(route, { ...route, metric: 7 });
        assert.equal(await routes.readRoute(route), undefined);
        assert.deepEqual(plain(await routes.readRoute({ ...route, metric: 7 })), { ...route, metric: 7 });
        ip("-n", sbx.host, "route", "del", "203.0.113.0/24", "metric", "7");
        assert.equal(await routes.readRoute({ ...route, metric: 7 }), undefined);
        await routes.deleteRoute({ ...route, metric: 7 });
        await addresses.deleteAddress(address);
        await addresses.deleteAddress(address);
        assert.equal(await addresses.readAddress(address), undefined);
        await bridges.deleteBridge(bridge());
    });

    it("route: an unmanaged route with the same destination is refused and never deleted", async () => {
        await bridges.createBridge(bridge());
        ip("-n", sbx.host, "route", "add", "198.51.100.0/24", "via", "192.0.2.254");
        const route: RouteSpec = { owner, host: { netns: sbx.host }, adopt: false, destination: "198.51.100.0/24", via: "192.0.2.253" };
        await assert.rejects(routes.createRoute(route), /not managed by this stack/);
        await routes.deleteRoute(route);
        assert.match(ip("-n", sbx.host, "route", "show", "198.51.100.0/24"), /via 192.0.2.254/);
        await bridges.deleteBridge(bridge());
    });

    it("sysctl: writes in the sandbox only (root links, routes, nft tables and sysctls unchanged) and restores the previous value", async () => {
        const machineBefore = machineSnapshot();
        const spec = { owner, host: { netns: sbx.host }, adopt: false, key: "net.ipv4.ip_forward", value: "1" };
        const before = await sysctls.readSysctlValue(spec);
        const state = await sysctls.createSysctl(spec);
        assert.equal(await sysctls.readSysctlValue(spec), "1");
        assert.equal(state.previous, before);
        const during = machineSnapshot();
        assert.deepEqual({ ...during, runNetplumb: machineBefore.runNetplumb }, machineBefore, "nothing outside the sandbox changed");
        await sysctls.deleteSysctl(state);
        assert.equal(await sysctls.readSysctlValue(spec), before);
        assert.deepEqual(machineSnapshot(), machineBefore);
    });

    for (const order of [
        ["a", "b"],
        ["b", "a"],
    ]) {
        it(`sysctl: two stacks hold ip_forward; destroyed ${order.join(" then ")}, only the last restores it`, async () => {
            const spec = (stack: string) => ({
                owner: `netplumb:itest/${stack}/forwarding`,
                host: { netns: sbx.host },
                adopt: false,
                key: "net.ipv4.ip_forward",
                value: "1",
            });
            const original = await sysctls.readSysctlValue(spec("a"));
            assert.equal(original, "0");
            const states = { a: await sysctls.createSysctl(spec("a")), b: await sysctls.createSysctl(spec("b")) };
            assert.equal(states.b.previous, "0", "the second holder restores what was there before the first");
            await sysctls.deleteSysctl(states[order[0] as "a" | "b"]);
            assert.equal(await sysctls.readSysctlValue(spec("a")), "1", "the other stack still needs forwarding");
            await sysctls.deleteSysctl(states[order[1] as "a" | "b"]);
            assert.equal(await sysctls.readSysctlValue(spec("a")), "0", "the last holder restores the original value");
        });
    }

    it("sysctl: the last holder leaves a value someone else changed since", async () => {
        const spec = { owner: "netplumb:itest/c/rp", host: { netns: sbx.host }, adopt: false, key: "net.ipv4.conf.all.rp_filter", value: "1" };
        const state = await sysctls.createSysctl(spec);
        execFileSync("ip", ["netns", "exec", sbx.host, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=2"]);
        await sysctls.deleteSysctl(state);
        assert.equal(await sysctls.readSysctlValue(spec), "2", "changed by someone else since: left as it is");
        assert.equal(existsSync(`/run/netplumb/sysctl/${sbx.host}`), false, "no holder record is left");
    });
});

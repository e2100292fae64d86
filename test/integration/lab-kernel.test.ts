import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as allocations from "../../sdk/kernel/allocation";
import * as firewalls from "../../sdk/kernel/firewall";
import * as resolv from "../../sdk/kernel/resolv";
import { checkFirewall, FirewallSpec } from "../../sdk/model/firewall";
import { Sandbox } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

// The services kernel starts dist/sdk/sandbox/uplink-server.js next to its own module, so use the built copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require("../../dist/sdk/kernel/services") as typeof import("../../sdk/kernel/services");

const nft = (ns: string, ...args: string[]) => execFileSync("ip", ["netns", "exec", ns, "nft", ...args], { encoding: "utf8" });

describe("kernel: nftables, DNS files, IPAM store and sandbox services (root)", function () {
    let sbx: Sandbox;
    const owner = "netplumb:itest/run/lab";

    before(function () {
        requireOrSkip(this, isRoot(), "nftables and namespaces need root");
        requireOrSkip(this, hasCommand("nft"), "nftables (nft) is not installed");
        sbx = new Sandbox();
    });
    after(() => sbx?.destroy());

    const firewall = (): FirewallSpec =>
        checkFirewall({
            owner,
            host: { netns: sbx.host },
            adopt: false,
            table: "netplumb_itest",
            chains: "lab_blue",
            bridge: "br0",
            masquerade: [{ source: "198.51.100.0/24", notOutInterface: "br0" }],
            members: [{ name: "blue", address: "198.51.100.2", egress: [{ protocol: "tcp", ports: [80] }] }],
        }).spec;

    it("firewall: applies atomically twice, reports drift, repairs it, deletes its table, leaves others alone", async () => {
        nft(sbx.host, "add", "table", "inet", "someone_else");
        const spec = firewall();
        await firewalls.createFirewall(spec);
        await firewalls.createFirewall(spec);
        assert.equal((nft(sbx.host, "list", "chain", "inet", "netplumb_itest", "lab_blue_forward").match(/comment/g) ?? []).length, 3);
        assert.equal((await firewalls.readFirewall(spec))?.drift, undefined);
        nft(sbx.host, "flush", "chain", "inet", "netplumb_itest", "lab_blue_forward");
        assert.match((await firewalls.readFirewall(spec))?.drift ?? "", /lab_blue_forward holds 0 rule\(s\), expected 3/);
        await firewalls.updateFirewall(spec, { ...spec, members: [{ ...spec.members[0], egress: [{ protocol: "tcp", ports: [80, 22] }] }] });
        assert.match(nft(sbx.host, "list", "chain", "inet", "netplumb_itest", "lab_blue_forward"), /tcp dport \{ 22, 80 \} accept/);
        await firewalls.deleteFirewall(spec);
        await firewalls.deleteFirewall(spec);
        assert.doesNotMatch(nft(sbx.host, "list", "tables"), /netplumb_itest/);
        assert.match(nft(sbx.host, "list", "tables"), /someone_else/);
    });

    it("firewall: refuses chains that hold someone else's rules", async () => {
        const spec = firewall();
        nft(sbx.host, "add", "table", "inet", "netplumb_itest");
        nft(sbx.host, "add", "chain", "inet", "netplumb_itest", "lab_blue_forward");
        nft(sbx.host, "add", "rule", "inet", "netplumb_itest", "lab_blue_forward", "counter");
        await assert.rejects(firewalls.createFirewall(spec), /holds 1 rule\(s\) not owned by this resource|already holds 1 rule/);
        nft(sbx.host, "delete", "table", "inet", "netplumb_itest");
    });

    it("resolv.conf: writes, shows edits as drift, restores what was there before", async () => {
        const ns = sbx.name("dns");
        const hadEtcNetns = existsSync("/etc/netns");
        mkdirSync(`/etc/netns/${ns}`, { recursive: true });
        writeFileSync(`/etc/netns/${ns}/resolv.conf`, "nameserver 192.0.2.53\n");
        const spec = {
            owner,
            host: {},
            adopt: false,
            namespace: ns,
            nameservers: ["203.0.113.1"],
            search: ["example.test"],
            options: ["ndots:1"],
            hosts: [{ name: "red", address: "198.51.100.4" }],
        };
        try {
            const state = await resolv.createResolvConf(spec);
            assert.match(readFileSync(`/etc/netns/${ns}/resolv.conf`, "utf8"), /nameserver 203.0.113.1\nsearch example.test\noptions ndots:1/);
            assert.match(readFileSync(`/etc/netns/${ns}/hosts`, "utf8"), /198.51.100.4\tred/);
            writeFileSync(`/etc/netns/${ns}/resolv.conf`, "nameserver 198.51.100.99\n");
            assert.deepEqual((await resolv.readResolvConf(state))?.nameservers, ["198.51.100.99"]);
            await resolv.deleteResolvConf(state);
            assert.equal(readFileSync(`/etc/netns/${ns}/resolv.conf`, "utf8"), "nameserver 192.0.2.53\n");
            rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
            await resolv.createResolvConf(spec);
            const again = await resolv.createResolvConf(spec);
            assert.equal(again.previousResolvConf, undefined, "a repeated create (after a crash) does not take its own file for the previous one");
            await resolv.deleteResolvConf(again);
            assert.ok(!existsSync(`/etc/netns/${ns}`));
            assert.ok(!existsSync(`/etc/netns/${ns}/hosts`));
        } finally {
            rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
            if (!hadEtcNetns) rmSync("/etc/netns", { recursive: true, force: true });
        }
    });

    it("IPAM: parallel allocations get distinct addresses; explicit ones are honoured; release cleans the store", async () => {
        const base = { owner: "", host: {}, adopt: false, pool: `itest_${sbx.tag}`, subnet: "198.51.100.0/24", gateway: "198.51.100.1" };
        const explicit = await allocations.createAllocation({ ...base, owner: `${owner}-x`, member: "x", address: "198.51.100.2" });
        const states = await Promise.all(["a", "b", "c", "d"].map((m) => allocations.createAllocation({ ...base, owner: `${owner}-${m}`, member: m })));
        const all = [explicit, ...states].map((s) => s.allocated);
        assert.equal(new Set(all).size, 5);
        assert.ok(!states.some((s) => s.allocated === "198.51.100.2" || s.allocated === "198.51.100.1"));
        await assert.rejects(allocations.createAllocation({ ...base, owner: `${owner}-y`, member: "y", address: "198.51.100.2" }), /already allocated/);
        assert.deepEqual(await allocations.readAllocation(states[0]), states[0]);
        const { allocated: _, ...spec } = states[1];
        assert.equal((await allocations.createAllocation(spec)).allocated, states[1].allocated, "a repeated create (after a crash) finds its own claim");
        for (const s of [explicit, ...states]) await allocations.deleteAllocation(s);
        await allocations.deleteAllocation(states[0]);
        assert.ok(!existsSync(`${allocations.STORE}/${base.pool}`));
    });

    it("sandbox services: a server left by a create killed right after starting it is found by its own PID file and stopped", async () => {
        const inet = sbx.foreignNamespace("inet2");
        execFileSync("ip", ["-n", inet, "link", "set", "dev", "lo", "up"]);
        const spec = { owner: `${owner}-orphan`, host: {}, adopt: false, namespace: inet, ports: [80], records: [] };
        execFileSync("mkdir", ["-p", "/run/netplumb/services"]);
        const argv = services.serverArgv(spec);
        const orphan = spawn(argv[0], argv.slice(1), { detached: true, stdio: "ignore" });
        const orphanExit = new Promise((resolve) => orphan.on("exit", resolve));
        const pidFile = argv[argv.length - 1];
        for (let i = 0; i < 250 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 20));
        assert.match(readFileSync(pidFile, "utf8"), new RegExp(`^${orphan.pid} \\d+\n$`), "the server wrote its own PID file");
        const state = await services.createServices(spec);
        try {
            assert.notEqual(state.pid, orphan.pid);
            await orphanExit;
            assert.match(readFileSync(pidFile, "utf8"), new RegExp(`^${state.pid} ${state.startTime}\n$`));
        } finally {
            await services.deleteServices(state);
        }
        assert.ok(!existsSync(pidFile));
    });

    it("sandbox services: serve in the namespace and stop by their own PID only", async () => {
        const inet = sbx.foreignNamespace("inet");
        execFileSync("ip", ["-n", inet, "link", "set", "dev", "lo", "up"]);
        const spec = { owner, host: {}, adopt: false, namespace: inet, ports: [80], records: [{ name: "example.test", address: "127.0.0.1" }] };
        const state = await services.createServices(spec);
        assert.deepEqual(await services.readServices(state), state);
        const banner = execFileSync(
            "ip",
            ["netns", "exec", inet, process.execPath, "-e", "require('net').connect(80,'127.0.0.1').on('data',(d)=>{process.stdout.write(d);process.exit(0)})"],
            { encoding: "utf8" },
        );
        assert.equal(banner, "netplumb sandbox port 80\n");
        await services.deleteServices({ ...state, startTime: "0" });
        assert.ok(await services.readServices(state), "a record with another start time must not stop the process");
        await services.deleteServices(state);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(await services.readServices(state), undefined);
        await services.deleteServices(state);
    });
});

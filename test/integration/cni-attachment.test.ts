import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { collectGarbage, createCniAttachment, deleteCniAttachment, readCniAttachment, updateCniAttachment } from "../../sdk/kernel/cni-attachment";
import { CniAttachmentSpec, checkCniAttachment } from "../../sdk/model/cni-exec";
import { createCniNetwork, deleteCniNetwork, updateCniNetwork } from "../../sdk/kernel/cni";
import { CniNetworkSpec, checkCniNetwork } from "../../sdk/model/cni";
import { ROOT } from "../support/engine";
import { answersPing } from "../support/reach";
import { Sandbox, ip, links } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

/** Debian's reference plugins, unpacked by `npm run setup` (scripts/setup-cni.sh). */
const BIN_DIR = join(ROOT, ".tools", "cni", "usr", "lib", "cni");

function pings(ns: string, to: string): boolean {
    return answersPing((argv) => execFileSync(argv[0], argv.slice(1), { stdio: "ignore" }), ns, to);
}

/** The addresses host-local holds for the network: its claim files are named by address. */
function claims(dataDir: string): string[] {
    const dir = join(dataDir, "cninet");
    return existsSync(dir) ? readdirSync(dir).filter((f) => /^[0-9.]+$/.test(f)) : [];
}

/**
 * The real CNI plugins (bridge, host-local, portmap, firewall, bandwidth)
 * run as a runtime runs them, against namespaces in a sandbox: the bridge,
 * the host's iptables rules and the plugins' processes all live in the
 * sandbox's host namespace; host-local's claims in a directory of the test's.
 */
describe("integration: CniAttachment runs the reference plugins (root)", function () {
    this.timeout(120_000);
    let sbx: Sandbox;
    let dataDir: string;
    let a: string;
    let b: string;
    const server: ChildProcess[] = [];

    const spec = (namespace: string, change: Record<string, unknown> = {}): CniAttachmentSpec => {
        const result = checkCniAttachment({
            owner: `netplumb:itest/cni@0123456789ab/${namespace}`,
            host: { netns: sbx.host },
            adopt: false,
            namespace,
            network: {
                name: "cninet",
                binDir: BIN_DIR,
                plugins: [
                    {
                        type: "bridge",
                        bridge: "cni-t",
                        isGateway: true,
                        ipam: {
                            type: "host-local",
                            dataDir,
                            ranges: [[{ subnet: "198.51.100.64/26", gateway: "198.51.100.65" }]],
                            routes: [{ dst: "0.0.0.0/0" }],
                        },
                    },
                    { type: "portmap", capabilities: { portMappings: true } },
                    { type: "firewall" },
                    { type: "bandwidth", capabilities: { bandwidth: true } },
                ],
            },
            ...change,
        });
        assert.deepEqual(result.failures, []);
        return result.spec;
    };

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces and the plugins need root");
        requireOrSkip(this, existsSync(join(BIN_DIR, "bridge")), "the CNI plugins are not unpacked: run npm run setup");
        requireOrSkip(this, hasCommand("iptables"), "iptables (portmap and firewall call it) is not installed: run npm run setup");
        sbx = new Sandbox("ncni");
        a = sbx.foreignNamespace("a");
        b = sbx.foreignNamespace("b");
        dataDir = mkdtempSync(join(tmpdir(), "netplumb-cni-ipam-"));
    });
    after(() => {
        for (const child of server) if (child.exitCode === null) child.kill("SIGTERM");
        sbx?.destroy();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    const states = new Map<string, Awaited<ReturnType<typeof createCniAttachment>>>();

    it("ADD attaches each namespace: an eth0 with an address from host-local, the result as outputs; they reach each other", async () => {
        states.set(a, await createCniAttachment(spec(a)));
        states.set(
            b,
            await createCniAttachment(
                spec(b, {
                    capabilities: { portMappings: [{ hostPort: 8080, containerPort: 80 }], bandwidth: { ingressRate: 10_000_000, ingressBurst: 1_000_000 } },
                }),
            ),
        );
        const addressOf = (ns: string) => states.get(ns)!.result!.ips![0].address;
        assert.match(addressOf(a), /^198\.51\.100\.(6[6-9]|[7-9]\d|1[01]\d|12[0-6])\/26$/);
        assert.notEqual(addressOf(a), addressOf(b));
        assert.deepEqual(claims(dataDir).sort(), [addressOf(a), addressOf(b)].map((x) => x.split("/")[0]).sort());
        assert.ok(links(a).includes("eth0"));
        assert.ok(pings(a, addressOf(b).split("/")[0]), "a reaches b across the plugin's bridge");
        assert.ok(links(sbx.host).includes("cni-t"), "the bridge is in the sandbox's host namespace");
    });

    it("portmap: the host's port 8080 reaches b's port 80 (bandwidth's shaping is on b's host side)", async () => {
        const child = spawn("ip", ["netns", "exec", b, process.execPath, "-e", "require('net').createServer((s) => s.end('b\\n')).listen(80)"], {
            stdio: "ignore",
        });
        server.push(child);
        let answer = "";
        const script = `const s = require("net").connect(8080, "198.51.100.65"); let d = ""; s.setTimeout(2000, () => s.destroy()); s.on("data", (c) => (d += c)); s.on("error", () => {}); s.on("close", () => process.stdout.write(d));`;
        for (let attempt = 0; attempt < 50 && answer === ""; attempt++) {
            await new Promise((r) => setTimeout(r, 100));
            answer = spawnSync("ip", ["netns", "exec", sbx.host, process.execPath, "-e", script], { encoding: "utf8", timeout: 10_000 }).stdout ?? "";
        }
        assert.equal(answer, "b\n");
        const qdiscs = execFileSync("tc", ["-n", sbx.host, "-j", "qdisc", "show"], { encoding: "utf8" });
        assert.ok(/"kind":"tbf"/.test(qdiscs), "bandwidth put a token bucket on the host side");
    });

    it("CHECK on refresh: unchanged reads back as it was; an interface deleted behind the scenes is drift naming the plugin; update attaches again", async () => {
        const state = states.get(a)!;
        assert.deepEqual(await readCniAttachment(state), state);
        ip("-n", a, "link", "del", "eth0");
        const drifted = await readCniAttachment(state);
        assert.match(drifted?.drift ?? "", /CNI plugin bridge failed CHECK/);
        const repaired = await updateCniAttachment(drifted!, spec(a));
        states.set(a, repaired);
        assert.ok(links(a).includes("eth0"));
        assert.deepEqual(await readCniAttachment(repaired), repaired);
        assert.equal(claims(dataDir).length, 2, "the old claim was released by DEL, a new one made by ADD");
    });

    it("a failing plugin in ADD: DEL runs for the list, nothing is left attached, and the error names the plugin", async () => {
        const c = sbx.foreignNamespace("c");
        const bad = spec(c, {
            network: { ...spec(c).network, plugins: [...spec(c).network.plugins, { type: "tuning", sysctl: { "net.ipv4.no_such_key": "1" } }] },
        });
        await assert.rejects(createCniAttachment(bad), /attaching .*-c to CNI network cninet: CNI plugin tuning failed ADD/);
        assert.ok(!links(c).includes("eth0"), "the bridge plugin's interface is gone again");
        assert.equal(claims(dataDir).length, 2, "its address claim too");
    });

    it("ADD into a namespace that does not exist says so and runs nothing", async () => {
        await assert.rejects(createCniAttachment(spec(sbx.name("ghost"))), /namespace .*-ghost does not exist: create it first/);
    });

    it("DEL detaches each and releases its address; DEL again (already gone) is fine; GC goes to no reference plugin (none lists CNI 1.1.0)", async () => {
        for (const state of states.values()) await deleteCniAttachment(state);
        assert.ok(!links(a).includes("eth0") && !links(b).includes("eth0"));
        assert.deepEqual(claims(dataDir), []);
        for (const state of states.values()) await deleteCniAttachment(state);
        assert.deepEqual(await collectGarbage(spec(a)), []);
    });

    it("GC goes to a plugin whose VERSION lists 1.1.0, with no valid attachments", async () => {
        const bin = mkdtempSync(join(tmpdir(), "netplumb-cni-bin-"));
        try {
            // A plugin of the test's own at the plugin seam: answers VERSION with 1.1.0 and records the GC it is sent.
            const script = `#!/bin/sh\ncase "$CNI_COMMAND" in\nVERSION) echo '{"cniVersion":"1.1.0","supportedVersions":["1.0.0","1.1.0"]}' ;;\nGC) cat > "${bin}/gc-called" ;;\nesac\n`;
            writeFileSync(join(bin, "gc-probe"), script, { mode: 0o755 });
            const network = { ...spec(a).network, binDir: bin, plugins: [{ type: "gc-probe" }] };
            assert.deepEqual(await collectGarbage({ host: { netns: sbx.host }, network }), ["gc-probe"]);
            const sent = JSON.parse(readFileSync(join(bin, "gc-called"), "utf8")) as Record<string, unknown>;
            assert.equal(sent.cniVersion, "1.1.0");
            assert.equal(sent.name, "cninet");
            assert.deepEqual(sent["cni.dev/valid-attachments"], []);
        } finally {
            rmSync(bin, { recursive: true, force: true });
        }
    });
});

describe("integration: CniNetwork cleans up after the bridge plugin (root)", function () {
    this.timeout(120_000);
    let sbx: Sandbox;
    let work: string;
    let member: string;

    const network = (bridge: string, subnet: string): CniNetworkSpec => {
        const { spec, failures } = checkCniNetwork({
            owner: "netplumb:itest/cni@0123456789ab/net",
            host: { netns: sbx.host },
            adopt: false,
            name: "cninet",
            dir: join(work, "net.d"),
            binDir: BIN_DIR,
            plugins: [{ type: "bridge", bridge, isGateway: true, ipam: { type: "host-local", dataDir: join(work, "ipam"), ranges: [[{ subnet }]] } }],
        });
        assert.deepEqual(failures, []);
        return spec;
    };
    const attach = async (net: CniNetworkSpec) => {
        const { spec, failures } = checkCniAttachment({
            owner: "netplumb:itest/cni@0123456789ab/att",
            host: { netns: sbx.host },
            adopt: false,
            namespace: member,
            network: { name: net.name, binDir: BIN_DIR, plugins: net.plugins },
        });
        assert.deepEqual(failures, []);
        return createCniAttachment(spec);
    };
    const bridgeAddresses = (bridge: string) =>
        (
            JSON.parse(ip("-n", sbx.host, "-j", "addr", "show", "dev", bridge)) as Array<{
                addr_info: Array<{ local: string; prefixlen: number; scope: string }>;
            }>
        )[0].addr_info
            .filter((a) => a.scope !== "link")
            .map((a) => `${a.local}/${a.prefixlen}`);

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces and the plugins need root");
        requireOrSkip(this, existsSync(join(BIN_DIR, "bridge")), "the CNI plugins are not unpacked: run npm run setup");
        sbx = new Sandbox("ncnb");
        member = sbx.foreignNamespace("m");
        work = mkdtempSync(join(tmpdir(), "netplumb-cni-bridge-"));
    });
    after(() => {
        sbx?.destroy();
        if (work) rmSync(work, { recursive: true, force: true });
    });

    it("a range change takes the old gateway off the bridge, so the next ADD gets the new range; delete removes the bridge the plugin made", async () => {
        const first = network("cnb0", "198.51.100.64/26");
        const made = await createCniNetwork(first);
        assert.deepEqual(made.createdBridges, ["cnb0"], "the bridge did not exist: the plugin will make it");
        await deleteCniAttachment(await attach(first));
        assert.deepEqual(bridgeAddresses("cnb0"), ["198.51.100.65/26"]);
        const second = network("cnb0", "198.51.100.128/26");
        const updated = await updateCniNetwork(made, second);
        assert.deepEqual(bridgeAddresses("cnb0"), [], "the old gateway is gone");
        const attached = await attach(second);
        assert.deepEqual(
            attached.result?.ips?.map((i) => i.address),
            ["198.51.100.130/26"],
        );
        assert.deepEqual(bridgeAddresses("cnb0"), ["198.51.100.129/26"]);
        await deleteCniAttachment(attached);
        await deleteCniNetwork(updated);
        assert.ok(!links(sbx.host).includes("cnb0"), "the bridge the plugin made is gone with the network");
    });

    it("a bridge that was there before the network stays when the network goes", async () => {
        ip("-n", sbx.host, "link", "add", "cnb1", "type", "bridge");
        const net = network("cnb1", "198.51.100.192/26");
        const made = await createCniNetwork(net);
        assert.deepEqual(made.createdBridges, []);
        await deleteCniAttachment(await attach(net));
        await deleteCniNetwork(made);
        assert.ok(links(sbx.host).includes("cnb1"), "not the network's to remove");
    });
});

import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "fs";
import { join } from "path";
import { ROOT, hasPulumi, nameOf } from "../support/engine";
import { ExampleProject } from "../support/example-project";
import { answersPing } from "../support/reach";
import { links, namespaces } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip, runTag } from "../support/suite";

/** Debian's reference plugins, unpacked by `npm run setup` (scripts/setup-cni.sh). */
const BIN_DIR = join(ROOT, ".tools", "cni", "usr", "lib", "cni");

const pings = (from: string, to: string) => answersPing((argv) => execFileSync(argv[0], argv.slice(1), { stdio: "ignore" }), from, to);

/** What the plugins' host-local holds: claim files named by address. */
function claims(dataDir: string, network: string): string[] {
    const dir = join(dataDir, network);
    return existsSync(dir) ? readdirSync(dir).filter((f) => /^[0-9.]+$/.test(f)) : [];
}

/** Connects to host:port from a namespace; what the server wrote, or "" when nothing answered. */
function fetchFrom(netns: string, host: string, port: number): string {
    const script = `const s = require("net").connect(${port}, ${JSON.stringify(host)}); let d = ""; s.setTimeout(2000, () => s.destroy()); s.on("data", (c) => (d += c)); s.on("error", () => {}); s.on("close", () => process.stdout.write(d));`;
    return spawnSync("ip", ["netns", "exec", netns, process.execPath, "-e", script], { encoding: "utf8", timeout: 10_000 }).stdout ?? "";
}

describe("e2e: examples/cni — a CNI network and three namespaces attached by the reference plugins (real CLI, packed tarball)", function () {
    this.timeout(10 * 60 * 1000);
    const prefix = `c${runTag()}`;
    const network = `${prefix}net`;
    let work: string;
    let project: ExampleProject;
    const servers: ChildProcess[] = [];
    const addresses = () => project.output<Record<string, string[]>>("addresses");

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces and the plugins need root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        requireOrSkip(this, existsSync(join(BIN_DIR, "bridge")), "the CNI plugins are not unpacked: run npm run setup");
        requireOrSkip(this, hasCommand("iptables"), "iptables (portmap and firewall call it) is not installed: run npm run setup");
        work = mkdtempSync(join(ROOT, ".tools", "e2e", "cni-work-"));
        project = new ExampleProject("cni", "netplumb-cni", prefix, { confDir: join(work, "net.d"), binDir: BIN_DIR, dataDir: join(work, "ipam") });
    });

    after(() => {
        for (const child of servers) if (child.exitCode === null) child.kill("SIGTERM");
        project?.dispose();
        if (work) rmSync(work, { recursive: true, force: true });
    });

    it("up writes the conflist and attaches web, api and db: each an address of the range; they reach each other", () => {
        project.ok("up", "--yes", "--skip-preview");
        assert.deepEqual(readdirSync(join(work, "net.d")), [`10-${network}.conflist`]);
        const all = Object.values(addresses()).map((a) => a[0]);
        assert.equal(new Set(all).size, 3);
        for (const a of all) assert.match(a, /^198\.51\.100\.(6[5-9]|[7-9]\d|1[01]\d|12[0-6])\/26$/);
        assert.equal(claims(join(work, "ipam"), network).length, 3);
        assert.ok(pings(`${prefix}-api`, addresses().web[0].split("/")[0]), "api reaches web over the plugin's bridge");
    });

    it("the port mapping (portmap, from the runtime's portMappings capability) reaches a server inside web", async () => {
        servers.push(
            spawn("ip", ["netns", "exec", `${prefix}-web`, process.execPath, "-e", "require('net').createServer((s) => s.end('web\\n')).listen(80)"], {
                stdio: "ignore",
            }),
        );
        let answer = "";
        for (let attempt = 0; attempt < 50 && answer === ""; attempt++) {
            await new Promise((r) => setTimeout(r, 100));
            answer = fetchFrom(`${prefix}-host`, "198.51.100.65", 8080);
        }
        assert.equal(answer, "web\n");
    });

    it("a second preview changes nothing", () => {
        assert.deepEqual(project.changes(), []);
    });

    it("an interface deleted behind the scenes is found by refresh (CHECK fails: drift), and up attaches again", () => {
        execFileSync("ip", ["-n", `${prefix}-api`, "link", "del", "eth0"]);
        project.ok("refresh", "--yes", "--skip-preview");
        const state = JSON.parse(project.ok("stack", "export")) as { deployment: { resources: Array<{ urn: string; outputs?: { drift?: string } }> } };
        const api = state.deployment.resources.find((r) => r.urn.endsWith("::api-cni"))!;
        assert.match(api.outputs?.drift ?? "", /CNI plugin bridge failed CHECK/);
        const changed = project.changes();
        assert.deepEqual(
            changed.map((s) => `${s.op} ${nameOf(s.urn)}`),
            ["update api-cni"],
        );
        project.ok("up", "--yes", "--skip-preview");
        assert.ok(links(`${prefix}-api`).includes("eth0"));
        assert.deepEqual(project.changes(), []);
    });

    it("a range change previews as an update of the network and a replace of each attachment, nothing else; up moves all three into the new range", () => {
        project.ok("config", "set", "subnet", "198.51.100.128/26");
        const changed = project.changes();
        assert.deepEqual(changed.map((s) => `${s.op} ${nameOf(s.urn)}`).sort(), ["replace api-cni", "replace db-cni", "replace web-cni", "update net"].sort());
        project.ok("up", "--yes", "--skip-preview");
        const moved = Object.values(addresses()).map((a) => a[0]);
        for (const a of moved) assert.match(a, /^198\.51\.100\.(129|1[3-8]\d|19[01])\/26$/, a);
        const bridge = JSON.parse(execFileSync("ip", ["-n", `${prefix}-host`, "-j", "addr", "show", "dev", `${prefix}0`], { encoding: "utf8" })) as Array<{
            addr_info: Array<{ local: string; prefixlen: number }>;
        }>;
        assert.deepEqual(
            bridge[0].addr_info.filter((a) => !a.local.startsWith("fe80")).map((a) => `${a.local}/${a.prefixlen}`),
            ["198.51.100.129/26"],
            "the old gateway is gone from the bridge, the new one is there",
        );
        assert.deepEqual(claims(join(work, "ipam"), network).sort(), moved.map((a) => a.split("/")[0]).sort(), "host-local holds exactly the new addresses");
        assert.ok(pings(`${prefix}-db`, addresses().web[0].split("/")[0]), "db reaches web in the new range");
        assert.deepEqual(project.changes(), []);
    });

    it("destroy runs DEL for each attachment and removes the file: no file, namespace, claim or link is left", () => {
        project.ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(readdirSync(join(work, "net.d")), []);
        assert.deepEqual(claims(join(work, "ipam"), network), []);
        assert.deepEqual(
            namespaces().filter((n) => n.startsWith(`${prefix}-`)),
            [],
        );
    });
});

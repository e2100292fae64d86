import { strict as assert } from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { EmulatedHost, EmulatedHosts } from "../support/emulated-host";
import { ROOT, hasPulumi, nameOf } from "../support/engine";
import { answersPing } from "../support/reach";
import { MULTIHOST, SshLabProject } from "../support/ssh-project";
import { hasCommand, isRoot, requireOrSkip, runTag } from "../support/suite";

/** The emulated internet: the control namespace's address on the underlay, where the uplink server answers. */
const INTERNET = "198.51.100.2";

/** What netplumb leaves on a machine: namespaces, nft tables, links of the lab, /etc/netns entries and address claims. */
function leftovers(machine: EmulatedHost) {
    const listed = (argv: string[]) => {
        try {
            return machine.run(argv).split("\n").filter(Boolean).sort();
        } catch {
            return []; // the directory is gone
        }
    };
    return {
        namespaces: listed(["ip", "netns", "list"]),
        tables: listed(["nft", "list", "tables"]).filter((t) => t.includes("netplumb")),
        links: listed(["ip", "-o", "link", "show"]).map((l) => l.split(":")[1].trim().split("@")[0]),
        netnsFiles: listed(["ls", "-A", "/etc/netns"]),
        claims: listed(["ls", "-A", "/var/lib/netplumb/ipam"]),
    };
}

/** The members' namespaces on a machine. */
function namespacesOn(machine: EmulatedHost): string[] {
    return leftovers(machine).namespaces.map((n) => n.split(" ")[0]);
}

/** Members and where they live (the example's default, written out so a test can move one). */
const MEMBERS = {
    web: { host: "h1", ingress: [{ protocol: "tcp", ports: [80] }, { protocol: "icmp" }] },
    api: {
        host: "h2",
        address: "203.0.113.20",
        egress: [
            { protocol: "tcp", ports: [80] },
            { protocol: "udp", ports: [53] },
        ],
        portForwards: [{ hostPort: 8080, port: 80 }],
    },
    db: { host: "h3", egress: "deny", ingress: "deny" },
    cache: { host: "h3", egress: [{ protocol: "tcp", ports: [443] }] },
    // Docker's other models: a sidecar in web's namespace, loopback only, the host's own network, macvlan on h3's underlay.
    sidecar: { host: "h1", attachment: { container: "web" } },
    quiet: { host: "h2", attachment: "none" },
    hostnet: { host: "h2", attachment: "host" },
    edge: { host: "h3", attachment: { macvlan: { parent: "eth0", address: "198.51.100.40/24" } }, egress: "deny" },
};

describe("e2e: examples/multihost — one lab over three machines reached over SSH, joined by VXLAN (real CLI, packed tarball, Debian's sshd)", function () {
    this.timeout(15 * 60 * 1000);
    let machines: EmulatedHosts;
    let project: SshLabProject;
    let internet: ChildProcess | undefined;
    let untouched: ReturnType<typeof leftovers>[];
    const [h1, h2, h3] = [0, 1, 2].map((i) => () => machines.hosts[i]);

    before(async function () {
        requireOrSkip(this, isRoot(), "emulated machines need root (namespaces, mounts)");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        requireOrSkip(this, existsSync(join(ROOT, ".tools", "openssh", "usr", "sbin", "sshd")), "sshd is not unpacked: run npm run setup");
        requireOrSkip(this, hasCommand("ssh-keygen"), "ssh-keygen (openssh-client) is not installed");
        machines = new EmulatedHosts(3);
        await machines.start();
        untouched = machines.hosts.map(leftovers);
        const server = join(ROOT, "dist", "sdk", "sandbox", "uplink-server.js");
        internet = spawn("ip", ["netns", "exec", machines.control, process.execPath, server, "--ports", "80,443,22", "--records", `example.test=${INTERNET}`], {
            stdio: "ignore",
        });
        project = new SshLabProject(
            machines,
            `mh-${runTag()}`,
            { members: JSON.stringify(MEMBERS), internet: JSON.stringify({ address: INTERNET, dnsName: "example.test" }) },
            MULTIHOST,
        );
    });

    after(async () => {
        project?.dispose();
        if (internet?.pid !== undefined && internet.exitCode === null) internet.kill("SIGTERM");
        await machines?.destroy();
    });

    let upOutput = "";
    it("up builds each member on its machine, one bridge and one VXLAN device on each, the gateway on h1", () => {
        upOutput = project.ok("up", "--yes", "--skip-preview");
        assert.deepEqual(namespacesOn(h1()), ["mh-web"], "the sidecar has no namespace of its own");
        assert.deepEqual(namespacesOn(h2()), ["mh-api", "mh-quiet"], "the host member has none either");
        assert.deepEqual(namespacesOn(h3()), ["mh-cache", "mh-db", "mh-edge"]);
        for (const machine of machines.hosts) {
            const vxlan = JSON.parse(machine.run(["ip", "-j", "-d", "link", "show", "vx4200"])) as Array<{ master: string; mtu: number }>;
            assert.equal(vxlan[0].master, "br-mh", `${machine.address}: the tunnel joins the lab bridge`);
            const bridge = JSON.parse(machine.run(["ip", "-j", "-4", "addr", "show", "br-mh"])) as Array<{ addr_info: Array<{ local: string }> }>;
            const expected = machine === h1() ? ["203.0.113.1"] : [];
            assert.deepEqual(
                bridge.flatMap((b) => b.addr_info.map((a) => a.local)),
                expected,
                `${machine.address}: only the gateway host's bridge has an address`,
            );
        }
        assert.equal(h2().run(["ip", "netns", "exec", "mh-api", "ip", "-4", "-o", "addr", "show", "eth0"]).includes("203.0.113.20/26"), true);
    });

    it("attachments: none has loopback only; the macvlan member is on h3's underlay network; up said which policy it cannot enforce", () => {
        assert.deepEqual(
            h2()
                .run(["ip", "-n", "mh-quiet", "-o", "link", "show"])
                .split("\n")
                .filter(Boolean)
                .map((l) => l.split(":")[1].trim()),
            ["lo"],
        );
        const edge = JSON.parse(h3().run(["ip", "-n", "mh-edge", "-j", "-d", "addr", "show", "eth0"])) as Array<{
            linkinfo: { info_kind: string; info_data: { mode: string } };
            addr_info: Array<{ local: string }>;
        }>;
        assert.equal(edge[0].linkinfo.info_kind, "macvlan");
        assert.equal(edge[0].linkinfo.info_data.mode, "bridge");
        assert.ok(edge[0].addr_info.some((a) => a.local === "198.51.100.40"));
        assert.ok(
            answersPing((argv) => h3().run(argv), "mh-edge", INTERNET),
            "edge reaches the emulated internet straight over the underlay",
        );
        assert.match(upOutput, /members\.edge\.egress: not enforced: edge is attached as macvlan/);
    });

    it("members on different machines reach each other over the overlay, as their ingress policies allow", () => {
        const run = (machine: EmulatedHost) => (argv: string[]) => machine.run(argv);
        assert.ok(answersPing(run(h2()), "mh-api", "203.0.113.1"), "api on h2 reaches the gateway on h1");
        const web = h1()
            .run(["ip", "-n", "mh-web", "-4", "-o", "addr", "show", "eth0"])
            .match(/inet (\S+)\//)![1];
        assert.ok(answersPing(run(h3()), "mh-cache", web), "cache on h3 reaches web on h1 (ICMP allowed)");
        assert.ok(
            !answersPing(
                run(h2()),
                "mh-api",
                h3()
                    .run(["ip", "-n", "mh-db", "-4", "-o", "addr", "show", "eth0"])
                    .match(/inet (\S+)\//)![1],
            ),
            "db's ingress is deny",
        );
    });

    it("`netplumb check` probes on each machine over SSH: every cell matches the declared policy, across machines and to the internet", () => {
        const result = project.netplumb("check", "--json");
        assert.equal(result.code, 0, `check failed:\n${result.stdout}\n${result.stderr}`);
        const cells = JSON.parse(result.stdout) as { cells: Array<{ from: string; to: string; expected: boolean; actual: boolean }> };
        const parsed = cells as unknown as { unchecked: Array<{ member: string }> };
        assert.equal(cells.cells.length, 4 * 3 + 4 * 4 + (4 + 4), "every bridge member pair, every member's four internet cells, and quiet's");
        assert.ok(
            cells.cells.filter((c) => c.from === "quiet").every((c) => c.actual === false),
            "quiet reaches nothing",
        );
        assert.deepEqual(
            parsed.unchecked.map((u) => u.member),
            ["edge", "hostnet", "sidecar"],
            "what check does not probe, and says so",
        );
        assert.ok(cells.cells.every((c) => c.actual === c.expected));
        const cell = (from: string, to: string) => cells.cells.find((c) => c.from === from && c.to === to)!;
        assert.equal(cell("api", "internet tcp/80").actual, true, "api on h2 gets out through h1's NAT");
        assert.equal(cell("api", "internet tcp/443").actual, false, "api's egress policy holds though it lives on h2: enforced on h1");
        assert.equal(cell("cache", "internet tcp/443").actual, true);
        assert.equal(cell("db", "dns example.test").actual, false);
    });

    it("a port forward on h1 reaches a member on h2 over the overlay", async () => {
        const server = h2().background([
            "ip",
            "netns",
            "exec",
            "mh-api",
            process.execPath,
            "-e",
            "require('net').createServer((s) => s.end('api\\n')).listen(80)",
        ]);
        try {
            let answer = "";
            for (let attempt = 0; attempt < 50 && answer === ""; attempt++) {
                await new Promise((r) => setTimeout(r, 100));
                answer = connectFromControl(machines, h1().address, 8080);
            }
            assert.equal(answer, "api\n");
        } finally {
            server.kill("SIGTERM");
        }
    });

    it("a second preview changes nothing", () => {
        assert.deepEqual(project.changes(), []);
    });

    it("moving a member to another machine previews and applies as a replace of that member only", () => {
        project.ok("config", "set", "members", JSON.stringify({ ...MEMBERS, api: { ...MEMBERS.api, host: "h3" } }));
        const changed = project.changes();
        assert.deepEqual(
            [...new Set(changed.map((s) => nameOf(s.urn)))],
            ["mh-api"],
            `only api changes: ${changed.map((s) => `${s.op} ${nameOf(s.urn)}`).join(", ")}`,
        );
        assert.ok(changed.some((s) => s.op === "replace" || s.op === "delete-replaced"));
        project.ok("up", "--yes", "--skip-preview");
        assert.deepEqual(namespacesOn(h2()), ["mh-quiet"], "nothing of api is left on h2");
        assert.deepEqual(namespacesOn(h3()), ["mh-api", "mh-cache", "mh-db", "mh-edge"]);
        assert.ok(
            answersPing((argv) => h3().run(argv), "mh-api", "203.0.113.1"),
            "api on h3 reaches the gateway, with the same address",
        );
        assert.deepEqual(project.changes(), []);
    });

    it("h2's sshd cut in the middle of `up` (after one new member there, before the next) fails naming h2; once sshd is back, the next `up` converges and the check passes", async () => {
        // x2 is handed an address, so it is created after x1, which asked for one: the cut lands between them.
        project.ok("config", "set", "members", JSON.stringify({ ...MEMBERS, x1: { host: "h2", address: "203.0.113.30" }, x2: { host: "h2" } }));
        const holdFile = join(project.dir, "held-up");
        rmSync(holdFile, { force: true });
        rmSync(`${holdFile}.release`, { force: true });
        const up = project.runInBackground(["up", "--yes", "--skip-preview"], { NETPLUMB_TEST_HOLD: `${holdFile}:1:mh-x1/member/` });
        let over = false;
        void up.then(() => (over = true));
        for (let waited = 0; !(existsSync(holdFile) && readFileSync(holdFile, "utf8").includes("mh-x1")); waited += 100) {
            if (over) assert.fail(`up ended before x1 was created:\n${(await up).out}`);
            assert.ok(waited < 10 * 60 * 1000, "x1 was not created within 10 minutes");
            await new Promise((r) => setTimeout(r, 100));
        }
        assert.deepEqual(namespacesOn(h2()), ["mh-api", "mh-quiet", "mh-x1"], "the cut lands after x1 and before x2");
        await h2().stopSshd();
        let failed: { code: number; out: string };
        try {
            writeFileSync(`${holdFile}.release`, "");
            failed = await up;
        } finally {
            await h2().startSshd();
        }
        assert.notEqual(failed.code, 0, "up cannot finish x2 without h2's sshd");
        assert.match(failed.out, new RegExp(`root@${h2().address.replace(/\./g, "\\.")}:22`), "the error names the machine");
        project.ok("up", "--yes", "--skip-preview");
        assert.deepEqual(namespacesOn(h2()), ["mh-api", "mh-quiet", "mh-x1", "mh-x2"]);
        assert.deepEqual(project.changes(), []);
        const check = project.netplumb("check");
        assert.equal(check.code, 0, check.stdout + check.stderr);
    });

    it("destroy leaves every machine as it was", () => {
        project.ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(machines.hosts.map(leftovers), untouched);
    });
});

/** Connects to host:port from the control namespace and returns what the server wrote ("" when nothing answered). */
function connectFromControl(machines: EmulatedHosts, host: string, port: number): string {
    const script = `const s = require("net").connect(${port}, ${JSON.stringify(host)}); let d = ""; s.setTimeout(2000, () => s.destroy()); s.on("data", (c) => (d += c)); s.on("error", () => {}); s.on("close", () => process.stdout.write(d));`;
    return spawnSync("ip", ["netns", "exec", machines.control, process.execPath, "-e", script], { encoding: "utf8", timeout: 10_000 }).stdout ?? "";
}

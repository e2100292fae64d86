import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { LabTopology } from "../../sdk/components/topology";
import { hasPulumi } from "../support/engine";
import { LabProject } from "../support/lab-project";
import { namespaces } from "../support/sandbox";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";
import { DoctorLab, doctorBreaks, run } from "../support/doctor-breaks";

const allowDns = [
    { protocol: "tcp", ports: [80, 443] },
    { protocol: "udp", ports: [53] },
];
const members = (blueEgress: unknown = allowDns) => ({
    red: { egress: "allow", portForwards: [{ hostPort: 8080, port: 80 }] },
    blue: { egress: blueEgress },
    green: { egress: "deny", ingress: "deny" },
});

describe("e2e: netplumb doctor names each fault of a broken sandboxed lab, and nothing else", function () {
    this.timeout(10 * 60 * 1000);
    const prefix = `nd${runTag()}`;
    let lab: LabProject;
    let baseline: MachineSnapshot;
    let topology: LabTopology;
    let listener: ChildProcess | undefined;

    /** The findings as [id, member?], sorted. */
    const findings = (report: ReturnType<LabProject["doctor"]>["report"]) => report.findings.map((f) => (f.member ? [f.id, f.member] : [f.id])).sort();
    /** doctor on the stack: asserts the exit code matches the findings and returns them. */
    const doctor = () => {
        const r = lab.doctor();
        assert.equal(r.code, r.report.findings.length === 0 ? 0 : 1, r.err);
        return r.report;
    };
    const assertClean = (after: string) => assert.deepEqual(findings(doctor()), [], `after ${after}`);

    const memberOf = (name: string) => topology.members.find((m) => m.name === name)!;
    const redListens = () => run(["ip", "netns", "exec", memberOf("red").namespace, "ss", "-Hltn"]).includes(":80 ");

    /** A TCP server on red's port 80 (what its port forward leads to), started and stopped by its PID. */
    function startListener(): void {
        listener = spawn("ip", ["netns", "exec", memberOf("red").namespace, process.execPath, "-e", "require('net').createServer((s) => s.end()).listen(80)"], {
            stdio: "ignore",
        });
        for (let i = 0; i < 200 && !redListens(); i++) execFileSync("sleep", ["0.05"]);
        assert.ok(redListens(), "the test's server listens in red");
    }
    function stopListener(): void {
        if (listener?.pid !== undefined && listener.exitCode === null) process.kill(listener.pid, "SIGKILL");
        for (let i = 0; i < 200 && redListens(); i++) execFileSync("sleep", ["0.05"]);
        listener = undefined;
    }

    before(function () {
        requireOrSkip(this, isRoot(), "the lab builds network namespaces and nftables rules, which needs root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        baseline = machineSnapshot();
        lab = new LabProject(prefix, members(), baseline);
        lab.ok("up", "--yes", "--skip-preview");
        topology = JSON.parse(lab.ok("stack", "output", "topology", "--json")) as LabTopology;
        startListener();
    });

    after(() => {
        stopListener();
        for (const extra of [`${prefix}-ghost`, `${prefix}-intruder`]) if (namespaces().includes(extra)) run(["ip", "netns", "delete", extra]);
        lab?.dispose();
    });

    it("a healthy lab: no findings, exit 0, nothing skipped as root; the text report says so", () => {
        const report = doctor();
        assert.deepEqual(findings(report), []);
        assert.deepEqual(report.skipped, []);
        const text = lab.netplumb("doctor", "--stack", lab.stack, "--cwd", lab.dir);
        assert.equal(text.code, 0, text.out);
        assert.equal(text.stdout, `doctor: no problems found in lab ${prefix}\n`);
    });

    describe("each break, then its repair", () => {
        // The example's bridge; members are looked up when a break runs, once the lab is up.
        const lazy: DoctorLab = { prefix, host: `${prefix}-host`, inet: `${prefix}-inet`, bridge: "br-lab", member: (name) => memberOf(name) };
        for (const brk of doctorBreaks(lazy)) {
            it(`${brk.name}: doctor names ${brk.expect.map((e) => e.join(" ")).join(", ")} only`, () => {
                brk.apply();
                try {
                    assert.deepEqual(findings(doctor()), [...brk.expect].sort());
                } finally {
                    brk.repair();
                }
                assertClean(`repairing: ${brk.name}`);
            });
        }
    });

    it("a port forward with nothing listening behind it: forward-no-listener for red; the text report gives cause, evidence and fix", () => {
        stopListener();
        try {
            assert.deepEqual(findings(doctor()), [["forward-no-listener", "red"]]);
            const text = lab.netplumb("doctor", "--stack", lab.stack, "--cwd", lab.dir);
            assert.equal(text.code, 1);
            assert.match(
                text.stdout,
                /^1\. connections to the host's tcp port 8080 fail \[forward-no-listener\]\n {3}cause: {4}nothing in red listens on tcp port 80/,
            );
            assert.match(text.stdout, new RegExp(`evidence: ip netns exec ${prefix}-red ss -Hlntu\\n {13}no tcp socket listening on port 80`));
            assert.match(text.stdout, /doctor: 1 problem found in lab/);
        } finally {
            startListener();
        }
        assertClean("restarting the server");
    });

    it("a member whose own policy blocks DNS (declared by `pulumi up`): dns-blocked-by-policy for blue", () => {
        lab.ok("config", "set", "members", JSON.stringify(members([{ protocol: "tcp", ports: [80, 443] }])));
        lab.ok("up", "--yes", "--skip-preview");
        try {
            const report = doctor();
            assert.deepEqual(findings(report), [["dns-blocked-by-policy", "blue"]]);
            assert.match(report.findings[0].fix, /members\.blue\.egress/);
        } finally {
            lab.ok("config", "set", "members", JSON.stringify(members()));
            lab.ok("up", "--yes", "--skip-preview");
        }
        assertClean("allowing DNS again");
    });

    it("a namespace carrying this stack's tag for a resource it no longer has: a leftover, removed by the fix doctor gives", () => {
        const owner = (JSON.parse(lab.ok("stack", "export")) as { deployment: { resources: Array<{ outputs?: { owner?: string } }> } }).deployment.resources
            .map((r) => r.outputs?.owner)
            .find((o) => o?.startsWith("netplumb:"))!;
        const ghost = `${prefix}-ghost`;
        run(["ip", "netns", "add", ghost]);
        run(["ip", "-n", ghost, "link", "set", "lo", "alias", `${owner.slice(0, owner.lastIndexOf("/"))}/${prefix}-ghost`]);
        const report = doctor();
        assert.deepEqual(findings(report), [["leftover"]]);
        assert.equal(report.findings[0].fix, `\`ip netns delete ${ghost}\``);
        run(report.findings[0].fix.slice(1, -1).split(" "));
        assert.ok(!namespaces().includes(ghost));
        assertClean("running the fix");
    });

    it("--from red --to green explains the denial by green's declared ingress policy, with the rule enforcing it; red to blue is no finding", () => {
        const denied = lab.doctor("--from", "red", "--to", "green", "--port", "tcp/80");
        assert.equal(denied.code, 1);
        assert.deepEqual(findings(denied.report), [["ingress-policy", "green"]]);
        const green = memberOf("green").address.replace(/\./g, "\\.");
        assert.match(
            denied.report.findings[0].evidence[1].showed,
            new RegExp(`^inet \\S+ \\S+_ingress: iifname "br-lab" oifname "br-lab" ip daddr ${green} drop$`),
        );
        const allowed = lab.doctor("--from", "red", "--to", "blue");
        assert.deepEqual(findings(allowed.report), []);
    });

    it("doctor changes nothing: the machine is the same before and after a run on a broken lab", () => {
        const brk = doctorBreaks(lazyLab()).find((b) => b.expect[0]?.[0] === "bridge-port-down")!;
        brk.apply();
        try {
            const before = machineSnapshot();
            doctor();
            assert.deepEqual(machineSnapshot(), before);
        } finally {
            brk.repair();
        }
    });

    it("without root it reads what it can (the members' resolv.conf files), finds what those show, and lists what it skipped", () => {
        const base = mkdtempSync(join(tmpdir(), "netplumb-doctor-user-"));
        const resolv = `/etc/netns/${memberOf("blue").namespace}/resolv.conf`;
        try {
            chmodSync(base, 0o755);
            cpSync(join(lab.dir, "node_modules"), join(base, "node_modules"), { recursive: true });
            writeFileSync(join(base, "topology.json"), JSON.stringify(topology));
            execFileSync("chown", ["-R", "nobody", base]);
            const asNobody = () =>
                spawnSync(
                    "runuser",
                    [
                        "-u",
                        "nobody",
                        "--",
                        process.execPath,
                        join(base, "node_modules", "netplumb", "dist", "sdk", "cli.js"),
                        "doctor",
                        "--topology",
                        join(base, "topology.json"),
                        "--json",
                    ],
                    {
                        cwd: base,
                        encoding: "utf8",
                    },
                );
            const clean = asNobody();
            assert.equal(clean.status, 0, clean.stderr);
            const report = JSON.parse(clean.stdout) as { findings: unknown[]; skipped: Array<{ check: string; why: string }> };
            assert.deepEqual(report.findings, []);
            assert.deepEqual(
                report.skipped.map((s) => s.why),
                [
                    `entering ${prefix}-host needs root`,
                    "entering a member's namespace needs root",
                    "it needs the stack's state: read the topology from a stack, not a file",
                ],
            );
            execFileSync("mv", [resolv, `${resolv}.doctor-test`]);
            try {
                const broken = asNobody();
                assert.equal(broken.status, 1, broken.stderr);
                assert.deepEqual(
                    (JSON.parse(broken.stdout) as { findings: Array<{ id: string; member: string }> }).findings.map((f) => [f.id, f.member]),
                    [["resolv-missing", "blue"]],
                );
            } finally {
                execFileSync("mv", [`${resolv}.doctor-test`, resolv]);
            }
        } finally {
            rmSync(base, { recursive: true, force: true });
        }
    });

    function lazyLab(): DoctorLab {
        return { prefix, host: `${prefix}-host`, inet: `${prefix}-inet`, bridge: topology.bridge.name, member: memberOf };
    }
});

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { LabTopology } from "../../sdk/components/topology";
import { CliContext, runCli } from "../../sdk/cli/program";
import { PulumiRunner } from "../../sdk/cli/topology-source";
import type { CheckOptions } from "../../sdk/tools/check";
import type { MatrixCell } from "../../sdk/tools/expectations";

const topology: LabTopology = {
    bridge: { name: "br-lab", subnet: "198.51.100.0/24", gateway: "198.51.100.1" },
    uplink: "wan0",
    nat: true,
    members: [{ name: "red", namespace: "lab-red", hostInterface: "vlab-red", interface: "eth0", address: "198.51.100.2", egress: "allow", nameservers: [] }],
} as unknown as LabTopology;

/** A command line run with recorded output and a fake pulumi / root / prober. */
async function cli(argv: string[], overrides: Partial<CliContext> = {}) {
    let out = "";
    let err = "";
    const context: CliContext = {
        out: (t) => (out += t),
        err: (t) => (err += t),
        pulumi: () => ({ status: 0, stdout: JSON.stringify(topology), stderr: "", missing: false }),
        isRoot: () => true,
        check: async () => [{ from: "red", to: "internet tcp/80", probe: { kind: "tcp", address: "203.0.113.1", port: 80 }, expected: true, actual: true }],
        doctor: async () => ({ lab: "lab", findings: [], skipped: [] }),
        version: "0.1.0",
        interactive: false,
        now: () => 0,
        ...overrides,
    };
    const code = await runCli(argv, context);
    return { code, out, err };
}

const cells = (actual: boolean): MatrixCell[] => [
    { from: "red", to: "internet tcp/80", probe: { kind: "tcp", address: "203.0.113.1", port: 80 }, expected: true, actual },
];

const failing =
    (stderr: string, missing = false): PulumiRunner =>
    () => ({ status: missing ? null : 255, stdout: "", stderr, missing });

describe("the netplumb command line", () => {
    it("--help lists every command with its description and the exit codes", async () => {
        const r = await cli(["--help"]);
        assert.equal(r.code, 0);
        assert.match(r.out, /Usage: netplumb \[options\] \[command\]/);
        assert.match(r.out, /check \[options\] +probe every member pair/);
        assert.match(r.out, /diagram \[options\] +write topology\.svg/);
        assert.match(r.out, /doctor \[options\] +diagnose a lab/);
        assert.match(r.out, /Exit codes: 0 all well, 1 a check differs from the declared policy or doctor found a problem, 2 a usage or environment error/);
    });

    it("<command> --help shows every option, its default and an example", async () => {
        const r = await cli(["diagram", "--help"]);
        assert.equal(r.code, 0);
        for (const option of ["--stack <name>", "--cwd <dir>", "--topology <file>", "--json", "--out <dir>"]) assert.ok(r.out.includes(option), option);
        assert.match(r.out, /\(default: "\."\)/);
        assert.match(r.out, /Example:\n {2}netplumb diagram --stack lab --out docs/);
    });

    it("--version prints the version", async () => {
        const r = await cli(["--version"]);
        assert.deepEqual([r.code, r.out.trim()], [0, "0.1.0"]);
    });

    it("no arguments print the help and exit 2", async () => {
        const r = await cli([]);
        assert.equal(r.code, 2);
        assert.match(r.out, /Usage: netplumb/);
    });

    it("an unknown command or option fails with exit 2 and a suggestion", async () => {
        const command = await cli(["chek"]);
        assert.equal(command.code, 2);
        assert.match(command.err, /unknown command 'chek'/);
        assert.match(command.err, /Did you mean check\?/);
        const option = await cli(["check", "--stak", "lab"]);
        assert.equal(option.code, 2);
        assert.match(option.err, /unknown option '--stak'/);
        assert.match(option.err, /Did you mean --stack\?/);
    });

    it("check prints the matrix and exits 0 when it matches; --json prints the cells", async () => {
        const text = await cli(["check", "--stack", "lab"]);
        assert.equal(text.code, 0);
        assert.match(text.out, /all 1 checks match the declared policy/);
        const json = await cli(["check", "--json"]);
        assert.deepEqual(JSON.parse(json.out).passed, true);
        assert.equal(JSON.parse(json.out).cells.length, 1);
    });

    it("check --only keeps one member's probes, --sample bounds them, and the time taken is reported", async () => {
        let seen: CheckOptions | undefined;
        let clock = 0;
        const r = await cli(["check", "--only", "red", "--sample", "5", "--concurrency", "3"], {
            check: async (_t, options) => ((seen = options), cells(true)),
            now: () => (clock += 1500),
        });
        assert.equal(r.code, 0);
        assert.deepEqual([seen?.only, seen?.sample, seen?.concurrency], ["red", 5, 3]);
        assert.match(r.out, /checked 1 cells in 1\.5 s/);
        const unknown = await cli(["check", "--only", "mauve"]);
        assert.equal(unknown.code, 2);
        assert.match(unknown.err, /--only "mauve" is not a member of this lab; members: red/);
        const zero = await cli(["check", "--sample", "0"]);
        assert.equal(zero.code, 2);
        assert.match(zero.err, /--sample "0" is not a whole number of at least 1/);
    });

    it("shows progress on a terminal only", async () => {
        const progress = (options: CheckOptions) => (options.onProgress?.(1, 2), options.onProgress?.(2, 2), cells(true));
        const tty = await cli(["check"], { interactive: true, check: async (_t, o) => progress(o) });
        assert.match(tty.err, /probing \[.*\] 1\/2 members/);
        assert.match(tty.err, /probing \[.*\] 2\/2 members/);
        assert.ok(tty.err.endsWith("\n"), "the bar's line ends when the check does");
        const piped = await cli(["check"], { interactive: false, check: async (_t, o) => progress(o) });
        assert.equal(piped.err, "");
    });

    it("check prints what the prober warns of on stderr, as a warning", async () => {
        const r = await cli(["check"], {
            check: async (_t, options) => {
                options.onWarning?.("the machine's neighbour table was full 3 times");
                return cells(true);
            },
        });
        assert.equal(r.code, 0);
        assert.equal(r.err, "netplumb: warning: the machine's neighbour table was full 3 times\n");
    });

    it("check exits 1 when a cell differs from the policy", async () => {
        const r = await cli(["check"], {
            check: async () => [
                { from: "red", to: "internet tcp/80", probe: { kind: "tcp", address: "203.0.113.1", port: 80 }, expected: true, actual: false },
            ],
        });
        assert.equal(r.code, 1);
        assert.match(r.out, /1 of 1 checks differ from the declared policy/);
    });

    const environment: Array<[string, Partial<CliContext>, RegExp]> = [
        [
            "no pulumi on PATH",
            { pulumi: failing("", true) },
            /^netplumb: the `pulumi` CLI is not on PATH; install it \(or put it on PATH\), or pass --topology FILE\n$/,
        ],
        [
            "no stack selected",
            { pulumi: failing("error: no stack selected; please use `pulumi stack select`") },
            /^netplumb: no stack is selected in .*; pass --stack NAME or run `pulumi stack select NAME` there\n$/,
        ],
        [
            "a stack without a topology output",
            { pulumi: failing('error: current stack does not have output property "topology"') },
            /^netplumb: the selected stack has no `topology` output; export it from the program \(`export const topology = lab.topology;`\) and run `pulumi up`\n$/,
        ],
        [
            "not root",
            { isRoot: () => false },
            /^netplumb: check probes from inside the lab's namespaces \(`ip netns exec`\), which needs root; run it as root \(sudo netplumb check \.\.\.\)\n$/,
        ],
    ];
    for (const [label, overrides, message] of environment) {
        it(`${label}: one line naming the fix, exit 2`, async () => {
            const r = await cli(["check"], overrides);
            assert.equal(r.code, 2);
            assert.match(r.err, message);
            assert.equal(r.out, "");
        });
    }

    it("diagram writes both files where --out says, from a --topology file", async () => {
        const dir = mkdtempSync(join(tmpdir(), "netplumb-cli-"));
        try {
            writeFileSync(join(dir, "t.json"), JSON.stringify(topology));
            const r = await cli(["diagram", "--topology", join(dir, "t.json"), "--out", join(dir, "docs"), "--json"], {
                pulumi: failing("must not be called"),
            });
            assert.equal(r.code, 0);
            const files = JSON.parse(r.out) as { svg: string; mermaid: string };
            assert.match(readFileSync(files.svg, "utf8"), /<svg/);
            assert.match(readFileSync(files.mermaid, "utf8"), /^graph LR/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("doctor", () => {
        const finding = {
            id: "ip-forward-off" as const,
            symptom: "members cannot reach the internet",
            cause: "IP forwarding is off",
            evidence: [{ command: "sysctl -n net.ipv4.ip_forward", showed: "0" }],
            fix: "`sysctl -w net.ipv4.ip_forward=1`",
        };
        const owner = "netplumb:lab/dev@0123456789ab/lab-red";
        /** pulumi answering `stack output` with the topology and `stack export` with one resource. */
        const stackPulumi: PulumiRunner = (argv) => ({
            status: 0,
            stdout: argv[1] === "export" ? JSON.stringify({ deployment: { resources: [{ outputs: { owner } }] } }) : JSON.stringify(topology),
            stderr: "",
            missing: false,
        });

        it("prints each finding with cause, evidence and fix, and exits 1; the stack's owners and root reach the diagnosis", async () => {
            let seen: unknown;
            const r = await cli(["doctor", "--stack", "lab"], {
                pulumi: stackPulumi,
                doctor: async (_t, options) => ((seen = options), { lab: "lab", findings: [finding], skipped: [] }),
            });
            assert.equal(r.code, 1);
            assert.match(
                r.out,
                /^1\. members cannot reach the internet \[ip-forward-off\]\n {3}cause: {4}IP forwarding is off\n {3}evidence: sysctl -n net\.ipv4\.ip_forward\n {13}0\n {3}fix: {6}`sysctl -w net\.ipv4\.ip_forward=1`\n/,
            );
            assert.match(r.out, /doctor: 1 problem found in lab lab\n$/);
            assert.deepEqual(seen, { root: true, stack: { owners: [owner] }, flow: undefined });
        });

        it("--json prints the report; a clean lab exits 0", async () => {
            const r = await cli(["doctor", "--json"], { pulumi: stackPulumi });
            assert.equal(r.code, 0);
            assert.deepEqual(JSON.parse(r.out), { lab: "lab", findings: [], skipped: [] });
        });

        it("--from/--to/--port become the flow to explain; bad ones are usage errors naming the fix", async () => {
            let seen: unknown;
            const doctor: CliContext["doctor"] = async (_t, options) => ((seen = options.flow), { lab: "lab", findings: [], skipped: [] });
            assert.equal((await cli(["doctor", "--from", "red", "--to", "red", "--port", "tcp/80"], { pulumi: stackPulumi, doctor })).code, 0);
            assert.deepEqual(seen, { from: "red", to: "red", protocol: "tcp", port: 80 });
            await cli(["doctor", "--from", "red", "--to", "red"], { pulumi: stackPulumi, doctor });
            assert.deepEqual(seen, { from: "red", to: "red", protocol: "icmp" });
            const cases: Array<[string[], RegExp]> = [
                [["--from", "red"], /--from and --to go together/],
                [["--from", "red", "--to", "pink"], /--to "pink" is not a member of this lab; members: red/],
                [["--from", "red", "--to", "red", "--port", "tcp/70000"], /--port "tcp\/70000" is not PROTOCOL\/PORT; write tcp\/80, udp\/53 or icmp/],
            ];
            for (const [argv, message] of cases) {
                const r = await cli(["doctor", ...argv], { pulumi: stackPulumi, doctor });
                assert.equal(r.code, 2, argv.join(" "));
                assert.match(r.err, message);
            }
        });

        it("a topology file skips the stack's state; a multi-host lab is refused with what to run instead", async () => {
            const dir = mkdtempSync(join(tmpdir(), "netplumb-cli-"));
            try {
                writeFileSync(join(dir, "t.json"), JSON.stringify(topology));
                let seen: unknown;
                await cli(["doctor", "--topology", join(dir, "t.json")], {
                    pulumi: failing("must not be called"),
                    doctor: async (_t, options) => ((seen = options.stack), { lab: "lab", findings: [], skipped: [] }),
                });
                assert.equal(seen, undefined);
                writeFileSync(join(dir, "m.json"), JSON.stringify({ ...topology, lab: "mh", hosts: { h1: {}, h2: {} } }));
                const r = await cli(["doctor", "--topology", join(dir, "m.json")], { pulumi: failing("must not be called") });
                assert.equal(r.code, 2);
                assert.match(r.err, /doctor reads labs on this machine, and mh spans hosts \(h1, h2\); run `netplumb check` for it/);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    it("exits only once a large output has gone out through a pipe (a 100-member check's JSON was cut short by process.exit)", () => {
        const script = `process.stdout.write("x".repeat(8_000_000)); require(${JSON.stringify(join(__dirname, "..", "..", "sdk", "cli.ts"))}).exitAfterFlush(3);`;
        const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { encoding: "utf8", maxBuffer: 1 << 26 });
        assert.equal(child.status, 3, child.stderr);
        assert.equal(child.stdout.length, 8_000_000);
    });
});

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ROOT, engineEnv, hasPulumi } from "../support/engine";
import { LabProject } from "../support/lab-project";
import { requireOrSkip, runTag } from "../support/suite";

/**
 * The built `netplumb` command against the real pulumi CLI: each environment
 * problem a user meets is one line naming the fix, with exit code 2.
 */
describe("e2e: netplumb's command line with the real pulumi CLI", function () {
    this.timeout(120_000);
    let dir = "";
    let env: NodeJS.ProcessEnv = {};
    const netplumb = (cwd: string, extraEnv: NodeJS.ProcessEnv, ...args: string[]) =>
        spawnSync(process.execPath, [join(ROOT, "dist", "sdk", "cli.js"), ...args], { cwd, env: { ...env, ...extraEnv }, encoding: "utf8" });

    before(function () {
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        dir = mkdtempSync(join(tmpdir(), "netplumb-cli-"));
        mkdirSync(join(dir, "project"));
        mkdirSync(join(dir, "state"));
        writeFileSync(join(dir, "project", "Pulumi.yaml"), "name: clitest\nruntime: nodejs\n");
        env = { ...engineEnv(), PULUMI_BACKEND_URL: `file://${join(dir, "state")}` };
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it("outside a project, with no stack selected, an unknown stack or no topology output: one line each, exit 2", () => {
        const project = join(dir, "project");
        const cases: Array<[string, string[], RegExp]> = [
            [dir, ["check"], /^netplumb: .* is not a Pulumi project; pass --cwd DIR \(the folder with Pulumi\.yaml\) or --topology FILE\n$/],
            [project, ["check"], /^netplumb: no stack is selected in .*; pass --stack NAME or run `pulumi stack select NAME` there\n$/],
            [project, ["check", "--stack", "nope"], /^netplumb: stack nope does not exist in .*; list stacks with `pulumi stack ls`\n$/],
        ];
        for (const [cwd, args, message] of cases) {
            const r = netplumb(cwd, {}, ...args);
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, message);
        }
        assert.equal(spawnSync("pulumi", ["stack", "init", "dev", "--non-interactive"], { cwd: project, env, encoding: "utf8" }).status, 0);
        const r = netplumb(project, {}, "diagram");
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^netplumb: the selected stack has no `topology` output; export it from the program/);
    });

    it("with no pulumi on PATH: one line naming the fix, exit 2", () => {
        const r = netplumb(join(dir, "project"), { PATH: "/nonexistent" }, "check");
        assert.equal(r.status, 2);
        assert.equal(r.stderr, "netplumb: the `pulumi` CLI is not on PATH; install it (or put it on PATH), or pass --topology FILE\n");
    });

    it("bad input in a component: preview prints the one message naming the property, without a stack trace or an object dump", () => {
        const lab = new LabProject(`ncli${runTag()}`, { a: { egress: [{ protocol: "tcp", ports: [70000] }] } });
        try {
            const r = lab.run("preview");
            const text = `${r.stdout}\n${r.stderr}`;
            assert.notEqual(r.code, 0);
            assert.match(text, /error: LabNetwork \w+: members\.a\.egress\[0\]\.ports\[0\]: port 70000 is not a whole number from 1 to 65535/);
            assert.doesNotMatch(text, /__pulumiResource|__parentResource|at new LabNetwork|\.ts:\d+:\d+/);
        } finally {
            lab.dispose();
        }
    });

    it("--version prints the package's version", () => {
        const r = netplumb(dir, {}, "--version");
        assert.equal(r.status, 0);
        assert.equal(r.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    });
});

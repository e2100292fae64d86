import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { engineEnv, hasPulumi } from "../support/engine";
import { requireOrSkip } from "../support/suite";

/**
 * The recovery the README gives for "failed to load checkpoint: EOF": the
 * file backend (without `?metadata=skip`) truncates a checkpoint's `.attrs`
 * sidecar before rewriting it, so a kill at that moment leaves it empty and
 * every command fails; removing the empty sidecar recovers the stack whole.
 */
describe("e2e: recovering a stack whose checkpoint sidecar a kill left empty", function () {
    this.timeout(120_000);
    let dir = "";

    before(function () {
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        dir = mkdtempSync(join(tmpdir(), "netplumb-state-"));
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it("fails with EOF while the sidecar is empty, and works again once it is removed as the README says", () => {
        const project = join(dir, "project");
        const state = join(dir, "state");
        for (const d of [project, state]) spawnSync("mkdir", ["-p", d]);
        writeFileSync(join(project, "Pulumi.yaml"), "name: recovery\nruntime: nodejs\n");
        const env = { ...engineEnv(), PULUMI_BACKEND_URL: `file://${state}` };
        const pulumi = (...args: string[]) => spawnSync("pulumi", [...args, "--non-interactive"], { cwd: project, env, encoding: "utf8" });
        assert.equal(pulumi("stack", "init", "dev").status, 0);
        const checkpoint = join(state, ".pulumi", "stacks", "recovery", "dev.json");
        assert.ok(existsSync(checkpoint));
        const sidecar = `${checkpoint}.attrs`;
        writeFileSync(sidecar, "");
        const broken = pulumi("stack", "export");
        assert.notEqual(broken.status, 0);
        assert.match(broken.stderr, /failed to load checkpoint: EOF/);
        // The README's recovery: remove the empty sidecar (never the checkpoint).
        assert.equal(statSync(sidecar).size, 0);
        rmSync(sidecar);
        const fixed = pulumi("stack", "export");
        assert.equal(fixed.status, 0, fixed.stderr);
        assert.match(fixed.stdout, /"deployment"/);
    });
});

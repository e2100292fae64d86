import { strict as assert } from "assert";
import { spawn } from "child_process";
import { readFileSync, readdirSync } from "fs";
import { engineEnv, hasPulumi } from "../support/engine";
import { LabProject } from "../support/lab-project";
import { machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

/** 20 members with mixed policies: enough resources for a kill to land mid-deployment. */
function twentyMembers(): Record<string, unknown> {
    const policies = ["allow", [{ protocol: "tcp", ports: [80, 443] }], "deny"];
    return Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`m${String(i).padStart(2, "0")}`, { egress: policies[i % 3] }]));
}

/**
 * Kills the dynamic-provider processes the killed engine left behind (upstream
 * Pulumi's provider does not exit when its engine dies). Only processes of
 * this test's own project directory, by PID.
 */
function killOrphanedProviders(dir: string): void {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
            if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`${dir}/node_modules/@pulumi/pulumi/cmd/dynamic-provider`)) process.kill(Number(pid), "SIGKILL");
        } catch {
            // the process ended while we looked
        }
    }
}

/** Starts `pulumi up` and kills it with SIGKILL after `delayMs`; resolves once it is gone. */
function killedUp(dir: string, delayMs: number): Promise<void> {
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive"], { cwd: dir, env: engineEnv(), stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    return new Promise((resolve) =>
        child.on("exit", () => {
            clearTimeout(timer);
            resolve();
        }),
    );
}

describe("e2e: kill -9 during `pulumi up` of a 20-member lab", function () {
    this.timeout(15 * 60 * 1000);
    let lab: LabProject;
    let baseline: ReturnType<typeof machineSnapshot>;

    before(function () {
        requireOrSkip(this, isRoot(), "labs need root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        baseline = machineSnapshot();
        lab = new LabProject(`nk${runTag()}`, twentyMembers());
    });
    after(() => lab?.dispose());

    // From early (program still starting) to late (most members created).
    for (const delayMs of [2500, 4500, 6000, 7500, 9000, 11000]) {
        it(`killed after ${delayMs} ms: cancel, then up converges, the check passes and destroy leaves nothing`, async () => {
            await killedUp(lab.dir, delayMs);
            await new Promise((r) => setTimeout(r, 500));
            killOrphanedProviders(lab.dir);
            lab.run("cancel", "--yes");
            lab.ok("up", "--yes", "--skip-preview");
            const check = lab.check();
            assert.equal(check.code, 0, check.out);
            assert.equal(lab.run("preview", "--expect-no-changes").code, 0);
            lab.ok("destroy", "--yes", "--skip-preview");
            assert.deepEqual(machineSnapshot(), baseline);
        });
    }
});

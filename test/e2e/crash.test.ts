import { strict as assert } from "assert";
import { spawn } from "child_process";
import { readFileSync, readdirSync } from "fs";
import { engineEnv, hasPulumi } from "../support/engine";
import { namespaces } from "../support/sandbox";
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

/** When to kill: after a pause, or once this many members' namespaces exist. */
type KillPoint = { readonly afterMs: number } | { readonly members: number };

function describePoint(point: KillPoint): string {
    return "afterMs" in point ? `${point.afterMs} ms in (the program still starting)` : `once ${point.members} of 20 members exist`;
}

/**
 * Starts `pulumi up` and kills it with SIGKILL at `point` (polling the
 * namespaces every 10 ms); resolves with true when the kill landed, false
 * when up finished first.
 */
function killedUp(dir: string, prefix: string, point: KillPoint): Promise<boolean> {
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive"], { cwd: dir, env: engineEnv(), stdio: "ignore" });
    const started = Date.now();
    const due = () =>
        "afterMs" in point ? Date.now() - started >= point.afterMs : namespaces().filter((n) => n.startsWith(`${prefix}-m`)).length >= point.members;
    const poll = setInterval(() => {
        if (due()) child.kill("SIGKILL");
    }, 10);
    return new Promise((resolve) =>
        child.on("exit", (_code, signal) => {
            clearInterval(poll);
            resolve(signal === "SIGKILL");
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

    // From early (program still starting) to late (most members created): by progress, not by time, so the kill lands mid-deployment however fast the machine is.
    const points: KillPoint[] = [{ afterMs: 1500 }, { members: 1 }, { members: 5 }, { members: 10 }, { members: 15 }, { members: 19 }];
    for (const point of points) {
        it(`killed ${describePoint(point)}: cancel, then up converges, the check passes and destroy leaves nothing`, async () => {
            assert.ok(await killedUp(lab.dir, lab.prefix, point), "up finished before the kill landed");
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

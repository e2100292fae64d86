import { strict as assert } from "assert";
import { spawn } from "child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "fs";
import { join } from "path";
import { engineEnv, hasPulumi } from "../support/engine";
import { namespaces } from "../support/sandbox";
import { LabProject } from "../support/lab-project";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

const MEMBERS = 20;

/** 20 members with mixed policies: enough resources for a kill to land mid-deployment. */
function twentyMembers(): Record<string, unknown> {
    const policies = ["allow", [{ protocol: "tcp", ports: [80, 443] }], "deny"];
    return Object.fromEntries(Array.from({ length: MEMBERS }, (_, i) => [`m${String(i).padStart(2, "0")}`, { egress: policies[i % 3] }]));
}

/** PIDs of the dynamic-provider processes serving this project directory. */
function providerPids(dir: string): number[] {
    return readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .filter((pid) => {
            try {
                return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`${dir}/node_modules/@pulumi/pulumi/cmd/dynamic-provider`);
            } catch {
                return false; // ended while we looked
            }
        })
        .map(Number);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()`, `limitMs` or `stop()`; resolves with the time it took, or undefined at the limit or when stopped. */
async function waitFor(done: () => boolean, limitMs: number, stop: () => boolean = () => false): Promise<number | undefined> {
    const started = Date.now();
    while (!done()) {
        if (Date.now() - started > limitMs || stop()) return undefined;
        await pause(20);
    }
    return Date.now() - started;
}

/** What the machine showed at the moment of the kill. */
interface AtKill {
    readonly memberNamespaces: number;
    readonly hostExists: boolean;
    readonly providerExitMs: number | undefined;
}

/**
 * Runs `pulumi up` (or `destroy`) with the provider's test hold
 * (providers/test-hold.ts): for up, `count` 0 holds every member's create
 * before it touches the host; N holds every member create (or delete) from
 * the Nth finished one on, so the command cannot finish and the kill lands
 * at that point on any machine. Kills the engine with SIGKILL there, then
 * waits (up to 30 s) for its provider to exit by itself.
 */
async function killed(lab: LabProject, command: "up" | "destroy", count: number): Promise<AtKill> {
    const holdFile = join(lab.dir, `held-${command}`);
    rmSync(holdFile, { force: true });
    const variable = command === "up" ? "NETPLUMB_TEST_HOLD" : "NETPLUMB_TEST_HOLD_DELETE";
    const env = { ...engineEnv(), [variable]: `${holdFile}:${count}:/member/` };
    const child = spawn("pulumi", [command, "--yes", "--skip-preview", "--non-interactive"], { cwd: lab.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    let over = false;
    const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => ((over = true), resolve(signal))));
    const reached = () =>
        existsSync(holdFile) &&
        readFileSync(holdFile, "utf8")
            .split("\n")
            .filter((l) => l !== "").length >= Math.max(count, 1);
    await waitFor(reached, 10 * 60 * 1000, () => over);
    assert.ok(!over, `${command} ended before the hold point (it must hold there until killed):\n${output}`);
    const memberNamespaces = namespaces().filter((n) => n.startsWith(`${lab.prefix}-m`)).length;
    const hostExists = namespaces().includes(`${lab.prefix}-host`);
    const providers = providerPids(lab.dir);
    assert.ok(providers.length > 0, "the held provider process is running");
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    const providerExitMs = await waitFor(() => providers.every((pid) => !alive(pid)), 30_000);
    return { memberNamespaces, hostExists, providerExitMs };
}

/** Members the stack's state records: LabMember resources, and the members of LabMembers resources. */
function recordedMembers(lab: LabProject): number {
    type Recorded = { type: string; outputs?: { members?: Record<string, unknown> } };
    const deployment = JSON.parse(lab.ok("stack", "export")) as { deployment: { resources?: Recorded[] } };
    const resources = deployment.deployment.resources ?? [];
    const sets = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/netplumb:LabMembers");
    return (
        resources.filter((r) => r.type === "pulumi-nodejs:dynamic/netplumb:LabMember").length +
        sets.reduce((n, r) => n + Object.keys(r.outputs?.members ?? {}).length, 0)
    );
}

/** Where a kill lands in each member mode: "each" is the default; "one" (one LabMembers resource) is killed between two of its members. */
const KILLS = {
    each: { up: [1, 5, 10, 15, MEMBERS], destroy: [1, 10] },
    one: { up: [1, 10, MEMBERS], destroy: [1, 10] },
} as const;

for (const mode of ["each", "one"] as const) crashSuites(mode);

function crashSuites(mode: "each" | "one"): void {
    const tag = mode === "one" ? "o" : "";
    describe(`e2e: kill -9 during \`pulumi up\` of a 20-member lab (memberResources "${mode}")`, function () {
        this.timeout(15 * 60 * 1000);
        let lab: LabProject;
        let baseline: MachineSnapshot;
        const exitDelays: number[] = [];

        before(function () {
            requireOrSkip(this, isRoot(), "labs need root");
            requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
            baseline = machineSnapshot();
            lab = new LabProject(`nk${tag}${runTag()}`, twentyMembers(), baseline, { memberResources: mode });
        });
        after(() => {
            for (const pid of lab ? providerPids(lab.dir) : []) process.kill(pid, "SIGKILL");
            lab?.dispose();
            if (exitDelays.length) console.log(`      provider exit after the engine's kill: ${exitDelays.join(", ")} ms`);
        });

        it("killed before any member's create touched the host: nothing of a member exists, the sandbox does; up converges and destroy leaves nothing", async () => {
            const at = await killed(lab, "up", 0);
            assert.equal(at.memberNamespaces, 0, "no member namespace exists yet");
            assert.ok(at.hostExists, "the sandbox host namespace (created before any member) exists");
            assert.notEqual(at.providerExitMs, undefined, "the provider exits by itself once its engine is killed");
            exitDelays.push(at.providerExitMs!);
            convergesAndCleans(lab, baseline);
        });

        for (const count of KILLS[mode].up) {
            it(`killed once ${count} of ${MEMBERS} members exist but are not yet recorded: cancel, then up converges, the check passes and destroy leaves nothing`, async () => {
                const at = await killed(lab, "up", count);
                assert.ok(at.memberNamespaces >= count, `at least ${count} member namespaces exist (found ${at.memberNamespaces})`);
                assert.notEqual(at.providerExitMs, undefined, "the provider exits by itself once its engine is killed");
                exitDelays.push(at.providerExitMs!);
                lab.run("cancel", "--yes");
                assert.ok(recordedMembers(lab) < at.memberNamespaces, "some members exist that the state does not record");
                convergesAndCleans(lab, baseline);
            });
        }
    });

    describe(`e2e: kill -9 during \`pulumi destroy\` of a 20-member lab (memberResources "${mode}"; deletes run in shared nftables batches)`, function () {
        this.timeout(15 * 60 * 1000);
        let lab: LabProject;
        let baseline: MachineSnapshot;

        before(function () {
            requireOrSkip(this, isRoot(), "labs need root");
            requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
            baseline = machineSnapshot();
            lab = new LabProject(`nd${tag}${runTag()}`, twentyMembers(), baseline, { memberResources: mode });
        });
        after(() => {
            for (const pid of lab ? providerPids(lab.dir) : []) process.kill(pid, "SIGKILL");
            lab?.dispose();
        });

        for (const count of KILLS[mode].destroy) {
            it(`killed once ${count} of ${MEMBERS} members are deleted but not yet recorded: cancel, then up --refresh converges, the check passes and destroy leaves nothing`, async () => {
                lab.ok("up", "--yes", "--skip-preview");
                const at = await killed(lab, "destroy", count);
                assert.ok(at.memberNamespaces <= MEMBERS - count, `at most ${MEMBERS - count} member namespaces are left (found ${at.memberNamespaces})`);
                assert.notEqual(at.providerExitMs, undefined, "the provider exits by itself once its engine is killed");
                lab.run("cancel", "--yes");
                assert.ok(recordedMembers(lab) > at.memberNamespaces, "the state still records members the host no longer has");
                lab.ok("up", "--yes", "--skip-preview", "--refresh");
                convergesAndCleans(lab, baseline);
            });
        }
    });
}

/** After a kill: the next up converges, the check passes, nothing is left to change, and destroy restores the machine. */
function convergesAndCleans(lab: LabProject, baseline: MachineSnapshot): void {
    lab.run("cancel", "--yes");
    lab.ok("up", "--yes", "--skip-preview");
    const check = lab.check();
    assert.equal(check.code, 0, check.out);
    assert.equal(lab.run("preview", "--expect-no-changes").code, 0);
    lab.ok("destroy", "--yes", "--skip-preview");
    assert.deepEqual(machineSnapshot(), baseline);
}

import { SpawnSyncReturns, execFileSync, spawnSync } from "child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { ROOT, backendDir, engineEnv, stackFiles } from "./engine";
import { LAB_PROJECT, LabProject } from "./lab-project";

/** Where the `pulumi` the tests use lives: .tools/bin when setup built it, else the first on PATH. */
function engineBinDir(): string {
    const found = execFileSync("bash", ["-c", "command -v pulumi"], { encoding: "utf8", env: engineEnv() }).trim();
    return dirname(found);
}

/** Copies this lab's project, its stack's checkpoint and the engine into `base` (all of which a CI runner would own). */
function ownCopy(lab: LabProject, base: string): { project: string; state: string; bin: string } {
    const project = join(base, "project");
    const state = join(base, "state");
    const bin = join(base, "bin");
    cpSync(lab.dir, project, { recursive: true });
    const stacks = join(state, ".pulumi", "stacks", LAB_PROJECT);
    mkdirSync(stacks, { recursive: true });
    const meta = join(backendDir(), ".pulumi", "meta.yaml");
    if (existsSync(meta)) cpSync(meta, join(state, ".pulumi", "meta.yaml"));
    cpSync(stackFiles(LAB_PROJECT, lab.stack)[0], join(stacks, `${lab.stack}.json`));
    const engine = engineBinDir();
    if (engine.startsWith(ROOT)) cpSync(engine, bin, { recursive: true });
    return { project, state, bin: engine.startsWith(ROOT) ? bin : engine };
}

/**
 * Runs `pulumi preview --expect-no-changes` as `nobody`, the way a CI runner
 * without root previews a pull request: in a fresh world-readable temporary
 * folder that user owns, holding its own copy of the project (with the
 * packed netplumb installed), of the stack's state and of the engine. So the
 * result does not depend on where the repository is cloned (a clone under a
 * 0700 folder is out of nobody's reach). The folder is removed afterwards.
 */
export function previewAsUnprivilegedOwner(lab: LabProject): SpawnSyncReturns<string> {
    const base = mkdtempSync(join(tmpdir(), "netplumb-ci-user-"));
    try {
        chmodSync(base, 0o755);
        const { project, state, bin } = ownCopy(lab, base);
        const home = join(base, "home");
        mkdirSync(home);
        execFileSync("chown", ["-R", "nobody", base]);
        const env: NodeJS.ProcessEnv = {
            PATH: `${bin}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
            HOME: home,
            PULUMI_HOME: home,
            PULUMI_BACKEND_URL: `file://${state}?metadata=skip`,
            PULUMI_CONFIG_PASSPHRASE: engineEnv().PULUMI_CONFIG_PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
        const argv = ["-u", "nobody", "--", join(bin, "pulumi"), "preview", "--expect-no-changes", "--non-interactive", "--stack", lab.stack];
        const result = spawnSync("runuser", argv, { cwd: project, env, encoding: "utf8" });
        if (result.error) throw result.error;
        return result;
    } finally {
        rmSync(base, { recursive: true, force: true });
    }
}

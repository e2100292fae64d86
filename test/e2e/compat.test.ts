import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { ROOT, engineEnv, hasPulumi, pulumi, pulumiOk, stackFiles } from "../support/engine";
import { LAB_PROJECT } from "../support/lab-project";
import { removeLeftovers } from "../support/leftovers";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

/** What scripts/setup-compat.sh pins: Node 22 (unpacked into .tools/compat) and the newest @pulumi/pulumi, bumped on purpose. */
interface CompatVersions {
    readonly node: string;
    readonly nodeBin: string;
    readonly pulumiSdk: string;
}

/**
 * The compatibility job: the packed netplumb installed into a copy of
 * examples/lab whose @pulumi/pulumi is the newest pinned release, its
 * program run by Node 22 (first on the language host's PATH) with the
 * locally built engine: up, a no-change preview, destroy leaving the machine
 * as it was. The oldest supported pair (Node 20, @pulumi/pulumi 3.248.0) is
 * what every other end-to-end suite runs.
 */
describe("e2e: compatibility: Node 22 and the newest pinned @pulumi/pulumi run the lab (packed tarball, real CLI)", function () {
    this.timeout(10 * 60 * 1000);
    const prefix = `nk${runTag()}`;
    const stack = `compat-${prefix}`;
    const dir = join(ROOT, ".tools", "e2e", `compat-${prefix}`);
    let versions: CompatVersions;
    let env: NodeJS.ProcessEnv;
    let baseline: MachineSnapshot;

    before(function () {
        requireOrSkip(this, isRoot(), "the lab builds network namespaces and nftables rules, which needs root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        versions = JSON.parse(execFileSync("bash", [join(ROOT, "scripts", "setup-compat.sh")], { encoding: "utf8" })) as CompatVersions;
        env = { PATH: `${versions.nodeBin}:${engineEnv().PATH}` };
        baseline = machineSnapshot();
        cpSync(join(ROOT, "examples", "lab"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") && !/Pulumi\..+\.yaml$/.test(src) });
        const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        manifest.dependencies["@pulumi/pulumi"] = versions.pulumiSdk;
        writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
        appendFileSync(
            join(dir, "index.ts"),
            '\nexport const nodeVersion = process.version;\nexport const sdkVersion: string = require("@pulumi/pulumi/package.json").version;\n',
        );
        execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), dir], { stdio: "ignore" });
        pulumiOk(dir, ["stack", "init", stack], env);
        pulumiOk(dir, ["config", "set", "prefix", prefix, "--stack", stack], env);
    });

    after(() => {
        if (!existsSync(dir)) return;
        pulumi(dir, ["destroy", "--yes", "--skip-preview", "--stack", stack], env);
        pulumi(dir, ["stack", "rm", "--yes", "--force", stack], env);
        for (const file of stackFiles(LAB_PROJECT, stack)) rmSync(file, { force: true });
        rmSync(dir, { recursive: true, force: true });
        removeLeftovers({ prefix, stacks: [stack] }, baseline);
    });

    it("up runs the program on Node 22 with the newest pinned SDK, then a preview changes nothing, then destroy leaves the machine as it was", () => {
        pulumiOk(dir, ["up", "--yes", "--skip-preview", "--stack", stack], env);
        const output = (name: string) => JSON.parse(pulumiOk(dir, ["stack", "output", name, "--json", "--stack", stack], env)) as string;
        assert.equal(output("nodeVersion"), `v${versions.node}`);
        assert.equal(output("sdkVersion"), versions.pulumiSdk);
        assert.equal((JSON.parse(pulumiOk(dir, ["stack", "output", "topology", "--json", "--stack", stack], env)) as { members: unknown[] }).members.length, 3);
        pulumiOk(dir, ["preview", "--expect-no-changes", "--stack", stack], env);
        pulumiOk(dir, ["destroy", "--yes", "--skip-preview", "--stack", stack], env);
        assert.deepEqual(machineSnapshot(), baseline);
    });
});

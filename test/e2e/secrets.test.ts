import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { existsSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { ROOT, backendDir } from "../support/engine";
import { runTag } from "../support/suite";

describe("e2e: the lab's public passphrase is for sandboxed stacks only", function () {
    this.timeout(60 * 1000);

    it("`npm run lab` for a stack with the sandbox off and no passphrase of the user's fails naming the fix, before anything runs", () => {
        const stack = `np-secret-${runTag()}`;
        const config = join(ROOT, `Pulumi.${stack}.yaml`);
        writeFileSync(config, 'config:\n  netplumb-lab:sandbox: "false"\n');
        try {
            const env: NodeJS.ProcessEnv = { ...process.env, NETPLUMB_STACK: stack };
            delete env.PULUMI_CONFIG_PASSPHRASE;
            delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
            const result = spawnSync("bash", [join(ROOT, "scripts", "main.sh")], { cwd: ROOT, env, encoding: "utf8" });
            assert.equal(result.status, 2, result.stderr);
            assert.match(result.stderr, new RegExp(`stack ${stack} manages this host \\(sandbox: false\\); set PULUMI_CONFIG_PASSPHRASE`));
            assert.doesNotMatch(result.stdout, /setup:/, "set-up did not start");
            assert.ok(!existsSync(join(backendDir(), ".pulumi", "stacks", "netplumb-lab", `${stack}.json`)), "no stack was made");
        } finally {
            rmSync(config, { force: true });
        }
    });
});

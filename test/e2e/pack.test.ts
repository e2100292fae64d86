import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { ROOT } from "../support/engine";
import { runTag } from "../support/suite";

/** What `npm pack` would put in the tarball (paths), as users get it from the registry. */
function packedFiles(): string[] {
    const result = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    return (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();
}

describe("e2e: the npm package holds what users need and nothing else", () => {
    let files: string[] = [];
    before(() => (files = packedFiles()));

    it("holds the compiled code with its types, README, LICENSE and package.json only: no tests, no source maps, no sources", () => {
        const unexpected = files.filter((f) => !["LICENSE", "README.md", "package.json"].includes(f) && !/^dist\/(sdk|providers)\/.+\.(js|d\.ts)$/.test(f));
        assert.deepEqual(unexpected, []);
        for (const f of ["LICENSE", "README.md", "package.json", "dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/sdk/cli.js"])
            assert.ok(files.includes(f), f);
    });

    it("has a declaration file for every module of the public API", () => {
        const modules = files.filter((f) => f.startsWith("dist/sdk/") && f.endsWith(".js") && !f.startsWith("dist/sdk/sandbox/"));
        const missing = modules.filter((f) => !files.includes(f.replace(/\.js$/, ".d.ts")));
        assert.deepEqual(missing, []);
    });

    it("carries no path of the machine it was built on", () => {
        const leaking = files.filter((f) => f.endsWith(".js") && readFileSync(join(ROOT, f), "utf8").includes(ROOT));
        assert.deepEqual(leaking, []);
    });

    it("declares the licence its LICENSE file holds", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { license: string };
        assert.equal(pkg.license, "Apache-2.0");
        assert.match(readFileSync(join(ROOT, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
    });

    it("compiles in a consumer project under tsc --strict, without @pulumi/kubernetes (an optional peer dependency)", function () {
        this.timeout(5 * 60 * 1000);
        const consumer = join(ROOT, ".tools", "e2e", `consumer-${runTag()}`);
        try {
            mkdirSync(consumer, { recursive: true });
            writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { "@pulumi/pulumi": "3.248.0" } }));
            execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), consumer], { stdio: "ignore" });
            assert.ok(!existsSync(join(consumer, "node_modules", "@pulumi", "kubernetes")), "the optional peer is not installed");
            writeFileSync(
                join(consumer, "index.ts"),
                [
                    'import * as netplumb from "netplumb";',
                    'import { LabNetwork, NetworkPolicies, NetworkNamespace, model } from "netplumb";',
                    "const checks: Array<unknown> = [LabNetwork, NetworkPolicies, NetworkNamespace, model.cluster.compilePolicies, netplumb.ownerTag];",
                    "export default checks;",
                    "",
                ].join("\n"),
            );
            const tsc = join(ROOT, "node_modules", ".bin", "tsc");
            const args = [
                "--strict",
                "--noEmit",
                "--skipLibCheck",
                "false",
                "--esModuleInterop",
                "--module",
                "commonjs",
                "--moduleResolution",
                "node",
                "--target",
                "ES2020",
                "--types",
                "node",
                "index.ts",
            ];
            const result = spawnSync(tsc, args, { cwd: consumer, encoding: "utf8" });
            assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
        } finally {
            rmSync(consumer, { recursive: true, force: true });
        }
    });
});

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { ROOT } from "../support/engine";

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
});

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { Sandbox } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

const GOLDEN = join(__dirname, "..", "unit", "golden");

describe("kernel: the golden nft scripts are accepted by the real nft (root)", function () {
    let sbx: Sandbox;
    before(function () {
        requireOrSkip(this, isRoot(), "nft -c needs root");
        requireOrSkip(this, hasCommand("nft"), "nftables (nft) is not installed");
        sbx = new Sandbox("npg");
    });
    after(() => sbx?.destroy());

    for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith(".nft"))) {
        it(`nft -c -f accepts ${file}`, () => {
            const result = spawnSync("ip", ["netns", "exec", sbx.host, "nft", "-c", "-f", "-"], {
                input: readFileSync(join(GOLDEN, file), "utf8"),
                encoding: "utf8",
            });
            assert.equal(result.status, 0, result.stderr);
        });
    }
});

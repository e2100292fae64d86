import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import fc from "fast-check";
import { convergeCommands } from "../../sdk/kernel/links";
import { vethAddCommand } from "../../sdk/kernel/veth";
import { Target } from "../../sdk/host/target";
import { LocalHost } from "../../sdk/host/local";
import { checkVethPair } from "../../sdk/model/checks";
import { checkFirewall } from "../../sdk/model/firewall";
import { applyScript, planFirewall } from "../../sdk/model/nft-script";
import { firewallInput, vethInput } from "../support/hostile-input";
import { Sandbox } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

/** Rules in a table of the namespace (all families), counted by `nft -j`. */
function ruleCount(ns: string, table: string): number {
    const out = JSON.parse(execFileSync("ip", ["netns", "exec", ns, "nft", "-j", "list", "ruleset"], { encoding: "utf8" })) as {
        nftables: Array<{ rule?: { table: string } }>;
    };
    return out.nftables.filter((o) => o.rule?.table === table).length;
}

describe("kernel: generated inputs that pass check are taken by the real nft and ip exactly as planned (root)", function () {
    this.timeout(300_000);
    let sbx: Sandbox;
    before(function () {
        requireOrSkip(this, isRoot(), "namespaces need root");
        requireOrSkip(this, hasCommand("nft"), "nftables (nft) is not installed");
        sbx = new Sandbox("nph");
    });
    after(() => sbx?.destroy());

    it("nft: 100 valid Firewall inputs each load as exactly their planned rules, nothing more", () => {
        const valid = fc
            .sample(firewallInput(), { numRuns: 3000, seed: 20261128 })
            .map((raw) => checkFirewall(raw))
            .filter((r) => r.failures.length === 0)
            .slice(0, 100);
        assert.ok(valid.length >= 90, `enough valid inputs (${valid.length})`);
        for (const { spec } of valid) {
            const chains = planFirewall(spec);
            const result = spawnSync("ip", ["netns", "exec", sbx.host, "nft", "-f", "-"], {
                input: applyScript(spec.table, spec.owner, chains),
                encoding: "utf8",
            });
            assert.equal(result.status, 0, result.stderr);
            assert.equal(
                ruleCount(sbx.host, spec.table),
                chains.reduce((n, c) => n + c.rules.length, 0),
            );
            for (const family of ["inet", "bridge"]) spawnSync("ip", ["netns", "exec", sbx.host, "nft", "delete", "table", family, spec.table]);
        }
    });

    it("ip -batch: 40 valid VethPair inputs each make exactly their pair, named as planned", async () => {
        const valid = fc
            .sample(vethInput(), { numRuns: 3000, seed: 20261128 })
            .map((raw) => checkVethPair(raw))
            .filter((r) => r.failures.length === 0 && r.spec.a.name !== r.spec.b.name)
            .slice(0, 40);
        assert.ok(valid.length >= 30, `enough valid inputs (${valid.length})`);
        const t = new Target(new LocalHost(), sbx.host);
        for (const { spec } of valid) {
            const lines = [
                vethAddCommand({ spec: spec.a, target: t }, { spec: spec.b, target: t }),
                ...convergeCommands(spec.a.name, { alias: spec.owner, up: true }),
            ];
            await t.ipBatch(lines);
            const names = (JSON.parse(execFileSync("ip", ["-n", sbx.host, "-j", "link", "show"], { encoding: "utf8" })) as Array<{ ifname: string }>)
                .map((l) => l.ifname)
                .sort();
            assert.deepEqual(names, [spec.a.name, spec.b.name, "lo"].sort());
            await t.ip(["link", "del", spec.a.name]);
        }
    });
});

import { strict as assert } from "assert";
import fc from "fast-check";
import { vethAddCommand } from "../../sdk/kernel/veth";
import { convergeCommands } from "../../sdk/kernel/links";
import { checkVethPair } from "../../sdk/model/checks";
import { checkFirewall } from "../../sdk/model/firewall";
import { applyScript, familiesOf, planFirewall } from "../../sdk/model/nft-script";
import { batchInput, batchWordError, nftStatementError } from "../../sdk/model/script-safety";
import { Target } from "../../sdk/host/target";
import { RecordingHost } from "../support/recording-host";
import { firewallInput, vethInput } from "../support/hostile-input";

describe("script safety: whatever the input, one statement per line", () => {
    it("a batch word may not hold white space, quotes, backslashes, comment marks or control characters", () => {
        for (const bad of ["a b", "a\nb", 'a"b', "a'b", "a\\b", "#x", "a;b", "", "a\u0001"]) assert.ok(batchWordError(bad), bad);
        for (const good of ["vlab-blue", "198.51.100.2/24", "netplumb:p/s/x", "02:00:5e:00:53:02"]) assert.equal(batchWordError(good), undefined, good);
        assert.throws(() => batchInput([["link", "set", "eth0\nlink", "del", "br0"]]), /refusing to run ip -batch/);
    });

    it("an nft statement may not hold a line break, or ';' or '#' outside quotes and braces", () => {
        assert.equal(nftStatementError('add rule inet t c iifname "a;b" drop comment "x#y"'), undefined);
        assert.equal(nftStatementError("add chain inet t c { type filter hook forward priority filter; policy accept; }"), undefined);
        for (const bad of [
            "add rule inet t c drop; flush ruleset",
            "add rule inet t c drop # x",
            'add rule inet t c comment "x',
            "add rule inet t c drop\nflush ruleset",
            "add chain inet t c { type filter",
        ]) {
            assert.ok(nftStatementError(bad), bad);
        }
    });

    it("every Firewall input either fails check or compiles to exactly its planned statements (2,000 generated inputs)", () => {
        let valid = 0;
        fc.assert(
            fc.property(firewallInput(), (raw) => {
                const { spec, failures } = checkFirewall(raw);
                if (failures.length > 0) return;
                valid++;
                const chains = planFirewall(spec);
                const lines = applyScript(spec.table, spec.owner, chains)
                    .split("\n")
                    .filter((l) => l !== "");
                for (const line of lines) assert.equal(nftStatementError(line), undefined, line);
                const expected = familiesOf(chains).length + chains.reduce((n, c) => n + 2 + c.rules.length, 0);
                assert.equal(lines.length, expected, "no statement more than planned");
            }),
            { numRuns: 2000, seed: 20261128 },
        );
        assert.ok(valid > 100, `enough valid inputs were generated (${valid})`);
    });

    it("every VethPair input either fails check or yields ip -batch lines whose words are all safe (2,000 generated inputs)", () => {
        let valid = 0;
        fc.assert(
            fc.property(vethInput(), (raw) => {
                const { spec, failures } = checkVethPair(raw);
                if (failures.length > 0) return;
                valid++;
                const t = new Target(new RecordingHost(), "sbx");
                const [a, b] = [
                    { spec: spec.a, target: t },
                    { spec: spec.b, target: new Target(t.host, "peer") },
                ];
                const lines = [
                    vethAddCommand(a, b),
                    ...convergeCommands(spec.a.name, { alias: spec.owner, addresses: spec.a.addresses, mac: spec.a.mac, up: true }),
                ];
                assert.doesNotThrow(() => batchInput(lines));
            }),
            { numRuns: 2000, seed: 20261128 },
        );
        assert.ok(valid > 100, `enough valid inputs were generated (${valid})`);
    });
});

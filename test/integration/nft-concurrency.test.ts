import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { LocalHost } from "../../sdk/host/local";
import { useHostFactory } from "../../sdk/host/target";
import { chainOwner } from "../../sdk/kernel/chain-resource";
import { FirewallSpec } from "../../sdk/model/firewall";
import { planFirewall } from "../../sdk/model/nft-script";
import { memberFirewall } from "../support/firewalls";
import { Sandbox } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

const firewalls = chainOwner<FirewallSpec>(planFirewall);

/** Chain names per family in the table, or [] when the table is gone. */
function chainsIn(ns: string, table: string): string[] {
    const out = JSON.parse(execFileSync("ip", ["netns", "exec", ns, "nft", "-j", "list", "chains"], { encoding: "utf8" })) as {
        nftables: Array<{ chain?: { family: string; table: string; name: string } }>;
    };
    return out.nftables.flatMap((o) => (o.chain && o.chain.table === table ? [`${o.chain.family} ${o.chain.name}`] : [])).sort();
}

describe("kernel: chains of many members in one table, created and deleted in parallel (root)", function () {
    this.timeout(300_000);
    let sbx: Sandbox;
    const table = `netplumb_race_${process.pid}`;

    before(function () {
        requireOrSkip(this, isRoot(), "nftables in a namespace needs root");
        requireOrSkip(this, hasCommand("nft"), "nftables (nft) is not installed");
        sbx = new Sandbox("npr");
    });
    after(() => sbx?.destroy());

    const member = (i: number): FirewallSpec => memberFirewall(i, sbx.host, table, "netplumb:race/run");
    const expected = (specs: FirewallSpec[]) => specs.flatMap((s) => planFirewall(s).map((c) => `${c.family} ${c.name}`)).sort();

    for (let round = 1; round <= 5; round++) {
        it(`round ${round}: deletes racing creates never take another member's chains, and the last delete removes the table`, async () => {
            const early = [0, 1, 2, 3, 4, 5, 6, 7].map(member);
            const late = [8, 9, 10, 11, 12, 13, 14, 15].map(member);
            await Promise.all(early.map((s) => firewalls.create(s)));
            await Promise.all([...late.map((s) => firewalls.create(s)), ...early.map((s) => firewalls.delete(s))]);
            assert.deepEqual(chainsIn(sbx.host, table), expected(late));
            for (const s of late) assert.equal((await firewalls.read(s))?.drift, undefined, `${s.chains} intact`);
            await Promise.all(late.map((s) => firewalls.delete(s)));
            assert.deepEqual(chainsIn(sbx.host, table), []);
        });
    }

    it("a member created between a delete's count of the table's chains and its delete of the table keeps its chains", async () => {
        const leaving = member(30);
        const arriving = member(31);
        await firewalls.create(leaving);
        let arrival: Promise<void> | undefined;
        const local = new LocalHost();
        const restore = useHostFactory(() => ({
            start: (argv) => local.start(argv),
            exec: async (argv, options) => {
                if (argv.includes("delete") && argv.includes("table") && arrival === undefined) {
                    // The moment of the race: the table looked empty; another member's create runs now.
                    arrival = firewalls.create(arriving);
                    await Promise.race([arrival, new Promise((r) => setTimeout(r, 2000))]);
                }
                return local.exec(argv, options);
            },
        }));
        try {
            await firewalls.delete(leaving);
            await arrival;
        } finally {
            restore();
        }
        assert.ok(arrival !== undefined, "the delete reached its delete of the table");
        assert.deepEqual(chainsIn(sbx.host, table), expected([arriving]));
        await firewalls.delete(arriving);
        assert.deepEqual(chainsIn(sbx.host, table), []);
    });

    it("a chain of the same name holding someone else's rules is left in place by delete", async () => {
        const mine = member(20);
        await firewalls.create(mine);
        const forward = planFirewall(mine)[0];
        execFileSync("ip", ["netns", "exec", sbx.host, "nft", "add", "rule", "inet", table, forward.name, "counter", "comment", '"someone-else"']);
        await firewalls.delete(mine);
        assert.ok(chainsIn(sbx.host, table).includes(`inet ${forward.name}`), "the shared chain stays");
        assert.ok(!chainsIn(sbx.host, table).includes(`bridge ${mine.chains}_guard`), "the chains holding only this owner's rules go");
        execFileSync("ip", ["netns", "exec", sbx.host, "nft", "delete", "table", "inet", table]);
    });
});

import { strict as assert } from "assert";
import { LocalHost } from "../../sdk/host/local";
import { Target } from "../../sdk/host/target";
import { chainOwner } from "../../sdk/kernel/chain-resource";
import { BatchRunner, allSettled, batchedInTableOrder, inTableOrder } from "../../sdk/kernel/table-queue";
import { FirewallSpec, ruleComment } from "../../sdk/model/firewall";
import { planFirewall } from "../../sdk/model/nft-script";
import { memberFirewall } from "../support/firewalls";
import { Call, RecordingHost, installHost } from "../support/recording-host";

const target = new Target(new LocalHost(), "sbx");

/** A runner that records each batch it is given and answers each request with itself doubled. */
function doubling(batches: number[][]): BatchRunner<number, number> {
    return async (_target, _table, requests) => {
        batches.push([...requests]);
        return requests.map((r) => ({ ok: true as const, value: r * 2 }));
    };
}

/** A gate the test opens by hand: work queued behind it waits. */
function gate(): { promise: Promise<void>; open: () => void } {
    let open = () => undefined as void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    return { promise, open };
}

describe("table queue: group commit of nftables work per table", () => {
    it("requests that arrive while earlier work runs share one batch, and each gets its own answer", async () => {
        const batches: number[][] = [];
        const runner = doubling(batches);
        const busy = gate();
        const first = inTableOrder(target, "t1", () => busy.promise);
        const answers = Promise.all([1, 2, 3].map((r) => batchedInTableOrder(target, "t1", runner, r)));
        busy.open();
        await first;
        assert.deepEqual(await answers, [2, 4, 6]);
        assert.deepEqual(batches, [[1, 2, 3]]);
    });

    it("nothing overtakes work queued before it: other work closes the open batch", async () => {
        const order: string[] = [];
        const batches: number[][] = [];
        const runner: BatchRunner<number, number> = async (t, table, requests) => (
            order.push(`batch ${requests.join(",")}`),
            doubling(batches)(t, table, requests)
        );
        const busy = gate();
        const running = inTableOrder(target, "t2", () => busy.promise);
        const early = batchedInTableOrder(target, "t2", runner, 1);
        const between = inTableOrder(target, "t2", async () => void order.push("between"));
        const late = batchedInTableOrder(target, "t2", runner, 2);
        busy.open();
        await Promise.all([running, early, between, late]);
        assert.deepEqual(order, ["batch 1", "between", "batch 2"]);
    });

    it("different tables and different runners never share a batch", async () => {
        const batches: number[][] = [];
        const a = doubling(batches);
        const b = doubling(batches);
        const busy = gate();
        const running = Promise.all([inTableOrder(target, "t3", () => busy.promise), inTableOrder(target, "t4", () => busy.promise)]);
        const answers = Promise.all([
            batchedInTableOrder(target, "t3", a, 1),
            batchedInTableOrder(target, "t4", a, 2),
            batchedInTableOrder(target, "t3", a, 3),
        ]);
        const other = batchedInTableOrder(target, "t3", b, 4);
        busy.open();
        await running;
        assert.deepEqual(await Promise.all([answers, other]), [[2, 4, 6], 8]);
        assert.deepEqual(batches, [[1, 3], [2], [4]]);
    });

    it("a table of one name on two machines is two queues: each batch runs on its own machine", async () => {
        const targets: string[] = [];
        const runner: BatchRunner<number, number> = async (t, _table, requests) => {
            targets.push(`${t.host.machine ?? "here"}: ${requests.join(",")}`);
            return requests.map((r) => ({ ok: true as const, value: r }));
        };
        const machine = (name: string) => new Target(Object.assign(new LocalHost(), { machine: name }), "sbx");
        const [a, b] = [machine("198.51.100.11:22"), machine("198.51.100.12:22")];
        const busy = gate();
        const running = Promise.all([inTableOrder(a, "t5", () => busy.promise), inTableOrder(b, "t5", () => busy.promise)]);
        const answers = Promise.all([
            batchedInTableOrder(a, "t5", runner, 1),
            batchedInTableOrder(b, "t5", runner, 2),
            batchedInTableOrder(a, "t5", runner, 3),
        ]);
        busy.open();
        await running;
        assert.deepEqual(await answers, [1, 2, 3]);
        assert.deepEqual(targets.sort(), ["198.51.100.11:22: 1,3", "198.51.100.12:22: 2"]);
    });

    it("a runner that throws fails every request of its batch, and the queue goes on", async () => {
        const failing: BatchRunner<number, number> = () => Promise.reject(new Error("nft: no such table"));
        const outcomes = await Promise.allSettled([batchedInTableOrder(target, "t5", failing, 1), batchedInTableOrder(target, "t5", failing, 2)]);
        assert.deepEqual(
            outcomes.map((o) => o.status === "rejected" && (o.reason as Error).message),
            ["nft: no such table", "nft: no such table"],
        );
        assert.deepEqual(await batchedInTableOrder(target, "t5", async (_t, _x, r) => allSettled(r.length, 7), 3), 7);
    });
});

describe("nftables chains of many resources: one process per batch, not per resource", () => {
    const firewalls = chainOwner<FirewallSpec>(planFirewall);
    const member = (i: number): FirewallSpec => memberFirewall(i, "sbx", "netplumb_p_s", "netplumb:p/s");
    const nft = (calls: readonly Call[]) => calls.filter((c) => c.argv.includes("nft"));
    let restore: () => void = () => undefined;
    afterEach(() => restore());

    it("creates submitted together run as one transaction holding every resource's chains", async () => {
        const host = new RecordingHost();
        restore = installHost(host);
        await Promise.all([0, 1, 2, 3].map((i) => firewalls.create(member(i))));
        const writes = nft(host.calls);
        assert.equal(writes.length, 1, host.lines().join("\n"));
        for (const i of [0, 1, 2, 3]) assert.match(writes[0].input!, new RegExp(`create chain inet netplumb_p_s m${i}_`));
    });

    it("when the shared transaction fails, each create runs alone and only the one whose chain exists takes the careful path", async () => {
        const host = new RecordingHost((c) => {
            const clash = c.input?.includes("create chain inet netplumb_p_s m2_") === true;
            if (clash) return { code: 1, stderr: "Error: Could not process rule: File exists" };
            return c.argv.includes("list") ? { stdout: '{"nftables":[]}' } : undefined;
        });
        restore = installHost(host);
        const outcomes = await Promise.allSettled([0, 1, 2, 3].map((i) => firewalls.create(member(i))));
        const creates = nft(host.calls).filter((c) => c.input?.includes("create chain"));
        assert.equal(creates.length, 1 + 4, `the shared transaction, then each alone:\n${host.lines().join("\n")}`);
        assert.equal(outcomes[2].status, "fulfilled", "m2 found its chains existing and converged them");
        const careful = nft(host.calls).filter((c) => c.argv.includes("list") || c.input?.includes("flush chain"));
        assert.ok(
            careful.every((c) => c.argv.join(" ").includes("m2_") || c.input?.includes("m2_")),
            `only m2 read and rewrote its chains:\n${host.lines().join("\n")}`,
        );
    });

    it("removals submitted together share one read of the table, one transaction and one count of its chains", async () => {
        const owners = [0, 1, 2, 3].map(member);
        const listing = JSON.stringify({
            nftables: owners.flatMap((s) =>
                planFirewall(s).flatMap((c) => [
                    { chain: { name: c.name, table: "netplumb_p_s" } },
                    { rule: { chain: c.name, comment: ruleComment(s.owner) } },
                ]),
            ),
        });
        const host = new RecordingHost((c) =>
            c.argv.includes("list") && c.argv.includes("table") ? { stdout: listing } : c.argv.includes("chains") ? { stdout: '{"nftables":[]}' } : undefined,
        );
        restore = installHost(host);
        await Promise.all(owners.map((s) => firewalls.delete(s)));
        const lines = host.lines().join("\n");
        const removal = nft(host.calls).filter((c) => c.input?.includes("delete chain"));
        assert.equal(removal.length, 1, lines);
        for (const i of [0, 1, 2, 3]) assert.match(removal[0].input!, new RegExp(`delete chain inet netplumb_p_s m${i}_`));
        assert.ok(
            nft(host.calls).some((c) => c.argv.join(" ").endsWith("list table inet netplumb_p_s")),
            `a batch reads the table once per family:\n${lines}`,
        );
    });
});

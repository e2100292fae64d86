import { strict as assert } from "assert";
import { inParallel } from "../../sdk/kernel/parallel";
import { selectCells } from "../../sdk/tools/check";
import type { MatrixCell } from "../../sdk/tools/expectations";

const cell = (from: string, to: string): MatrixCell => ({ from, to, probe: { kind: "ping", address: "198.51.100.9" }, expected: true });

describe("check at scale: which cells, how many at once", () => {
    const all = ["a", "b", "c"].flatMap((from) => ["x", "y", "z", "w"].map((to) => cell(from, to)));

    it("--only keeps one member's cells, --sample draws that many without repeats", () => {
        assert.deepEqual(
            selectCells(all, { only: "b" }).map((c) => c.to),
            ["x", "y", "z", "w"],
        );
        const sampled = selectCells(all, { sample: 5 }, () => 0.42);
        assert.equal(sampled.length, 5);
        assert.equal(new Set(sampled).size, 5);
        assert.equal(selectCells(all, { sample: 99 }).length, all.length);
        assert.equal(
            selectCells(all, { only: "a", sample: 2 }).every((c) => c.from === "a"),
            true,
        );
    });

    it("never runs more than the limit at once, and runs every item", async () => {
        let running = 0;
        let most = 0;
        const done: number[] = [];
        await inParallel([...Array(20).keys()], 3, async (i) => {
            most = Math.max(most, ++running);
            await new Promise((r) => setImmediate(r));
            done.push(i);
            running--;
        });
        assert.equal(most, 3);
        assert.deepEqual(
            [...done].sort((x, y) => x - y),
            [...Array(20).keys()],
        );
    });
});

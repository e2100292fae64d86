import { strict as assert } from "assert";
import { existsSync } from "fs";
import { createAllocation, deleteAllocation, STORE } from "../../sdk/kernel/allocation";
import { beginCreate, endCreate } from "../../sdk/kernel/intent";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

/**
 * Directories several resources share (/run/netplumb/creating, a pool's
 * directory) are removed by whoever leaves them empty, possibly while
 * another resource is making them again: creates in parallel with deletes
 * must never fail on a directory that vanished under them.
 */
describe("kernel: shared directories under parallel creates and deletes (root)", function () {
    this.timeout(120_000);
    const tag = runTag();
    before(function () {
        requireOrSkip(this, isRoot(), "/run/netplumb and /var/lib/netplumb need root");
    });

    it("write-ahead records: 20 rounds of 30 parallel begins and ends never fail, and leave nothing", async () => {
        const snapshotBefore = existsSync("/run/netplumb");
        for (let round = 0; round < 20; round++) {
            await Promise.all(
                Array.from({ length: 30 }, async (_, i) => {
                    const spec = { host: {}, owner: `netplumb:shared/${tag}/r${round}-${i}` };
                    await beginCreate(spec);
                    await endCreate(spec);
                }),
            );
        }
        assert.equal(existsSync("/run/netplumb"), snapshotBefore);
    });

    it("IPAM: members claimed and released in parallel in one pool never fail, and never share an address", async () => {
        const pool = `shared_${tag}`;
        const spec = (i: number) => ({
            host: {},
            owner: `netplumb:shared/${tag}/m${i}`,
            adopt: false,
            pool,
            subnet: "198.51.100.0/24",
            gateway: "198.51.100.1",
            member: `m${i}`,
        });
        for (let round = 0; round < 10; round++) {
            const kept = await createAllocation(spec(1000 + round));
            const states = await Promise.all(Array.from({ length: 12 }, (_, i) => createAllocation(spec(round * 100 + i))));
            await Promise.all([deleteAllocation(kept), ...states.slice(0, 6).map(deleteAllocation)]);
            const again = await Promise.all(Array.from({ length: 6 }, (_, i) => createAllocation(spec(round * 100 + 50 + i))));
            const held = [...states.slice(6), ...again].map((s) => s.allocated);
            assert.equal(new Set(held).size, held.length, "no address is held twice");
            await Promise.all([...states.slice(6), ...again].map(deleteAllocation));
            assert.ok(!existsSync(`${STORE}/${pool}`), "the pool goes with its last claim");
        }
    });
});

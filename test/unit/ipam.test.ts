import { strict as assert } from "assert";
import fc from "fast-check";
import { checkPool, defaultGateway, firstFree, memberAddressError, overlaps, poolCapacity, usableRange } from "../../sdk/model/ipam";
import { checkAllocation } from "../../sdk/model/allocation-check";

const pool = { subnet: "198.51.100.0/24", gateway: "198.51.100.1" };

describe("model: IPAM", () => {
    it("hands out host addresses only: not the network, broadcast or gateway", () => {
        assert.equal(defaultGateway("198.51.100.0/24"), "198.51.100.1");
        assert.equal(poolCapacity(pool), 253n);
        assert.equal(firstFree(pool, new Set()), "198.51.100.2");
        assert.equal(firstFree({ subnet: "192.0.2.0/30", gateway: "192.0.2.1" }, new Set()), "192.0.2.2");
        assert.equal(firstFree({ subnet: "192.0.2.0/30", gateway: "192.0.2.1" }, new Set(["192.0.2.2"])), undefined);
        assert.equal(firstFree({ subnet: "2001:db8::/64", gateway: "2001:db8::1" }, new Set()), "2001:db8::2");
        const [first, last] = usableRange("192.0.2.0/31");
        assert.equal(last - first, 1n);
    });

    const cases: Array<[string, Array<{ member: string; address?: string }>, string, RegExp]> = [
        ["the gateway", [{ member: "a", address: "198.51.100.1" }], "members.a.address", /the gateway's/],
        ["the network address", [{ member: "a", address: "198.51.100.0" }], "members.a.address", /network or broadcast/],
        ["the broadcast address", [{ member: "a", address: "198.51.100.255" }], "members.a.address", /network or broadcast/],
        ["an address outside", [{ member: "a", address: "203.0.113.9" }], "members.a.address", /outside the subnet 198.51.100.0\/24/],
        [
            "a duplicate",
            [
                { member: "a", address: "198.51.100.9" },
                { member: "b", address: "198.51.100.9" },
            ],
            "members.b.address",
            /also "a"'s/,
        ],
    ];
    for (const [label, requests, property, why] of cases) {
        it(`rejects ${label}`, () => {
            const f = checkPool(pool, requests).find((x) => x.property === property);
            assert.ok(f, JSON.stringify(checkPool(pool, requests)));
            assert.match(f.reason, why);
        });
    }

    it("rejects an exhausted pool and an overlapping subnet", () => {
        const small = { subnet: "192.0.2.0/29", gateway: "192.0.2.1" };
        const requests = ["a", "b", "c", "d", "e", "f"].map((member) => ({ member }));
        assert.match(
            checkPool(small, requests)
                .map((f) => f.reason)
                .join(),
            /6 members need addresses but 192.0.2.0\/29 has 5 free/,
        );
        assert.match(
            checkPool(pool, [], ["198.51.100.128/25"])
                .map((f) => f.reason)
                .join(),
            /overlaps 198.51.100.128\/25/,
        );
        assert.ok(!overlaps("198.51.100.0/24", "203.0.113.0/24"));
        assert.ok(!overlaps("198.51.100.0/24", "2001:db8::/32"));
    });

    it("property: first-free never returns the gateway, a taken address, or one outside the subnet", () => {
        fc.assert(
            fc.property(fc.uniqueArray(fc.integer({ min: 2, max: 254 }), { maxLength: 60 }), (takenHosts) => {
                const taken = new Set(takenHosts.map((h) => `198.51.100.${h}`));
                const free = firstFree(pool, taken);
                assert.ok(free !== undefined);
                assert.ok(!taken.has(free) && free !== pool.gateway);
                assert.equal(memberAddressError(pool, free), undefined);
            }),
        );
    });

    it("property: addresses allocated one by one are distinct and stay put when others are released", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 39 }), (count, releaseIndex) => {
                const held = new Map<string, string>();
                for (let i = 0; i < count; i++) held.set(`m${i}`, firstFree(pool, new Set(held.values()))!);
                assert.equal(new Set(held.values()).size, count);
                const before = new Map(held);
                held.delete(`m${releaseIndex % count}`);
                held.set("newcomer", firstFree(pool, new Set(held.values()))!);
                for (const [member, address] of held) if (member !== "newcomer") assert.equal(address, before.get(member));
            }),
        );
    });

    it("validates allocation inputs", () => {
        const base = { owner: "netplumb:p/s/a", host: {}, adopt: false, pool: "p_s_lab", subnet: "198.51.100.0/24", gateway: "198.51.100.1", member: "red" };
        assert.deepEqual(checkAllocation(base).failures, []);
        assert.match(checkAllocation({ ...base, address: "198.51.100.1" }).failures[0].reason, /gateway's/);
        assert.match(checkAllocation({ ...base, pool: "../etc" }).failures[0].reason, /pool id/);
    });
});

import { strict as assert } from "assert";
import fc from "fast-check";
import { canonicalDestination, destinationError, interfaceAddressError, networkOf, parseInterfaceAddress, subnetContains } from "../../sdk/model/addresses";

describe("model: addresses", () => {
    const valid: Array<[string, string, string]> = [
        ["192.0.2.10/24", "192.0.2.10/24", "192.0.2.0/24"],
        ["198.51.100.7/32", "198.51.100.7/32", "198.51.100.7/32"],
        ["2001:db8::10/64", "2001:db8::10/64", "2001:db8::/64"],
        ["2001:0DB8:0:0::1/48", "2001:db8::1/48", "2001:db8::/48"],
        ["203.0.113.9/0", "203.0.113.9/0", "0.0.0.0/0"],
    ];
    for (const [text, canonical, network] of valid) {
        it(`parses ${text}`, () => {
            const a = parseInterfaceAddress(text);
            assert.equal(`${a.address}/${a.prefixLength}`, canonical);
            assert.equal(networkOf(a), network);
        });
    }

    const invalid: Array<[unknown, RegExp]> = [
        ["192.0.2.10", /not an address with a prefix length/],
        ["192.0.2.256/24", /not hold a valid/],
        ["192.0.2.1/33", /above 32/],
        ["2001:db8::1/129", /above 128/],
        ["192.0.2.1/24; reboot", /not an address with a prefix/],
        ["$(id)/24", /not an address/],
        [null, /not an address/],
    ];
    for (const [text, why] of invalid) {
        it(`rejects ${JSON.stringify(text)}`, () => assert.match(interfaceAddressError(text) ?? "", why));
    }

    it("knows which gateways are inside a subnet", () => {
        const a = parseInterfaceAddress("192.0.2.10/24");
        assert.ok(subnetContains(a, "192.0.2.1"));
        assert.ok(!subnetContains(a, "192.0.3.1"));
        assert.ok(!subnetContains(a, "2001:db8::1"));
        assert.ok(subnetContains(parseInterfaceAddress("2001:db8::10/64"), "2001:db8::1"));
    });

    it("every address of a /24 is inside that /24 and nothing outside is", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (host, other) => {
                const a = parseInterfaceAddress(`192.0.2.${host}/24`);
                assert.ok(subnetContains(a, `192.0.2.${other}`));
                assert.ok(!subnetContains(a, `198.51.100.${other}`));
            }),
        );
    });

    it("route destinations must be default or a network", () => {
        assert.equal(destinationError("default"), undefined);
        assert.equal(destinationError("198.51.100.0/24"), undefined);
        assert.match(destinationError("198.51.100.1/24") ?? "", /host bits set; use the network 198.51.100.0\/24/);
        assert.match(destinationError("everywhere") ?? "", /neither "default" nor a prefix/);
        assert.equal(canonicalDestination("2001:0db8::/32"), "2001:db8::/32");
    });
});

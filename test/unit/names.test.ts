import { strict as assert } from "assert";
import fc from "fast-check";
import { boundedInterfaceName, interfaceNameError, namespaceNameError } from "../../sdk/model/names";
import { ownerTag, ownerTagError } from "../../sdk/model/ownership";

describe("model: names", () => {
    const good = ["eth0", "br0", "veth-red", "a", "x".repeat(15), "vlan.100", "lab_1"];
    const bad: Array<[unknown, RegExp]> = [
        ["", /non-empty/],
        ["x".repeat(16), /16 bytes; the limit is 15/],
        ["eth/0", /not allowed/],
        ["eth 0", /not allowed/],
        ["eth:0", /not allowed/],
        ["a'b", /not allowed/],
        ['a"b', /not allowed/],
        ["; touch /tmp/x", /not allowed/],
        ["$(id)", /not allowed/],
        ["a\nb", /not allowed/],
        ["`id`", /not allowed/],
        ["-eth0", /not allowed/],
        [".", /not allowed/],
        [42, /non-empty string/],
    ];

    for (const name of good) {
        it(`accepts interface name ${JSON.stringify(name)}`, () => assert.equal(interfaceNameError(name), undefined));
    }
    for (const [name, why] of bad) {
        it(`rejects interface name ${JSON.stringify(name)}`, () => assert.match(interfaceNameError(name) ?? "", why));
    }

    it("allows namespace names up to 64 bytes but not 65", () => {
        assert.equal(namespaceNameError("n".repeat(64)), undefined);
        assert.match(namespaceNameError("n".repeat(65)) ?? "", /65 bytes; the limit is 64/);
    });

    it("error messages quote the bad value", () => {
        assert.match(interfaceNameError("bad;name") ?? "", /"bad;name"/);
    });

    it("bounded names always fit IFNAMSIZ and are valid interface names", () => {
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,40}$/), (natural) => {
                const name = boundedInterfaceName(natural);
                assert.ok(Buffer.byteLength(name) <= 15, name);
                assert.equal(interfaceNameError(name), undefined);
            }),
        );
    });

    it("bounded names keep short names and keep long distinct names distinct", () => {
        assert.equal(boundedInterfaceName("veth-red"), "veth-red");
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z]{16,30}$/), fc.stringMatching(/^[a-z]{16,30}$/), (x, y) => {
                fc.pre(x !== y);
                assert.notEqual(boundedInterfaceName(x), boundedInterfaceName(y));
            }),
        );
    });

    it("owner tags are sanitised, bounded and valid", () => {
        const tag = ownerTag("proj", "dev", "my resource;rm");
        assert.equal(tag, "netplumb:proj/dev/my_resource_rm");
        assert.equal(ownerTagError(tag), undefined);
        assert.ok(ownerTag("p", "s", "r".repeat(400)).length <= 255);
        assert.match(ownerTagError("other:tag") ?? "", /must start with/);
    });
});

import { strict as assert } from "assert";
import bridgeProvider = require("../../providers/bridge");
import vethProvider = require("../../providers/veth");
import sysctlProvider = require("../../providers/sysctl");
import { providerSource, sourceRequiring } from "../../sdk/resources/common";
import { recordEachTest } from "../support/recording-host";

const managed = { owner: "netplumb:p/s/r", host: { netns: "sbx" }, adopt: false };

describe("providers: check and diff are pure", () => {
    const recorded = recordEachTest();

    it("check returns failures for bad input and runs nothing", async () => {
        const result = await bridgeProvider.check!({}, { ...managed, name: "br0; touch /tmp/x", mtu: 10 });
        assert.deepEqual(result.failures!.map((f) => f.property).sort(), ["mtu", "name"]);
        assert.match(result.failures!.find((f) => f.property === "name")!.reason, /"br0; touch \/tmp\/x"/);
        assert.equal(recorded().calls.length, 0);
    });

    it("check normalises valid input and runs nothing", async () => {
        const result = await vethProvider.check!(
            {},
            { ...managed, a: { name: "v0", addresses: [] }, b: { name: "eth0", namespace: "red", addresses: ["2001:DB8::A/64"] } },
        );
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.inputs.b.addresses, ["2001:db8::a/64"]);
        assert.equal(recorded().calls.length, 0);
    });

    it("diff reports updates, replaces with delete-before-replace, and runs nothing", async () => {
        const olds = { ...managed, a: { name: "v0", addresses: [] }, b: { name: "eth0", namespace: "red", addresses: [] } };
        const update = await vethProvider.diff!("id", olds, { ...olds, b: { ...olds.b, mtu: 1400 } });
        assert.deepEqual([update.changes, update.replaces, update.deleteBeforeReplace], [true, [], false]);
        const replace = await vethProvider.diff!("id", olds, { ...olds, b: { ...olds.b, name: "eth1" } });
        assert.deepEqual([replace.changes, replace.replaces, replace.deleteBeforeReplace], [true, ["b"], true]);
        const same = await sysctlProvider.diff!(
            "id",
            { ...managed, key: "net.ipv4.ip_forward", value: "1", previous: "0" },
            { ...managed, key: "net.ipv4.ip_forward", value: "1" },
        );
        assert.equal(same.changes, false);
        assert.equal(recorded().calls.length, 0);
    });

    it("state carries a one-line require of the kind's provider module, which loads the provider", () => {
        assert.equal(
            sourceRequiring("/srv/infra/node_modules/netplumb/dist/providers/veth.js"),
            'exports.handler = () => require("netplumb/dist/providers/veth.js");\n',
        );
        const source = providerSource("veth");
        const loaded = { exports: {} as { handler?: () => unknown } };
        // Evaluating the serialized source is exactly what Pulumi's provider host does with it.
        // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
        new Function("exports", "require", source)(loaded.exports, require);
        assert.equal(loaded.exports.handler!(), vethProvider);
    });
});

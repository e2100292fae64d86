import { strict as assert } from "assert";
import bridgeProvider = require("../../providers/bridge");
import labMemberProvider = require("../../providers/lab-member");
import identityProvider = require("../../providers/stack-identity");
import { update } from "../../providers/lifecycle";
import { stackTableName } from "../../sdk/model/firewall";
import { UNKNOWN } from "../../sdk/model/host-spec";
import { hasStackId, keptLegacyName, keptOwner, ownerTag, ownerTagError, parseOwnerTag, stackIdError } from "../../sdk/model/ownership";
import { recordEachTest } from "../support/recording-host";

const ID = "3fa2c91b0e4d";
const tagged = ownerTag("lab", "dev", "lab-bridge", ID);

describe("stack identity: unique tags kept across renames and aliases", () => {
    const recorded = recordEachTest();

    it("a tag carries project, stack, stack id and resource, and parses back", () => {
        assert.equal(tagged, `netplumb:lab/dev@${ID}/lab-bridge`);
        assert.equal(ownerTagError(tagged), undefined);
        assert.deepEqual(parseOwnerTag(tagged), { project: "lab", stack: "dev", stackId: ID, resource: "lab-bridge" });
        assert.deepEqual(parseOwnerTag("netplumb:lab/dev/lab-bridge"), { project: "lab", stack: "dev", resource: "lab-bridge" });
        assert.equal(parseOwnerTag("someone:else"), undefined);
        assert.equal(hasStackId(tagged), true);
        assert.equal(hasStackId("netplumb:lab/dev/lab-bridge"), false);
    });

    it("two stacks of the same names have different tables and tags; a renamed stack keeps its own", () => {
        const other = "0123456789ab";
        assert.notEqual(ownerTag("lab", "dev", "r", ID), ownerTag("lab", "dev", "r", other));
        assert.notEqual(stackTableName("lab", "dev", ID), stackTableName("lab", "dev", other));
        assert.equal(stackTableName("lab", "dev", ID), `netplumb_lab_dev_${ID}`);
        assert.equal(stackTableName("lab", "dev"), "netplumb_lab_dev");
        assert.ok(stackTableName("p".repeat(80), "s", ID).length <= 64);
    });

    it("check keeps the tag recorded in state, whatever the program computes now", () => {
        assert.equal(keptOwner(tagged, ownerTag("lab", "renamed", "lab-bridge", ID)), tagged);
        assert.equal(keptOwner(tagged, ownerTag("lab", "dev", "aliased-name", ID)), tagged);
        assert.equal(keptOwner(tagged, UNKNOWN), tagged);
        assert.equal(keptOwner(undefined, tagged), tagged, "a new resource takes the computed tag");
    });

    it("a 0.1 tag gives way to the new one (the update re-tags), even while the identity is still unknown in preview", () => {
        assert.equal(keptOwner("netplumb:lab/dev/lab-bridge", tagged), tagged);
        assert.equal(keptOwner("netplumb:lab/dev/lab-bridge", UNKNOWN), UNKNOWN);
    });

    it("a 0.1 table or pool name is kept when the new one only adds the stack id; any other change goes through", () => {
        assert.equal(keptLegacyName("netplumb_lab_dev", `netplumb_lab_dev_${ID}`), "netplumb_lab_dev");
        assert.equal(keptLegacyName("lab_dev_lab", `lab_dev_${ID}_lab`), "lab_dev_lab");
        assert.equal(keptLegacyName("netplumb_lab_dev", "netplumb_other"), "netplumb_other");
        assert.equal(keptLegacyName(`netplumb_lab_dev_${ID}`, `netplumb_lab_dev_${ID}`), `netplumb_lab_dev_${ID}`);
        assert.equal(keptLegacyName(undefined, "t"), "t");
    });

    it("a provider's check applies both rules and runs nothing", async () => {
        const base = { host: { netns: "sbx" }, adopt: false, name: "br0", addresses: [] };
        const renamed = await bridgeProvider.check!({ ...base, owner: tagged }, { ...base, owner: ownerTag("lab", "renamed", "lab-bridge", ID) });
        assert.equal(renamed.inputs.owner, tagged);
        const member = {
            host: {},
            adopt: false,
            member: "red",
            namespace: "lab-red",
            hostInterface: "vh-red",
            interface: "eth0",
            bridge: "br0",
            pool: "lab_dev_lab",
            subnet: "198.51.100.0/24",
            gateway: "198.51.100.1",
            table: "netplumb_lab_dev",
            chains: "lab_red",
            egress: "allow",
            nameservers: [],
            search: [],
            portForwards: [],
        };
        const upgraded = await labMemberProvider.check!(
            { ...member, owner: "netplumb:lab/dev/lab-red" },
            { ...member, owner: ownerTag("lab", "dev", "lab-red", ID), pool: `lab_dev_${ID}_lab`, table: `netplumb_lab_dev_${ID}` },
        );
        assert.deepEqual(upgraded.failures, []);
        assert.deepEqual(
            [upgraded.inputs.owner, upgraded.inputs.pool, upgraded.inputs.table],
            [ownerTag("lab", "dev", "lab-red", ID), "lab_dev_lab", "netplumb_lab_dev"],
        );
        assert.equal(recorded().calls.length, 0);
    });

    it("update re-tags first when the owner changed, then works under the new tag; otherwise never re-tags", async () => {
        const seen: string[] = [];
        const op = (previous: { owner: string }, spec: { owner: string }) => {
            seen.push(`update ${previous.owner} -> ${spec.owner}`);
            return Promise.resolve();
        };
        const retag = (previous: { owner: string }, owner: string) => {
            seen.push(`retag ${previous.owner} -> ${owner}`);
            return Promise.resolve();
        };
        await update(op, { owner: "netplumb:p/s/r" }, { owner: tagged }, retag);
        assert.deepEqual(seen, [`retag netplumb:p/s/r -> ${tagged}`, `update ${tagged} -> ${tagged}`]);
        seen.length = 0;
        await update(op, { owner: tagged }, { owner: tagged }, retag);
        assert.deepEqual(seen, [`update ${tagged} -> ${tagged}`]);
    });

    it("the identity is drawn once at create (12 hex digits, different each time) and never changes after", async () => {
        const first = await identityProvider.create({ project: "lab", stack: "dev" });
        const second = await identityProvider.create({ project: "lab", stack: "dev" });
        assert.equal(stackIdError(first.outs!.stackId), undefined);
        assert.notEqual(first.outs!.stackId, second.outs!.stackId);
        assert.deepEqual({ ...first.outs }, { project: "lab", stack: "dev", stackId: first.id });
        const renamed = await identityProvider.diff!(first.id, first.outs, { project: "lab", stack: "renamed" });
        assert.equal(renamed.changes, false);
        const read = await identityProvider.read!(first.id, first.outs);
        assert.deepEqual(read.props, first.outs);
        await assert.rejects(identityProvider.read!("x", { stackId: "nope" }), /no valid stackId/);
        assert.equal(recorded().calls.length, 0);
    });
});

import type * as pulumi from "@pulumi/pulumi";
import * as kernel from "../sdk/kernel/veth";
import * as checks from "../sdk/model/checks";
import * as model from "../sdk/model/diff";
import * as ids from "./ids";
import * as life from "./lifecycle";

/** Dynamic provider for VethPair; each method delegates to the model and kernel layers. */
const vethProvider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news) => life.check(checks.checkVethPair, news),
    diff: (_id, olds, news) => life.diff(model.IDENTITY.veth, olds, news),
    create: (inputs) => life.create(ids.vethId, kernel.createVethPair, inputs),
    read: (id, props) => life.read(kernel.readVethPair, id, props),
    update: (_id, olds, news) => life.update(kernel.updateVethPair, olds, news),
    delete: (_id, props) => life.remove(kernel.deleteVethPair, props),
};

/**
 * The module's exports are the provider itself, so Pulumi serializes it into
 * state as one `require("netplumb/dist/providers/veth.js")`.
 */
export = vethProvider;

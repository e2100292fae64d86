import type * as pulumi from "@pulumi/pulumi";
import * as kernel from "../sdk/kernel/bridge";
import * as checks from "../sdk/model/checks";
import * as model from "../sdk/model/diff";
import * as ids from "./ids";
import * as life from "./lifecycle";
import type * as specs from "../sdk/model/specs";

/** Dynamic provider for Bridge; each method delegates to the model and kernel layers. */
const bridgeProvider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news) => life.check(checks.checkBridge, news),
    diff: (_id, olds, news) => life.diff(model.IDENTITY.bridge, olds, news),
    create: (inputs) => life.create(ids.linkId, kernel.createBridge, inputs),
    read: (id, props) => life.read(kernel.readBridge, id, props),
    update: (_id, olds, news) => life.update<specs.BridgeSpec>((_o, s) => kernel.updateBridge(s), olds, news),
    delete: (_id, props) => life.remove(kernel.deleteBridge, props),
};

/**
 * The module's exports are the provider itself, so Pulumi serializes it into
 * state as one `require("netplumb/dist/providers/bridge.js")`.
 */
export = bridgeProvider;

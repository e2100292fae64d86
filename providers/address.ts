import type * as pulumi from "@pulumi/pulumi";
import * as kernel from "../sdk/kernel/address";
import * as checks from "../sdk/model/checks";
import * as model from "../sdk/model/diff";
import * as ids from "./ids";
import * as life from "./lifecycle";

/** Dynamic provider for Address; every property is identity, so changes replace. */
const addressProvider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news) => life.check(checks.checkAddress, news),
    diff: (_id, olds, news) => life.diff(model.IDENTITY.address, olds, news),
    create: (inputs) => life.create(ids.addressId, kernel.createAddress, inputs),
    read: (id, props) => life.read(kernel.readAddress, id, props),
    update: (_id, _olds, news) => life.update(async () => undefined, {}, news),
    delete: (_id, props) => life.remove(kernel.deleteAddress, props),
};

/**
 * The module's exports are the provider itself, so Pulumi serializes it into
 * state as one `require("netplumb/dist/providers/address.js")`.
 */
export = addressProvider;

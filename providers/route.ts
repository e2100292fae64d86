import type * as pulumi from "@pulumi/pulumi";
import * as kernel from "../sdk/kernel/route";
import * as checks from "../sdk/model/checks";
import * as model from "../sdk/model/diff";
import * as ids from "./ids";
import * as life from "./lifecycle";

/** Dynamic provider for Route; gateway, device and metric change in place. */
const routeProvider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news) => life.check(checks.checkRoute, news),
    diff: (_id, olds, news) => life.diff(model.IDENTITY.route, olds, news),
    create: (inputs) => life.create(ids.routeId, kernel.createRoute, inputs),
    read: (id, props) => life.read(kernel.readRoute, id, props),
    update: (_id, olds, news) => life.update(kernel.updateRoute, olds, news),
    delete: (_id, props) => life.remove(kernel.deleteRoute, props),
};

/**
 * The module's exports are the provider itself, so Pulumi serializes it into
 * state as one `require("netplumb/dist/providers/route.js")`.
 */
export = routeProvider;

import type * as pulumi from "@pulumi/pulumi";
import * as kernel from "../sdk/kernel/sysctl";
import * as checks from "../sdk/model/checks";
import * as model from "../sdk/model/diff";
import * as ids from "./ids";
import * as life from "./lifecycle";

/** Dynamic provider for Sysctl; delete restores the value found at create. */
const sysctlProvider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news) => life.check(checks.checkSysctl, news),
    diff: (_id, olds, news) => life.diff(model.IDENTITY.sysctl, olds, news),
    create: (inputs) => life.create(ids.sysctlId, kernel.createSysctl, inputs),
    read: (id, props) => life.read(kernel.readSysctl, id, props),
    update: (_id, olds, news) => life.update(kernel.updateSysctl, olds, news),
    delete: (_id, props) => life.remove(kernel.deleteSysctl, props),
};

/**
 * The module's exports are the provider itself, so Pulumi serializes it into
 * state as one `require("netplumb/dist/providers/sysctl.js")`.
 */
export = sysctlProvider;

import type * as pulumi from "@pulumi/pulumi";
import * as kernel from "../sdk/kernel/namespace";
import * as checks from "../sdk/model/checks";
import * as model from "../sdk/model/diff";
import * as life from "./lifecycle";
import type * as specs from "../sdk/model/specs";

/** Dynamic provider for NetworkNamespace; each method delegates to the model and kernel layers. */
const namespaceProvider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news) => life.check(checks.checkNamespace, news),
    diff: (_id, olds, news) => life.diff(model.IDENTITY.namespace, olds, news),
    create: (inputs) => life.create((s: { name: string }) => `netns/${s.name}`, kernel.createNamespace, inputs),
    read: (id, props) => life.read(kernel.readNamespace, id, props),
    update: (_id, olds, news) => life.update<specs.NamespaceSpec>((_o, s) => kernel.updateNamespace(s), olds, news),
    delete: (_id, props) => life.remove(kernel.deleteNamespace, props),
};

/**
 * The module's exports are the provider itself, so Pulumi serializes it into
 * state as one `require("netplumb/dist/providers/namespace.js")`.
 */
export = namespaceProvider;

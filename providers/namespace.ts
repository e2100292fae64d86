import * as kernel from "../sdk/kernel/namespace";
import { checkNamespace } from "../sdk/model/checks";
import { IDENTITY } from "../sdk/model/diff";
import type { NamespaceSpec } from "../sdk/model/specs";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for NetworkNamespace. */
export = makeProvider<NamespaceSpec>({
    validate: checkNamespace,
    identity: IDENTITY.namespace,
    id: (s: NamespaceSpec) => `netns/${s.name}`,
    create: kernel.createNamespace,
    read: kernel.readNamespace,
    update: (_previous, spec) => kernel.updateNamespace(spec),
    delete: kernel.deleteNamespace,
    retag: kernel.retagNamespace,
});

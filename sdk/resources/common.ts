import * as pulumi from "@pulumi/pulumi";
import { ownerTag } from "../model/ownership";
import { stackIdentity } from "./stack-identity";

export { MODULE, NetplumbResource, providerSource, sourceRequiring } from "./base";

/** A host as a resource input: `{}` for this machine, `{ netns: ns.name }` for a namespace acting as the host. */
export interface HostInput {
    /** Namespace acting as the host. Default: none (this machine's root namespace). */
    netns?: pulumi.Input<string>;
}

/** Arguments every host-level resource takes. */
export interface ManagedArgs {
    /**
     * Where the object lives. Default `{}`: this machine's root network
     * namespace. `{ netns: "sbx" }`: the named namespace acts as the host
     * (objects without an explicit namespace go there; commands run as
     * `ip -n sbx ...`).
     */
    host?: pulumi.Input<HostInput>;
    /**
     * Take over an existing object of the same name instead of failing,
     * after checking it is of the same kind. Default false.
     */
    adopt?: pulumi.Input<boolean>;
}

/**
 * The inputs every netplumb resource sends to its provider. The owner tag
 * comes from the stack's identity (see StackIdentity), so every resource
 * depends on it and `destroy` removes it last.
 */
export function managedInputs(resourceName: string, args: ManagedArgs): Record<string, pulumi.Input<unknown>> {
    const identity = stackIdentity();
    return {
        host: args.host ?? {},
        adopt: args.adopt ?? false,
        owner: pulumi.all([identity.project, identity.stack, identity.stackId]).apply(([project, stack, id]) => ownerTag(project, stack, resourceName, id)),
    };
}

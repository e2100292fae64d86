import * as pulumi from "@pulumi/pulumi";
import { ownerTag } from "../model/ownership";
import type { SshSpec } from "../model/ssh-spec";
import { stackIdentity } from "./stack-identity";

export { MODULE, NetplumbResource, providerSource, sourceRequiring } from "./base";

/**
 * A host as a resource input: `{}` for this machine, `{ netns: ns.name }`
 * for a namespace acting as the host, `{ ssh: { host, privateKey, hostKey } }`
 * for another machine.
 */
export interface HostInput {
    /** Namespace acting as the host. Default: none (that machine's root namespace). */
    netns?: pulumi.Input<string>;
    /** Another machine, reached over SSH (see SshSpec for each field and its default). */
    ssh?: pulumi.Input<SshInput>;
}

/** `host.ssh` as a resource input: SshSpec's fields, each an Input. */
export type SshInput = { [K in keyof SshSpec]: pulumi.Input<SshSpec[K]> };

/** The fields of `host.ssh` that are kept as Pulumi secrets whatever the program gave. */
const SSH_SECRETS = ["privateKey", "privateKeyPassword", "password"] as const;

/**
 * `host` with its SSH credentials made Pulumi secrets, so they are encrypted
 * in state and shown as [secret] even when the program passed plain text.
 * A host given as an Output is passed as it is (make its credentials secrets
 * yourself: `pulumi.secret(key)`, or `config.requireSecret`).
 */
export function withSecretCredentials(host: pulumi.Input<HostInput>): pulumi.Input<HostInput> {
    if (pulumi.Output.isInstance(host) || host instanceof Promise || !host.ssh) return host;
    const ssh = host.ssh;
    if (pulumi.Output.isInstance(ssh) || ssh instanceof Promise) return { ...host, ssh: pulumi.secret(ssh) };
    const secured: Record<string, unknown> = { ...ssh };
    for (const key of SSH_SECRETS) if (ssh[key] !== undefined) secured[key] = pulumi.secret(ssh[key]);
    return { ...host, ssh: secured as SshInput };
}

/** Arguments every host-level resource takes. */
export interface ManagedArgs {
    /**
     * Where the object lives. Default `{}`: this machine's root network
     * namespace. `{ netns: "sbx" }`: the named namespace acts as the host
     * (objects without an explicit namespace go there; commands run as
     * `ip -n sbx ...`). `{ ssh: { host, privateKey, hostKey } }`: another
     * machine, its commands run over SSH (credentials kept as secrets).
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
        host: withSecretCredentials(args.host ?? {}),
        adopt: args.adopt ?? false,
        owner: pulumi.all([identity.project, identity.stack, identity.stackId]).apply(([project, stack, id]) => ownerTag(project, stack, resourceName, id)),
    };
}

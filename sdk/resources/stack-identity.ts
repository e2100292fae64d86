import * as pulumi from "@pulumi/pulumi";
import { NetplumbResource } from "./base";

/** The resource name of a program's stack identity. */
export const STACK_IDENTITY_NAME = "netplumb-stack";

/**
 * The stack's identity, made once at its first `up` and kept in its state:
 * a random 12-hex-digit id, and the project and stack names as they were
 * then. Every netplumb tag, nftables table and IPAM pool of the stack is
 * derived from it, so `pulumi stack rename` changes nothing on the host, and
 * two checkouts with the same project and stack names (two state backends)
 * never own each other's objects. It touches nothing on the host; `destroy`
 * removes it last (every netplumb resource depends on it).
 *
 * Programs do not make it: the first netplumb resource of a program makes
 * one, named `netplumb-stack` (see `stackIdentity()`).
 */
export class StackIdentity extends NetplumbResource {
    /** 12 lowercase hex digits, random, fixed for the life of the stack. */
    declare public readonly stackId: pulumi.Output<string>;
    /** The project's name at the stack's first `up`. */
    declare public readonly project: pulumi.Output<string>;
    /** The stack's name at its first `up`. */
    declare public readonly stack: pulumi.Output<string>;

    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("stack-identity", "StackIdentity", name, { project: pulumi.getProject(), stack: pulumi.getStack(), stackId: undefined }, opts);
    }
}

const REGISTRY = Symbol.for("netplumb.stackIdentity");
type Registry = { [REGISTRY]?: { key: string; identity: StackIdentity } };

/**
 * The program's StackIdentity, made on first use. One per program run, shared
 * by every copy of netplumb the program loads (through a global symbol), so a
 * component library depending on its own netplumb still shares the identity.
 */
export function stackIdentity(): StackIdentity {
    const registry = globalThis as Registry;
    const key = `${pulumi.getProject()}/${pulumi.getStack()}`;
    const known = registry[REGISTRY];
    if (known !== undefined && known.key === key) return known.identity;
    const identity = new StackIdentity(STACK_IDENTITY_NAME);
    registry[REGISTRY] = { key, identity };
    return identity;
}

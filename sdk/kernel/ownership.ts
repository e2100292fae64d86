import { isNetplumbTag } from "../model/ownership";

/** Thrown when an object exists that this resource may not take over or remove. */
export class OwnershipError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "OwnershipError";
    }
}

/**
 * Decides what to do with an object found where create wanted to make one.
 * Returns "ours" (left by an interrupted run of this very resource: tagged
 * with its owner, or untagged while `resumed` says this resource's create
 * was cut off before it could write the tag: converge it), "adopt" (a
 * matching object the user asked to take over), or throws an
 * OwnershipError that says whose it is and what to do.
 */
export function claimExisting(what: string, alias: string | undefined, owner: string, adopt: boolean, resumed = false): "ours" | "adopt" {
    if (alias === owner || (resumed && !alias)) return "ours";
    if (isNetplumbTag(alias)) {
        throw new OwnershipError(`${what} already exists and belongs to another netplumb resource (${alias}); choose another name`);
    }
    if (adopt) return "adopt";
    throw new OwnershipError(
        `${what} already exists and is not managed by this stack; ` + `choose another name, remove it, or set adopt: true to take it over`,
    );
}

/**
 * Guards a delete: an object whose tag is not `owner` is left alone (it was
 * replaced by someone else's object of the same name).
 */
export function assertOwned(what: string, alias: string | undefined, owner: string): void {
    if (alias !== owner) {
        throw new OwnershipError(
            `${what} is not tagged as this resource's (found ${JSON.stringify(alias ?? "")}, expected ${JSON.stringify(owner)}); ` +
                `it was left in place: remove it by hand if it is yours`,
        );
    }
}

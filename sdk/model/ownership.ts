/**
 * Ownership markers. netplumb marks what it creates so that a later run can
 * tell its own objects from anyone else's:
 * - links (bridges, veth ends) carry an interface alias (`ip link set X alias T`);
 * - a namespace carries the tag as the alias of its loopback device;
 * - nft rules carry it as their comment; IPAM claims, sysctl holders and
 *   PID files name it in their file names or contents;
 * - routes carry netplumb's route protocol number.
 *
 * The tag format (what `netplumb doctor` reads):
 *   `netplumb:<project>/<stack>@<stack id>/<resource name>`
 * The stack id is 12 hex digits made once, at the stack's first `up`, and
 * kept in its state (the `netplumb-stack` StackIdentity resource), so two
 * checkouts with the same project and stack names never own each other's
 * objects. A resource's tag is fixed when it is created and kept in its
 * state: `pulumi stack rename` and aliases change nothing on the host.
 * Tags without `@<stack id>` were written by netplumb 0.1; the next `up`
 * re-tags those objects in place.
 */

/** Prefix of every ownership tag. */
export const OWNER_PREFIX = "netplumb:";

/** Route protocol number marking netplumb's routes (`ip route ... proto 222`). */
export const ROUTE_PROTOCOL = 222;

/** A stack id: 12 lowercase hex digits (48 random bits). */
const STACK_ID = /^[0-9a-f]{12}$/;

/**
 * The tag of one Pulumi resource: `netplumb:<project>/<stack>@<stack id>/<resource name>`,
 * or the 0.1 form `netplumb:<project>/<stack>/<resource name>` without a stack id.
 */
export function ownerTag(project: string, stack: string, resourceName: string, stackId?: string): string {
    const clean = (part: string) => part.replace(/[^A-Za-z0-9_./-]/g, "_");
    const id = stackId === undefined ? "" : `@${stackId}`;
    return `${OWNER_PREFIX}${clean(project)}/${clean(stack)}${id}/${clean(resourceName)}`.slice(0, 255);
}

/** The parts of a tag; `stackId` is absent for a 0.1 tag. Undefined when `tag` is not netplumb's. */
export interface OwnerTagParts {
    readonly project: string;
    readonly stack: string;
    readonly stackId?: string;
    readonly resource: string;
}

/** Splits a tag into project, stack, stack id and resource name. */
export function parseOwnerTag(tag: string): OwnerTagParts | undefined {
    const match = /^netplumb:([^/]*)\/([^/@]*)(?:@([0-9a-f]{12}))?\/(.*)$/.exec(tag);
    if (!match) return undefined;
    const [, project, stack, stackId, resource] = match;
    return stackId === undefined ? { project, stack, resource } : { project, stack, stackId, resource };
}

/** True when the tag carries a stack id (written by netplumb 0.2 or later). */
export function hasStackId(tag: string): boolean {
    return parseOwnerTag(tag)?.stackId !== undefined;
}

/** Returns why `id` is not a stack id, or undefined when it is. */
export function stackIdError(id: unknown): string | undefined {
    return typeof id === "string" && STACK_ID.test(id) ? undefined : "a stack id is 12 lowercase hex digits";
}

/** True when `alias` is a tag written by netplumb (any stack). */
export function isNetplumbTag(alias: string | undefined): boolean {
    return alias !== undefined && alias.startsWith(OWNER_PREFIX);
}

/** Returns why `tag` cannot be used as an owner tag, or undefined when it can. */
export function ownerTagError(tag: unknown): string | undefined {
    if (typeof tag !== "string" || !tag.startsWith(OWNER_PREFIX)) {
        return `owner tag must start with "${OWNER_PREFIX}"`;
    }
    if (tag.length > 255 || /[\s"'`$\\;|&<>]/.test(tag)) {
        return "owner tag must be at most 255 characters without whitespace, quotes or shell metacharacters";
    }
    return undefined;
}

/**
 * The owner a resource keeps through `check`: a resource already created
 * keeps the tag in its state (a renamed stack or an aliased resource computes
 * another one, but its objects carry the first); only a 0.1 tag without a
 * stack id gives way to the computed one (unknown in a preview that also
 * creates the stack's identity), which the update then writes onto the
 * objects (see each kind's `retag`).
 */
export function keptOwner(previous: unknown, computed: unknown): unknown {
    if (typeof previous !== "string" || ownerTagError(previous) !== undefined || !hasStackId(previous)) return computed;
    return previous;
}

/**
 * A stack-scoped name (nftables table, IPAM pool) a 0.1 resource keeps: when
 * the computed name is the recorded one with `_<stack id>` added, the
 * recorded one stays, so upgrading a stack moves no rule and renumbers no
 * member (its objects are re-tagged in place instead).
 */
export function keptLegacyName(previous: unknown, computed: unknown): unknown {
    if (typeof previous !== "string" || typeof computed !== "string") return computed;
    return computed.replace(/_[0-9a-f]{12}(?=_|$)/, "") === previous && computed !== previous ? previous : computed;
}

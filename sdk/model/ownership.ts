/**
 * Ownership markers. netplumb marks what it creates so that a later run can
 * tell its own objects from anyone else's:
 * - links (bridges, veth ends) carry an interface alias (`ip link set X alias T`);
 * - a namespace carries the tag as the alias of its loopback device;
 * - routes carry netplumb's route protocol number.
 */

/** Prefix of every ownership tag. */
export const OWNER_PREFIX = "netplumb:";

/** Route protocol number marking netplumb's routes (`ip route ... proto 222`). */
export const ROUTE_PROTOCOL = 222;

/**
 * The tag of one Pulumi resource: `netplumb:<project>/<stack>/<resource name>`.
 * Stable across runs, distinct between stacks.
 */
export function ownerTag(project: string, stack: string, resourceName: string): string {
    const clean = (part: string) => part.replace(/[^A-Za-z0-9_./-]/g, "_");
    return `${OWNER_PREFIX}${clean(project)}/${clean(stack)}/${clean(resourceName)}`.slice(0, 255);
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

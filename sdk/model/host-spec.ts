import { Failures, show } from "./failures";
import { namespaceNameError } from "./names";

/**
 * Where kernel operations run. Serializable: it is part of every resource's
 * inputs and outputs.
 * - `{}` (the default): the local machine's root network namespace;
 * - `{ netns: "sbx" }`: the local machine, with the named namespace acting as
 *   the host (objects without an explicit namespace go there);
 * - SSH is reserved for a later release (`ssh` is rejected for now).
 */
export interface HostSpec {
    readonly netns?: string;
}

/** The sentinel the Pulumi engine uses for values not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a value is not known yet (preview of a value computed by another resource). */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** Validates a host spec, reporting failures under `property`. */
export function checkHost(raw: unknown, property: string, failures: Failures): HostSpec {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== "object" || Array.isArray(raw)) {
        failures.add(property, `${show(raw)} is not a host; use {} for this machine or { netns: "name" }`);
        return {};
    }
    const { netns, ...rest } = raw as Record<string, unknown>;
    for (const key of Object.keys(rest)) {
        failures.add(`${property}.${key}`, `unknown host property ${show(key)}; a host takes only "netns" for now`);
    }
    if (netns === undefined || isUnknown(netns)) return {};
    failures.check(`${property}.netns`, namespaceNameError(netns));
    return { netns: netns as string };
}

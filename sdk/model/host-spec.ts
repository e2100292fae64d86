import { Failures, show } from "./failures";
import { namespaceNameError } from "./names";
import { SshSpec, checkSsh } from "./ssh-spec";
import { isUnknown } from "./unknown";

export type { SshSpec };

/**
 * Where kernel operations run. Serializable: it is part of every resource's
 * inputs and outputs.
 * - `{}` (the default): the local machine's root network namespace;
 * - `{ netns: "sbx" }`: the local machine, with the named namespace acting as
 *   the host (objects without an explicit namespace go there);
 * - `{ ssh: { host, privateKey, hostKey } }`: another machine reached over
 *   SSH (with `netns`: a namespace there acting as the host).
 */
export interface HostSpec {
    readonly netns?: string;
    readonly ssh?: SshSpec;
}

export { UNKNOWN, isUnknown } from "./unknown";

/** Validates a host spec, reporting failures under `property`. */
export function checkHost(raw: unknown, property: string, failures: Failures): HostSpec {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== "object" || Array.isArray(raw)) {
        failures.add(property, `${show(raw)} is not a host; use {} for this machine or { netns: "name" }`);
        return {};
    }
    const { netns, ssh, ...rest } = raw as Record<string, unknown>;
    for (const key of Object.keys(rest)) {
        failures.add(`${property}.${key}`, `unknown host property ${show(key)}; a host takes "netns" and "ssh"`);
    }
    const spec: { netns?: string; ssh?: SshSpec } = {};
    if (ssh !== undefined && ssh !== null) spec.ssh = checkSsh(ssh, `${property}.ssh`, failures);
    if (netns === undefined || isUnknown(netns)) return spec;
    failures.check(`${property}.netns`, namespaceNameError(netns));
    return { ...spec, netns: netns as string };
}

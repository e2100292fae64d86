import { isKind } from "../host/errors";
import { targetFor } from "../host/target";
import { AddressSpec } from "../model/specs";
import { readLink } from "./links";
import { OwnershipError } from "./ownership";

function describe(spec: AddressSpec): string {
    return `address ${spec.address} on ${JSON.stringify(spec.interface)}${spec.namespace ? ` in namespace ${spec.namespace}` : ""}`;
}

/**
 * Adds the address. An address already present is an error unless `adopt`
 * is set (addresses carry no ownership tag, so one found there is not ours).
 * Equivalent to: `ip [-n NS] addr add ADDRESS dev IF`.
 */
export async function createAddress(spec: AddressSpec): Promise<void> {
    try {
        await targetFor(spec.host, spec.namespace).ip(["addr", "add", spec.address, "dev", spec.interface]);
    } catch (error) {
        if (!isKind(error, "Exists")) throw error;
        if (!spec.adopt) {
            throw new OwnershipError(`${describe(spec)} is already present and not managed by this stack; remove it or set adopt: true to take it over`);
        }
    }
}

/** The spec when the address is present, undefined when it (or its interface) is gone. */
export async function readAddress(spec: AddressSpec): Promise<AddressSpec | undefined> {
    const live = await readLink(targetFor(spec.host, spec.namespace), spec.interface);
    return live?.addresses.includes(spec.address) ? spec : undefined;
}

/**
 * Removes the address; already gone (or interface/namespace gone) is success.
 * Equivalent to: `ip [-n NS] addr del ADDRESS dev IF`.
 */
export async function deleteAddress(spec: AddressSpec): Promise<void> {
    try {
        await targetFor(spec.host, spec.namespace).ip(["addr", "del", spec.address, "dev", spec.interface]);
    } catch (error) {
        if (!isKind(error, "NotFound")) throw error;
    }
}

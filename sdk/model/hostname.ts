import { show } from "./failures";

/** A DNS label: letters, digits and '-', 1-63 characters, not starting or ending with '-'. */
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Returns why `name` cannot be a single DNS label (member names become host names), or undefined. */
export function hostnameErrorOf(name: unknown, what: string): string | undefined {
    return typeof name === "string" && LABEL.test(name)
        ? undefined
        : `${what} ${show(name)} is not a valid host name; use letters, digits and '-' (at most 63)`;
}

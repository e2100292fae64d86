import { createHash } from "crypto";
import { show } from "./failures";

/** Linux IFNAMSIZ - 1: the longest interface name the kernel accepts, in bytes. */
export const MAX_INTERFACE_NAME_BYTES = 15;

/** The longest network namespace name netplumb accepts (a file name under /run/netns). */
export const MAX_NAMESPACE_NAME_BYTES = 64;

/**
 * Characters allowed in interface and namespace names. The kernel allows more,
 * but anything outside this set (slashes, whitespace, colons, quotes, shell
 * metacharacters) is a foot-gun in scripts and over SSH.
 */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function safeNameError(kind: string, name: unknown, maxBytes: number, example: string): string | undefined {
    if (typeof name !== "string" || name.length === 0) {
        return `${kind} must be a non-empty string, got ${show(name)}; use a name such as ${show(example)}`;
    }
    const bytes = Buffer.byteLength(name, "utf8");
    if (bytes > maxBytes) {
        return `${kind} ${show(name)} is ${bytes} bytes; the limit is ${maxBytes}: use a shorter name`;
    }
    if (!SAFE_NAME.test(name) || name === "." || name === "..") {
        return (
            `${kind} ${show(name)} contains characters that are not allowed; ` + `use letters, digits, '_', '.' and '-' only, starting with a letter or digit`
        );
    }
    return undefined;
}

/** Returns why `name` is not a valid interface name, or undefined when it is. */
export function interfaceNameError(name: unknown): string | undefined {
    return safeNameError("interface name", name, MAX_INTERFACE_NAME_BYTES, "veth-red");
}

/** Returns why `name` is not a valid network namespace name, or undefined when it is. */
export function namespaceNameError(name: unknown): string | undefined {
    return safeNameError("namespace name", name, MAX_NAMESPACE_NAME_BYTES, "lab-red");
}

/**
 * A kernel interface name for a longer natural name: the name itself when it
 * fits in 15 bytes, otherwise a prefix plus a 6-hex-digit hash of the whole
 * name, so distinct long names stay distinct and stable.
 */
export function boundedInterfaceName(natural: string): string {
    if (Buffer.byteLength(natural, "utf8") <= MAX_INTERFACE_NAME_BYTES) {
        return natural;
    }
    const hash = createHash("sha256").update(natural).digest("hex").slice(0, 6);
    return `${natural.slice(0, MAX_INTERFACE_NAME_BYTES - 7)}-${hash}`;
}

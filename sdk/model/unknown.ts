/** The sentinel the Pulumi engine uses for values not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a value is not known yet (preview of a value computed by another resource). */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

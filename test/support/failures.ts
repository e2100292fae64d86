import { Failure } from "../../sdk/model/failures";

/** Every failure's reason by property (several for one property joined with " | "), for assertions. */
export function reasonsByProperty(failures: readonly Failure[]): Record<string, string> {
    const by: Record<string, string> = {};
    for (const f of failures) by[f.property] = by[f.property] ? `${by[f.property]} | ${f.reason}` : f.reason;
    return by;
}

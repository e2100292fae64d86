/**
 * A validation failure: the property it concerns and a sentence naming the
 * bad value and the fix. `check` returns these to the engine, which prints
 * them at preview time.
 */
export interface Failure {
    readonly property: string;
    readonly reason: string;
}

/** Collects failures while a validator walks the inputs. */
export class Failures {
    private readonly list: Failure[] = [];

    /** Records a failure for `property` with a reason that names value and fix. */
    add(property: string, reason: string): void {
        this.list.push({ property, reason });
    }

    /** Runs `check` and records its message, if any, against `property`. */
    check(property: string, message: string | undefined): void {
        if (message !== undefined) {
            this.add(property, message);
        }
    }

    get all(): readonly Failure[] {
        return this.list;
    }

    get ok(): boolean {
        return this.list.length === 0;
    }
}

/** Quotes a user value for an error message, showing control characters. */
export function show(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}

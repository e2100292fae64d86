import { Failures, show } from "./failures";
import { isUnknown } from "./host-spec";

/**
 * Small typed readers for raw resource inputs. Each records a failure naming
 * the property when the value has the wrong type, and returns a usable value
 * so validation can go on and report every problem at once.
 */
export class InputReader {
    constructor(
        private readonly raw: Record<string, unknown>,
        private readonly prefix: string,
        readonly failures: Failures,
    ) {}

    path(key: string): string {
        return this.prefix ? `${this.prefix}.${key}` : key;
    }

    has(key: string): boolean {
        return this.raw[key] !== undefined && this.raw[key] !== null;
    }

    /** A value that may still be unknown during preview. */
    known(key: string): boolean {
        return this.has(key) && !isUnknown(this.raw[key]);
    }

    value(key: string): unknown {
        return this.raw[key];
    }

    /** A required or optional string, validated by `error` when known. */
    string(key: string, error?: (v: unknown) => string | undefined, required = true): string | undefined {
        if (!this.has(key)) {
            if (required) this.failures.add(this.path(key), `${key} is required`);
            return undefined;
        }
        const v = this.raw[key];
        if (isUnknown(v)) return v as string;
        if (typeof v !== "string") {
            this.failures.add(this.path(key), `${key} must be a string, got ${show(v)}`);
            return undefined;
        }
        if (error) this.failures.check(this.path(key), error(v));
        return v;
    }

    optionalString(key: string, error?: (v: unknown) => string | undefined): string | undefined {
        return this.string(key, error, false);
    }

    /** An optional number, validated by `error` when known. */
    number(key: string, error: (v: unknown) => string | undefined): number | undefined {
        if (!this.known(key)) return undefined;
        const v = this.raw[key];
        this.failures.check(this.path(key), error(v));
        return typeof v === "number" ? v : undefined;
    }

    boolean(key: string, fallback: boolean): boolean {
        if (!this.known(key)) return fallback;
        const v = this.raw[key];
        if (typeof v !== "boolean") {
            this.failures.add(this.path(key), `${key} must be true or false, got ${show(v)}`);
            return fallback;
        }
        return v;
    }

    /** An optional list of strings, each validated by `error`. */
    strings(key: string, error: (v: unknown) => string | undefined): string[] {
        if (!this.known(key)) return [];
        const v = this.raw[key];
        if (!Array.isArray(v)) {
            this.failures.add(this.path(key), `${key} must be a list, got ${show(v)}`);
            return [];
        }
        v.forEach((item, i) => {
            if (!isUnknown(item)) this.failures.check(`${this.path(key)}[${i}]`, error(item));
        });
        return v as string[];
    }

    /** A nested object, read with its own reader. */
    object(key: string): InputReader {
        const v = this.raw[key];
        if (isUnknown(v)) return new InputReader({}, this.path(key), new Failures());
        if (v === undefined || v === null || typeof v !== "object" || Array.isArray(v)) {
            this.failures.add(this.path(key), `${key} must be an object, got ${show(v)}`);
            return new InputReader({}, this.path(key), new Failures());
        }
        return new InputReader(v as Record<string, unknown>, this.path(key), this.failures);
    }
}

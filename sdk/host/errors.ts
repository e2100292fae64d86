/** The result of one command. */
export interface CommandResult {
    readonly stdout: string;
    readonly stderr: string;
    readonly code: number;
}

/** Kinds of failure that callers branch on. */
export type FailureKind = "NotFound" | "Exists" | "Busy" | "PermissionDenied" | "Failed";

/** A command that failed, classified once at the executor boundary. */
export class CommandError extends Error {
    constructor(
        readonly kind: FailureKind,
        readonly argv: readonly string[],
        readonly result: CommandResult,
    ) {
        super(`${argv.join(" ")} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
        this.name = `CommandError(${kind})`;
    }
}

/** Ordered: the first pattern that matches stderr decides the kind. */
const PATTERNS: ReadonlyArray<[RegExp, FailureKind]> = [
    [/Operation not permitted|Permission denied|must be root/i, "PermissionDenied"],
    [/File exists|already exists|already assigned/i, "Exists"],
    [/Device or resource busy|Resource busy/i, "Busy"],
    [
        /Cannot find device|No such device|does not exist|No such file or directory|No such process|Cannot assign requested address|Cannot open network namespace|not found/i,
        "NotFound",
    ],
];

/** Maps a failed command's stderr to a failure kind. */
export function classify(stderr: string): FailureKind {
    for (const [pattern, kind] of PATTERNS) {
        if (pattern.test(stderr)) return kind;
    }
    return "Failed";
}

/** True when `e` is a CommandError of the given kind. */
export function isKind(e: unknown, kind: FailureKind): e is CommandError {
    return e instanceof CommandError && e.kind === kind;
}

import { CommandResult } from "./errors";

/** Options for one command. */
export interface RunOptions {
    /** Written to the command's standard input (for `ip -batch -` and `nft -f -`). */
    readonly input?: string;
}

/**
 * The executor boundary: runs an argv array on a machine. Never a shell
 * string. Implementations: LocalHost (child processes), RecordingHost (tests),
 * and, later, an SSH host that quotes every argument on its own.
 */
export interface Host {
    /** Runs argv and resolves with its result whatever the exit code. */
    exec(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;

    /** Starts a long-lived program in the background, detached, and resolves with its process id. */
    start(argv: readonly string[]): Promise<number>;
}

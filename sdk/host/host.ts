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
    /**
     * Which machine this is, for work that must be ordered per machine
     * (nftables tables): undefined for this one, `host:port` over SSH.
     */
    readonly machine?: string;

    /** Runs argv and resolves with its result whatever the exit code. */
    exec(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;

    /** Starts a long-lived program in the background, detached, and resolves with its process id. */
    start(argv: readonly string[]): Promise<number>;

    /**
     * The host's files, reached without a process per operation (the local
     * machine's own file system). Absent: files are handled with commands
     * (`cat`, `tee`, `mkdir`, ...) through `exec`, as over SSH.
     */
    readonly files?: FileAccess;
}

/** File operations on a host's own file system; errors are Node's (`code` EEXIST, ENOENT, ...). */
export interface FileAccess {
    /** The file's text, or undefined when it does not exist. */
    read(path: string): Promise<string | undefined>;
    /**
     * Replaces the file whole, atomically (a temporary file beside it,
     * flushed to disk, then renamed over it), with `mode`; refuses when the
     * file or its directory is a symbolic link. Its directory must exist.
     */
    write(path: string, content: string, mode: number): Promise<void>;
    /** Renames `from` to `to` atomically; false (and nothing changed) when `to` is a directory that is not empty or a file already. */
    rename(from: string, to: string): Promise<boolean>;
    /** Makes a directory; with `parents`, its parents too and an existing one is fine. Returns false when it existed (without `parents`). */
    makeDirectory(path: string, parents: boolean): Promise<boolean>;
    /** Removes a file and any temporary file a cut-off write of it left; gone is success. */
    remove(path: string): Promise<void>;
    /** Removes a directory when it is empty; a directory that is not empty or gone is left as it is. */
    removeEmptyDirectory(path: string): Promise<void>;
    /** True when the directory exists. */
    isDirectory(path: string): Promise<boolean>;
    /** The names in a directory. */
    list(path: string): Promise<string[]>;
}

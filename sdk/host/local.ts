import { spawn } from "child_process";
import { CommandResult } from "./errors";
import { FileAccess, Host, RunOptions } from "./host";
import { LocalFiles } from "./local-files";

/**
 * The environment of every command: this process's, with `LC_ALL=C`, so
 * messages are the untranslated ones that failure classification
 * (host/errors.ts) matches, whatever the user's locale.
 */
export function commandEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return { ...base, LC_ALL: "C" };
}

let processEnv: NodeJS.ProcessEnv | undefined;

/**
 * `commandEnv()` of this process, computed once: copying `process.env` cost
 * about 1 ms per command on the benchmark's machine (0.6 s of a 100-member
 * refresh), and netplumb never changes its own environment.
 */
function childEnv(): NodeJS.ProcessEnv {
    return (processEnv ??= commandEnv());
}

/** Runs commands as child processes of this Node process, without a shell, in the C locale. */
export class LocalHost implements Host {
    readonly files: FileAccess = new LocalFiles();

    exec(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
        return new Promise((resolve, reject) => {
            const stdin = options.input === undefined ? "ignore" : "pipe";
            const child = spawn(argv[0], argv.slice(1), { shell: false, env: childEnv(), stdio: [stdin, "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
            child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
            child.on("error", reject);
            child.on("close", (code) => resolve({ stdout, stderr, code: code ?? -1 }));
            if (child.stdin) {
                // A command that exits before reading its input reports its own error; ignore the broken pipe.
                child.stdin.on("error", () => undefined);
                child.stdin.end(options.input);
            }
        });
    }

    start(argv: readonly string[]): Promise<number> {
        return new Promise((resolve, reject) => {
            const child = spawn(argv[0], argv.slice(1), { shell: false, env: childEnv(), detached: true, stdio: "ignore" });
            child.once("error", reject);
            child.once("spawn", () => {
                child.unref();
                resolve(child.pid!);
            });
        });
    }
}

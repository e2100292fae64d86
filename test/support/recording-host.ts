import { CommandResult } from "../../sdk/host/errors";
import { Host, RunOptions } from "../../sdk/host/host";
import { useHostFactory } from "../../sdk/host/target";

/** One command the code under test ran. */
export interface Call {
    readonly argv: readonly string[];
    readonly input?: string;
}

/**
 * Unless a responder says otherwise, a recorded host has no symbolic links
 * and no paths for `test -L` / `test -e` (so atomic writes and renames
 * proceed as on a clean machine); every other command succeeds.
 */
function noSuchPath(call: Call): Partial<CommandResult> | undefined {
    const at = call.argv.indexOf("test");
    return at >= 0 && ["-L", "-e"].includes(call.argv[at + 1]) ? { code: 1 } : undefined;
}

/** Decides the result of a command; undefined means success with empty output (see noSuchPath). */
export type Responder = (call: Call) => Partial<CommandResult> | undefined;

/**
 * A Host that records every argv (and stdin) and answers from a responder.
 * The side-effect seam for unit tests: nothing runs.
 */
export class RecordingHost implements Host {
    readonly calls: Call[] = [];

    constructor(private readonly respond: Responder = () => undefined) {}

    async exec(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
        const call = { argv: [...argv], input: options.input };
        this.calls.push(call);
        return { stdout: "", stderr: "", code: 0, ...(this.respond(call) ?? noSuchPath(call)) };
    }

    async start(argv: readonly string[]): Promise<number> {
        this.calls.push({ argv: [...argv] });
        return 4242;
    }

    /** Each call as one line: argv joined, then the stdin lines indented. */
    lines(): string[] {
        return this.calls.flatMap((c) => [
            c.argv.join(" "),
            ...(c.input
                ? c.input
                      .trimEnd()
                      .split("\n")
                      .map((l) => `  ${l}`)
                : []),
        ]);
    }
}

/** Routes every kernel operation to `host` until the returned restore function is called. */
export function installHost(host: Host): () => void {
    return useHostFactory(() => host);
}

/**
 * For a mocha suite: a fresh RecordingHost installed before each test and
 * removed after it. Returns a getter for the current one.
 */
export function recordEachTest(): () => RecordingHost {
    let host = new RecordingHost();
    let restore: () => void = () => undefined;
    beforeEach(() => {
        host = new RecordingHost();
        restore = installHost(host);
    });
    afterEach(() => restore());
    return () => host;
}

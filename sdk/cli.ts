#!/usr/bin/env node
/**
 * netplumb's command line (`netplumb --help`): `check` probes a lab against
 * its declared policy, `doctor` diagnoses what is wrong with it, `diagram`
 * draws it. Exit codes: 0 all well, 1 a check differs from the policy or
 * doctor found a problem, 2 a usage or environment error.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { defaultContext, runCli } from "./cli/program";

function packageVersion(): string {
    return (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

/**
 * Exits with `code` once everything written to stdout and stderr has gone
 * out: `process.exit` right after a large write to a pipe cuts the output
 * short (a 100-member check's JSON was). A write's callback runs after the
 * writes before it, so exit waits for an empty write on each stream.
 */
export function exitAfterFlush(code: number): void {
    let pending = 2;
    const done = () => --pending === 0 && process.exit(code);
    process.stdout.write("", done);
    process.stderr.write("", done);
}

if (require.main === module) {
    runCli(process.argv.slice(2), defaultContext(packageVersion())).then(exitAfterFlush, (error: Error) => {
        process.stderr.write(`netplumb: ${error.message}\n`);
        exitAfterFlush(2);
    });
}

export { loadTopology } from "./cli/topology-source";

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

if (require.main === module) {
    runCli(process.argv.slice(2), defaultContext(packageVersion())).then(
        (code) => process.exit(code),
        (error: Error) => {
            process.stderr.write(`netplumb: ${error.message}\n`);
            process.exit(2);
        },
    );
}

export { loadTopology } from "./cli/topology-source";

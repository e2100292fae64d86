#!/usr/bin/env node
/**
 * netplumb's command line, for a stack that exports a LabNetwork topology:
 *   netplumb check   [--stack S] [--cwd DIR] [--topology FILE]   test every pair and policy, print the matrix
 *   netplumb diagram [--stack S] [--cwd DIR] [--topology FILE] [--out DIR]   write topology.svg and topology.mmd
 * The topology is read with `pulumi stack output topology --json` unless --topology names a file.
 */
import { execFileSync } from "child_process";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import type { LabTopology } from "./components/topology";
import { checkLab, formatMatrix, matrixPasses } from "./tools/check";
import { toMermaid, toSvg } from "./tools/diagram";

function option(args: string[], name: string): string | undefined {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
}

/** Reads the topology from a file or from the stack's outputs. */
export function loadTopology(args: string[]): LabTopology {
    const file = option(args, "topology");
    if (file) return JSON.parse(readFileSync(file, "utf8")) as LabTopology;
    const stack = option(args, "stack");
    const argv = ["stack", "output", "topology", "--json", ...(stack ? ["--stack", stack] : [])];
    return JSON.parse(execFileSync("pulumi", argv, { cwd: option(args, "cwd") ?? process.cwd(), encoding: "utf8" })) as LabTopology;
}

async function main(args: string[]): Promise<number> {
    const command = args[0];
    if (command === "check") {
        const cells = await checkLab(loadTopology(args));
        console.log(formatMatrix(cells));
        return matrixPasses(cells) ? 0 : 1;
    }
    if (command === "diagram") {
        const topology = loadTopology(args);
        const out = option(args, "out") ?? ".";
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, "topology.svg"), toSvg(topology));
        writeFileSync(join(out, "topology.mmd"), toMermaid(topology));
        console.log(`wrote ${join(out, "topology.svg")} and ${join(out, "topology.mmd")}`);
        return 0;
    }
    console.error("usage: netplumb check|diagram [--stack S] [--cwd DIR] [--topology FILE] [--out DIR]");
    return 2;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: Error) => {
            console.error(`netplumb: ${error.message}`);
            process.exit(2);
        },
    );
}

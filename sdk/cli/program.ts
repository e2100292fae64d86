import { Command, CommanderError, Option } from "commander";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import type { LabTopology } from "../components/topology";
import { checkLab, formatMatrix, matrixPasses } from "../tools/check";
import { toMermaid, toSvg } from "../tools/diagram";
import { PulumiRunner, TopologySource, UsageError, loadTopology, runPulumi } from "./topology-source";

/** Exit codes: 0 all well, 1 findings (a check that differs from the policy), 2 usage or environment error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** What the command line touches, so tests can run it without a machine or a stack. */
export interface CliContext {
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
    readonly pulumi: PulumiRunner;
    readonly isRoot: () => boolean;
    readonly check: (topology: LabTopology) => ReturnType<typeof checkLab>;
    readonly version: string;
}

export const defaultContext = (version: string): CliContext => ({
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    pulumi: runPulumi,
    isRoot: () => process.getuid?.() === 0,
    check: checkLab,
    version,
});

const sourceOptions = (command: Command) =>
    command
        .option("--stack <name>", "the stack whose `topology` output to read (default: the selected stack)")
        .option("--cwd <dir>", "the Pulumi project folder (default: the current folder)")
        .option("--topology <file>", "read the topology from this JSON file instead of a stack")
        .option("--json", "print the result as JSON");

async function runCheck(options: TopologySource & { json?: boolean }, context: CliContext): Promise<number> {
    const topology = loadTopology(options, context.pulumi);
    if (!context.isRoot())
        throw new UsageError("check probes from inside the lab's namespaces (`ip netns exec`), which needs root; run it as root (sudo netplumb check ...)");
    const cells = await context.check(topology);
    const passed = matrixPasses(cells);
    context.out(options.json ? `${JSON.stringify({ passed, cells }, null, 2)}\n` : `${formatMatrix(cells)}\n`);
    return passed ? EXIT.ok : EXIT.findings;
}

function runDiagram(options: TopologySource & { out: string; json?: boolean }, context: CliContext): number {
    const topology = loadTopology(options, context.pulumi);
    mkdirSync(options.out, { recursive: true });
    const files = { svg: join(options.out, "topology.svg"), mermaid: join(options.out, "topology.mmd") };
    writeFileSync(files.svg, toSvg(topology));
    writeFileSync(files.mermaid, toMermaid(topology));
    context.out(options.json ? `${JSON.stringify(files)}\n` : `wrote ${files.svg} and ${files.mermaid}\n`);
    return EXIT.ok;
}

/** The `netplumb` program: commands, options, help with defaults and examples. */
export function buildProgram(context: CliContext, exit: { code: number }): Command {
    const program = new Command("netplumb")
        .description("Linux container networking as code: check and draw the labs your Pulumi stacks declare.")
        .version(context.version, "-V, --version", "print netplumb's version")
        .showSuggestionAfterError(true)
        .configureOutput({ writeOut: context.out, writeErr: context.err })
        .exitOverride()
        .addHelpText("after", "\nExit codes: 0 all well, 1 a check differs from the declared policy, 2 a usage or environment error.");
    sourceOptions(program.command("check").description("probe every member pair and the internet, compare with the declared policy (needs root)"))
        .addHelpText("after", "\nExample:\n  sudo netplumb check --stack lab --cwd ./infra")
        .action(async (options: TopologySource & { json?: boolean }) => void (exit.code = await runCheck(options, context)));
    sourceOptions(program.command("diagram").description("write topology.svg and topology.mmd (Mermaid) for the lab"))
        .addOption(new Option("--out <dir>", "the folder to write into").default("."))
        .addHelpText("after", "\nExample:\n  netplumb diagram --stack lab --out docs")
        .action((options: TopologySource & { out: string; json?: boolean }) => void (exit.code = runDiagram(options, context)));
    return program;
}

/** Runs the command line; resolves with the exit code (0, 1 or 2), having printed what the user needs. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
    const exit = { code: EXIT.ok as number };
    const program = buildProgram(context, exit);
    if (argv.length === 0) {
        context.out(program.helpInformation());
        return EXIT.usage;
    }
    try {
        await program.parseAsync([...argv], { from: "user" });
        return exit.code;
    } catch (error) {
        if (error instanceof CommanderError)
            return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code) ? EXIT.ok : EXIT.usage;
        if (error instanceof UsageError) {
            context.err(`netplumb: ${error.message}\n`);
            return EXIT.usage;
        }
        throw error;
    }
}

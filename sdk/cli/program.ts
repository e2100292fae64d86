import { Command, CommanderError, Option } from "commander";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import type { LabTopology } from "../components/topology";
import { CheckOptions, checkLab, formatMatrix, matrixPasses } from "../tools/check";
import { toMermaid, toSvg } from "../tools/diagram";
import { toClusterMermaid, toClusterSvg } from "../tools/cluster-diagram";
import { uncheckedMembers } from "../tools/expectations";
import { DoctorOptions, DoctorReport, Flow, doctorLab, formatReport, ownersOfExport } from "../tools/doctor";
import { progressBar } from "./progress";
import { PulumiRunner, TopologySource, UsageError, explainPulumiFailure, isClusterTopology, loadTopology, runPulumi } from "./topology-source";

/** Exit codes: 0 all well, 1 findings (a check that differs from the policy, a problem doctor found), 2 usage or environment error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** What the command line touches, so tests can run it without a machine or a stack. */
export interface CliContext {
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
    readonly pulumi: PulumiRunner;
    readonly isRoot: () => boolean;
    readonly check: (topology: LabTopology, options: CheckOptions) => ReturnType<typeof checkLab>;
    readonly doctor: (topology: LabTopology, options: DoctorOptions) => Promise<DoctorReport>;
    /** True when standard error is a terminal (progress is shown only there). */
    readonly interactive: boolean;
    readonly now: () => number;
    readonly version: string;
}

/** The CLI's context on a real machine: stdout, stderr, the `pulumi` CLI, root detection and the clock. */
export const defaultContext = (version: string): CliContext => ({
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    pulumi: runPulumi,
    isRoot: () => process.getuid?.() === 0,
    check: checkLab,
    doctor: doctorLab,
    interactive: process.stderr.isTTY === true,
    now: () => Date.now(),
    version,
});

const sourceOptions = (command: Command) =>
    command
        .option("--stack <name>", "the stack whose `topology` output to read (default: the selected stack)")
        .option("--cwd <dir>", "the Pulumi project folder (default: the current folder)")
        .option("--topology <file>", "read the topology from this JSON file instead of a stack")
        .option("--json", "print the result as JSON");

type CheckFlags = TopologySource & { json?: boolean; only?: string; sample?: string; concurrency: string };

/** A whole number of at least 1 from an option, or a UsageError naming the option. */
function countOption(name: string, value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} ${JSON.stringify(value)} is not a whole number of at least 1`);
    return n;
}

async function runCheck(flags: CheckFlags, context: CliContext): Promise<number> {
    const topology = loadTopology(flags, context.pulumi);
    if (isClusterTopology(topology)) {
        throw new UsageError(
            "check probes a lab's members, and this is a cluster's topology; a cluster's NetworkPolicies are checked at preview (model.cluster.intentAllows) and `netplumb diagram` draws them",
        );
    }
    if (flags.only !== undefined && !topology.members.some((m) => m.name === flags.only)) {
        throw new UsageError(`--only ${JSON.stringify(flags.only)} is not a member of this lab; members: ${topology.members.map((m) => m.name).join(", ")}`);
    }
    const progress = context.interactive ? progressBar(context.err) : undefined;
    const options: CheckOptions = {
        only: flags.only,
        sample: countOption("sample", flags.sample),
        concurrency: countOption("concurrency", flags.concurrency),
        onProgress: progress?.update,
        onWarning: (message) => context.err(`netplumb: warning: ${message}\n`),
    };
    if (!context.isRoot())
        throw new UsageError("check probes from inside the lab's namespaces (`ip netns exec`), which needs root; run it as root (sudo netplumb check ...)");
    const started = context.now();
    let cells: Awaited<ReturnType<typeof checkLab>>;
    try {
        cells = await context.check(topology, options);
    } finally {
        progress?.stop();
    }
    const seconds = (context.now() - started) / 1000;
    const passed = matrixPasses(cells);
    const unchecked = uncheckedMembers(topology);
    const notProbed = unchecked.map((u) => `not probed: ${u.member} (${u.why})\n`).join("");
    context.out(
        flags.json
            ? `${JSON.stringify({ passed, seconds, cells, unchecked }, null, 2)}\n`
            : `${formatMatrix(cells)}\nchecked ${cells.length} cells in ${seconds.toFixed(1)} s\n${notProbed}`,
    );
    return passed ? EXIT.ok : EXIT.findings;
}

/** The owner tags of the stack's resources (`pulumi stack export`), for the leftovers check; undefined for a topology file. */
function stackOwners(flags: TopologySource, context: CliContext): DoctorOptions["stack"] {
    if (flags.topology) return undefined;
    const cwd = flags.cwd ?? process.cwd();
    const result = context.pulumi(["stack", "export", "--non-interactive", ...(flags.stack ? ["--stack", flags.stack] : [])], cwd);
    if (result.status !== 0) throw new UsageError(explainPulumiFailure(result.stderr, flags, cwd));
    return { owners: ownersOfExport(result.stdout) };
}

type DoctorFlags = TopologySource & { json?: boolean; from?: string; to?: string; port?: string };

/** The flow `--from A --to B [--port tcp/80]` asks about, checked against the lab's members. */
function flowOption(flags: DoctorFlags, topology: LabTopology): Flow | undefined {
    if (flags.from === undefined && flags.to === undefined) return undefined;
    if (flags.from === undefined || flags.to === undefined)
        throw new UsageError("--from and --to go together: name the member that cannot connect and the member it tries to reach");
    const names = topology.members.map((m) => m.name);
    for (const [option, value] of [
        ["from", flags.from],
        ["to", flags.to],
    ] as const) {
        if (!names.includes(value)) throw new UsageError(`--${option} ${JSON.stringify(value)} is not a member of this lab; members: ${names.join(", ")}`);
    }
    if (flags.port === undefined || flags.port === "icmp") return { from: flags.from, to: flags.to, protocol: "icmp" };
    const match = /^(tcp|udp)\/(\d{1,5})$/.exec(flags.port);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) throw new UsageError(`--port ${JSON.stringify(flags.port)} is not PROTOCOL/PORT; write tcp/80, udp/53 or icmp`);
    return { from: flags.from, to: flags.to, protocol: match[1] as "tcp" | "udp", port };
}

async function runDoctor(flags: DoctorFlags, context: CliContext): Promise<number> {
    const topology = loadTopology(flags, context.pulumi);
    if (isClusterTopology(topology)) throw new UsageError("doctor diagnoses a lab on this machine, and this is a cluster's topology");
    if (topology.hosts !== undefined) {
        throw new UsageError(
            `doctor reads labs on this machine, and ${topology.lab} spans hosts (${Object.keys(topology.hosts).join(", ")}); run \`netplumb check\` for it, or doctor on each host's own lab`,
        );
    }
    const flow = flowOption(flags, topology);
    const report = await context.doctor(topology, { root: context.isRoot(), stack: stackOwners(flags, context), flow });
    context.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return report.findings.length === 0 ? EXIT.ok : EXIT.findings;
}

function runDiagram(options: TopologySource & { out: string; json?: boolean }, context: CliContext): number {
    const topology = loadTopology(options, context.pulumi);
    mkdirSync(options.out, { recursive: true });
    const files = { svg: join(options.out, "topology.svg"), mermaid: join(options.out, "topology.mmd") };
    const cluster = isClusterTopology(topology);
    writeFileSync(files.svg, cluster ? toClusterSvg(topology) : toSvg(topology));
    writeFileSync(files.mermaid, cluster ? toClusterMermaid(topology) : toMermaid(topology));
    context.out(options.json ? `${JSON.stringify(files)}\n` : `wrote ${files.svg} and ${files.mermaid}\n`);
    return EXIT.ok;
}

/** The `netplumb` program: commands, options, help with defaults and examples. */
export function buildProgram(context: CliContext, exit: { code: number }): Command {
    const program = new Command("netplumb")
        .description("Linux container networking as code: check, diagnose and draw the labs your Pulumi stacks declare.")
        .version(context.version, "-V, --version", "print netplumb's version")
        .showSuggestionAfterError(true)
        .configureOutput({ writeOut: context.out, writeErr: context.err })
        .exitOverride()
        .addHelpText(
            "after",
            "\nExit codes: 0 all well, 1 a check differs from the declared policy or doctor found a problem, 2 a usage or environment error.",
        );
    sourceOptions(program.command("check").description("probe every member pair and the internet, compare with the declared policy (needs root)"))
        .option("--only <member>", "only the probes from this member")
        .option("--sample <n>", "at most n probes, drawn at random (a quick look at a large lab)")
        .addOption(new Option("--concurrency <n>", "members probing at the same time").default("8"))
        .addHelpText("after", "\nExamples:\n  sudo netplumb check --stack lab --cwd ./infra\n  sudo netplumb check --stack lab --only red --json")
        .action(async (flags: CheckFlags) => void (exit.code = await runCheck(flags, context)));
    sourceOptions(
        program
            .command("doctor")
            .description(
                "diagnose a lab: no internet, DNS failing, members that cannot talk, MTU, rp_filter, port forwards, leftovers; each finding with symptom, cause, evidence and fix (reads only; root for namespaces and nftables)",
            ),
    )
        .option("--from <member>", "with --to: explain why this member cannot connect to that one")
        .option("--to <member>", "the member --from tries to reach")
        .addOption(new Option("--port <protocol/port>", "the connection --from/--to asks about: tcp/80, udp/53 or icmp").default("icmp"))
        .addHelpText(
            "after",
            "\nExit code 1 when it finds anything. Without root it reads what it can and lists what it skipped.\n\nExamples:\n  sudo netplumb doctor --stack lab --cwd ./infra\n  sudo netplumb doctor --stack lab --from red --to green --port tcp/80\n  netplumb doctor --topology topology.json --json",
        )
        .action(async (flags: DoctorFlags) => void (exit.code = await runDoctor(flags, context)));
    sourceOptions(program.command("diagram").description("write topology.svg and topology.mmd (Mermaid) for the lab or cluster"))
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

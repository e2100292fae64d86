import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import type { LabTopology } from "../components/topology";
import type { ClusterTopology } from "../model/cluster/topology";

/** A `topology` output: a lab's (LabNetwork) or a cluster's (ClusterNetwork, `kind: "cluster"`). */
export type AnyTopology = LabTopology | ClusterTopology;

/** True for a ClusterNetwork's topology. */
export function isClusterTopology(t: AnyTopology): t is ClusterTopology {
    return (t as { kind?: string }).kind === "cluster";
}

/** A problem the user can fix; the message names the fix. Exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Where the topology comes from: a file, or a stack's `topology` output. */
export interface TopologySource {
    readonly topology?: string;
    readonly stack?: string;
    readonly cwd?: string;
}

/** Runs `pulumi ARGS` (argv, no shell): the seam tests replace. */
export type PulumiRunner = (argv: readonly string[], cwd: string) => { status: number | null; stdout: string; stderr: string; missing: boolean };

/** Runs the real `pulumi` CLI (argv, no shell), reporting a missing binary instead of throwing. */
export const runPulumi: PulumiRunner = (argv, cwd) => {
    const result = spawnSync("pulumi", [...argv], { cwd, encoding: "utf8" });
    const missing = result.error !== undefined && "code" in result.error && result.error.code === "ENOENT";
    return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", missing };
};

/** Turns what `pulumi stack output` said into one line naming the fix. */
export function explainPulumiFailure(stderr: string, source: TopologySource, cwd: string): string {
    const stack = source.stack ? `stack ${source.stack}` : "the selected stack";
    if (/no stack (is )?selected|no current stack/i.test(stderr))
        return `no stack is selected in ${cwd}; pass --stack NAME or run \`pulumi stack select NAME\` there`;
    if (/does not have output property|no output named|output property .*topology/i.test(stderr)) {
        return `${stack} has no \`topology\` output; export it from the program (\`export const topology = lab.topology;\`) and run \`pulumi up\``;
    }
    if (/no Pulumi project|could not find|Pulumi\.yaml/i.test(stderr))
        return `${cwd} is not a Pulumi project; pass --cwd DIR (the folder with Pulumi.yaml) or --topology FILE`;
    if (/stack .* not found|no stack named/i.test(stderr)) return `${stack} does not exist in ${cwd}; list stacks with \`pulumi stack ls\``;
    return `\`pulumi stack output topology\` failed in ${cwd}: ${stderr.trim().split("\n").pop() ?? "no message"}`;
}

/** Reads the topology from a file or from the stack's outputs; a UsageError names the fix when it cannot. */
export function loadTopology(source: TopologySource, pulumi: PulumiRunner = runPulumi): AnyTopology {
    if (source.topology) {
        try {
            return JSON.parse(readFileSync(source.topology, "utf8")) as AnyTopology;
        } catch (error) {
            throw new UsageError(
                `cannot read the topology file ${source.topology}: ${(error as Error).message}; pass a file written from \`pulumi stack output topology --json\``,
            );
        }
    }
    const cwd = source.cwd ?? process.cwd();
    // A multi-host lab's topology holds its hosts' SSH credentials (a secret output): check needs them to probe there.
    const argv = ["stack", "output", "topology", "--json", "--show-secrets", "--non-interactive", ...(source.stack ? ["--stack", source.stack] : [])];
    const result = pulumi(argv, cwd);
    if (result.missing) throw new UsageError("the `pulumi` CLI is not on PATH; install it (or put it on PATH), or pass --topology FILE");
    if (result.status !== 0) throw new UsageError(explainPulumiFailure(result.stderr, source, cwd));
    return JSON.parse(result.stdout) as AnyTopology;
}

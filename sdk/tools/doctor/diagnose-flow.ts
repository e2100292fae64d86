import { describePolicy } from "../diagram-layout";
import { egressAllows } from "../expectations";
import { Finding } from "./report";
import { DoctorContext, evidence } from "./context";
import { rulesetChains } from "./readings";

/** A connection the user asks about: `--from red --to green --port tcp/80` (default: ping). */
export interface Flow {
    readonly from: string;
    readonly to: string;
    readonly protocol: "tcp" | "udp" | "icmp";
    /** Absent for ICMP. */
    readonly port?: number;
}

/** The flow as the user would say it: "ping" or "tcp/80". */
export function flowLabel(flow: Flow): string {
    return flow.protocol === "icmp" ? "ping" : `${flow.protocol}/${flow.port}`;
}

/**
 * Why one member cannot start a connection to another: between members on
 * the bridge only the target's ingress policy decides (their egress policies
 * govern traffic leaving the lab). A denial the stack declares is reported
 * with the rule that enforces it, so the user sees it is by design.
 */
export function diagnoseFlow(ctx: DoctorContext, flow: Flow): Finding[] {
    const target = ctx.topology.members.find((m) => m.name === flow.to);
    if (target === undefined || egressAllows(target.ingress ?? "allow", flow.protocol, flow.port)) return [];
    const declared = describePolicy(target.ingress);
    const ruleset = ctx.host.ruleset;
    const drop =
        ruleset && ruleset.code === 0
            ? rulesetChains(ruleset.stdout).flatMap((c) =>
                  c.rules.filter((r) => r.includes(`daddr ${target.address} drop`)).map((r) => `${c.family} ${c.table} ${c.chain}: ${r}`),
              )[0]
            : undefined;
    const rule = flow.protocol === "icmp" ? `{ protocol: "icmp" }` : `{ protocol: "${flow.protocol}", ports: [${flow.port}] }`;
    return [
        {
            id: "ingress-policy",
            member: target.name,
            symptom: `${flow.from} cannot start ${flowLabel(flow)} to ${target.name}`,
            cause: `${target.name}'s ingress policy (${declared}) drops new connections from other members that it does not list: this is what the stack declares`,
            evidence: [
                { command: "the stack's `topology` output", showed: `members.${target.name}.ingress: ${declared}` },
                ...(ruleset && drop ? [evidence(ruleset, drop.replace(/ comment "[^"]*"/, ""))] : []),
            ],
            fix: `if ${flow.from} should reach it, add ${rule} to members.${target.name}.ingress and run \`pulumi up\`; if the isolation is intended, nothing is wrong`,
        },
    ];
}

import type { TopologyMember } from "../../components/topology";
import { ruleComment } from "../../model/firewall";
import { describePolicy } from "../diagram-layout";
import { egressAllows } from "../expectations";
import { Finding } from "./report";
import { DoctorContext, RECONCILE, evidence, hasFinding } from "./context";
import { listeningPorts, nameserversOf, rulesetChains } from "./readings";

/** Findings that already explain why a member's traffic to the internet fails. */
const PATH_FAULTS: Finding["id"][] = [
    "ip-forward-off",
    "uplink-down",
    "no-host-default-route",
    "no-masquerade",
    "forward-drop-policy",
    "no-member-default-route",
    "on-another-bridge",
    "bridge-port-down",
    "duplicate-address",
    "arp-failure",
    "neighbour-table-full",
    "rp-filter-drop",
];

const noDns = (m: TopologyMember) => `${m.name} cannot resolve names`;

/** One member's DNS: its resolv.conf, its own policy, and whether its servers answer. */
function memberDns(ctx: DoctorContext, m: TopologyMember, earlier: readonly Finding[]): Finding[] {
    const { resolv, dns } = ctx.memberReadings(m.name);
    if (m.nameservers.length === 0 || m.egress === "deny") return [];
    if (resolv !== undefined && resolv.code === 1) {
        return [
            {
                id: "resolv-missing",
                member: m.name,
                symptom: noDns(m),
                cause: `${m.name} has no resolv.conf of its own, so it uses the host's (${m.namespace}'s is missing)`,
                evidence: [evidence(resolv, resolv.stderr.trim() || "no such file")],
                fix: `${RECONCILE}; by hand: write \`nameserver ${m.nameservers[0]}\` into /etc/netns/${m.namespace}/resolv.conf`,
            },
        ];
    }
    if (!egressAllows(m.egress, "udp", 53)) {
        return [
            {
                id: "dns-blocked-by-policy",
                member: m.name,
                symptom: noDns(m),
                cause: `${m.name}'s own egress policy lets out only ${describePolicy(m.egress)}: DNS (udp/53) to ${m.nameservers.join(", ")} is dropped`,
                evidence: [{ command: "the stack's `topology` output", showed: `members.${m.name}.egress: ${describePolicy(m.egress)}` }],
                fix: `add \`{ protocol: "udp", ports: [53] }\` (and tcp/53 for large answers) to members.${m.name}.egress and run \`pulumi up\``,
            },
        ];
    }
    if (hasFinding(earlier, PATH_FAULTS, m.name) || resolv === undefined || resolv.code !== 0) return [];
    const inResolv = nameserversOf(resolv.stdout);
    return (dns ?? [])
        .filter((d) => d.reading.stdout.trim() !== "[true]")
        .map((d): Finding => {
            const declared = m.nameservers.includes(d.server);
            return {
                id: declared ? "dns-not-answering" : "dns-server-unreachable",
                member: m.name,
                symptom: noDns(m),
                cause: declared
                    ? `the nameserver ${d.server} does not answer ${m.name}'s queries, though its route and policy let them out`
                    : `${m.name}'s resolv.conf names ${d.server}, which does not answer; the lab declares ${m.nameservers.join(", ")}`,
                evidence: [evidence(resolv, `nameserver ${inResolv.join(", nameserver ")}`), evidence(d.reading, "no answer within 2 s")],
                fix: declared
                    ? `check the server: is it running, listening on ${d.server}:53, and answering queries from the lab's NAT address?`
                    : `${RECONCILE} (the lab rewrites resolv.conf with its declared nameservers)`,
            };
        });
}

/** DNS for every member on the bridge that declares nameservers and may send traffic out. */
export function diagnoseDns(ctx: DoctorContext, earlier: readonly Finding[]): Finding[] {
    return ctx.bridged.flatMap((m) => memberDns(ctx, m, earlier));
}

/** A member's port forwards: a DNAT rule for each, and something listening behind it. */
function memberForwards(ctx: DoctorContext, m: TopologyMember): Finding[] {
    const ruleset = ctx.host.ruleset;
    const { listeners } = ctx.memberReadings(m.name);
    const dnatRules =
        ruleset && ruleset.code === 0
            ? rulesetChains(ruleset.stdout)
                  .filter((c) => c.hook === "prerouting")
                  .flatMap((c) => c.rules)
            : undefined;
    const listening = listeners && listeners.code === 0 ? listeningPorts(listeners) : undefined;
    const findings: Finding[] = [];
    for (const f of m.portForwards) {
        const protocol = f.protocol ?? "tcp";
        const forward = `${protocol} ${f.hostPort} → ${m.name} ${m.address}:${f.port}`;
        const symptom = `connections to the host's ${protocol} port ${f.hostPort} fail`;
        if (dnatRules && !dnatRules.some((r) => r.includes(`${protocol} dport ${f.hostPort} `) && r.includes(`to ${m.address}:${f.port}`))) {
            findings.push({
                id: "forward-no-dnat",
                member: m.name,
                symptom,
                cause: `the port forward ${forward} has no DNAT rule on the host`,
                evidence: [evidence(ruleset!, `no prerouting rule \`${protocol} dport ${f.hostPort} dnat ip to ${m.address}:${f.port}\``)],
                fix: RECONCILE,
            });
        } else if (listening && !listening.has(`${protocol}/${f.port}`)) {
            findings.push({
                id: "forward-no-listener",
                member: m.name,
                symptom,
                cause: `nothing in ${m.name} listens on ${protocol} port ${f.port}, where the forward ${forward} leads`,
                evidence: [evidence(listeners!, `no ${protocol} socket listening on port ${f.port}`)],
                fix: `start the service in ${m.name} on port ${f.port} (on 0.0.0.0 or ${m.address}), or point the forward at the port it uses`,
            });
        }
    }
    return findings;
}

/** Port forwards of every member on the bridge. */
export function diagnoseForwards(ctx: DoctorContext): Finding[] {
    return ctx.bridged.flatMap((m) => memberForwards(ctx, m));
}

/** True when a forward-hook rule drops traffic `saddr`/`daddr` the address (how netplumb ends a member's policy: see nft-script.ts). */
function dropsFor(rules: readonly string[], direction: "saddr" | "daddr", address: string): boolean {
    return rules.some((r) => r.includes(`${direction} ${address} drop`));
}

/**
 * A member's declared policy has no rule enforcing it on the host: every
 * egress or ingress policy other than "allow" ends in a drop for the
 * member's address in a forward chain, so its absence means traffic the
 * stack forbids gets through.
 */
export function diagnosePolicies(ctx: DoctorContext): Finding[] {
    const ruleset = ctx.host.ruleset;
    if (ruleset === undefined || ruleset.code !== 0) return [];
    const forward = rulesetChains(ruleset.stdout)
        .filter((c) => c.hook === "forward")
        .flatMap((c) => c.rules);
    return ctx.bridged.flatMap((m): Finding[] => {
        const missing = [
            ...(m.egress !== "allow" && !dropsFor(forward, "saddr", m.address) ? [`egress (${describePolicy(m.egress)})`] : []),
            ...(m.ingress !== undefined && m.ingress !== "allow" && !dropsFor(forward, "daddr", m.address) ? ["ingress"] : []),
        ];
        if (missing.length === 0) return [];
        return [
            {
                id: "policy-not-enforced",
                member: m.name,
                symptom: `${m.name} reaches, or is reached by, what its policy forbids`,
                cause: `${m.name}'s ${missing.join(" and ")} policy has no rule on the host: no forward rule drops traffic ${missing[0].startsWith("egress") ? "from" : "to"} ${m.address}`,
                evidence: [evidence(ruleset, `no forward rule \`${missing[0].startsWith("egress") ? "saddr" : "daddr"} ${m.address} drop\``)],
                fix: RECONCILE,
            },
        ];
    });
}

/** Objects carrying this stack's tag for a resource the stack no longer has. */
export function diagnoseLeftovers(ctx: DoctorContext): Finding[] {
    const tagged = ctx.readings.tagged;
    if (tagged === undefined) return [];
    const current = (tag: string) => tagged.current.some((owner) => tag === owner || tag.startsWith(`${owner}/`) || tag === ruleComment(owner));
    return tagged.objects
        .filter((o) => !current(o.tag))
        .map((o) => ({
            id: "leftover" as const,
            symptom: `a ${o.kind} of this stack's is left on the host: ${o.where}`,
            cause: `it carries the tag ${o.tag}, a resource this stack no longer has (a run cut off before it cleaned up, or state restored from a backup)`,
            evidence: [{ command: tagged.commands.join("; "), showed: `${o.where}: ${o.tag}` }],
            fix: `\`${o.remove}\``,
        }));
}

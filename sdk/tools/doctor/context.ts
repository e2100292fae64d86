import type { LabTopology, TopologyMember } from "../../components/topology";
import { Evidence, Finding } from "./report";
import { LabReadings, LinkFact, MemberReadings, Reading, linksOf, routesOf } from "./readings";

/** What every diagnosis reads: the declared lab, what doctor read, and how to name commands on the lab's host. */
export class DoctorContext {
    constructor(
        readonly topology: LabTopology,
        readings: LabReadings,
    ) {
        this.host = readings.host;
        this.hostLinks = linksOf(readings.host.links);
        this.hostRoutes = routesOf(readings.host.routes);
        this.readings = readings;
    }

    readonly readings: LabReadings;
    readonly host: LabReadings["host"];
    readonly hostLinks: LinkFact[];
    readonly hostRoutes: ReturnType<typeof routesOf>;

    /** The members on the lab's bridge: the ones whose path, DNS and forwards doctor checks. */
    get bridged(): TopologyMember[] {
        return this.topology.members.filter((m) => m.attachment === undefined);
    }

    /** What doctor read for a member (an empty record when nothing was). */
    memberReadings(member: string): MemberReadings {
        return this.readings.members.find((m) => m.member === member) ?? { member };
    }

    /** A member's own links (its namespace). */
    memberLinks(member: string): LinkFact[] {
        return linksOf(this.memberReadings(member).links);
    }

    /** A host link by name. */
    hostLink(name: string): LinkFact | undefined {
        return this.hostLinks.find((l) => l.name === name);
    }

    /** `ip` on the lab's host, as a user types it: `ip -n HOST ARGS` for a sandboxed lab. */
    hostIp(args: string): string {
        return this.topology.hostNetns ? `ip -n ${this.topology.hostNetns} ${args}` : `ip ${args}`;
    }

    /** Another program on the lab's host: `ip netns exec HOST ARGS` for a sandboxed lab. */
    hostExec(args: string): string {
        return this.topology.hostNetns ? `ip netns exec ${this.topology.hostNetns} ${args}` : args;
    }
}

/** Evidence from one reading: its command and what matters in its output. */
export function evidence(reading: Reading, showed: string): Evidence {
    return { command: reading.command, showed };
}

/** The command that makes netplumb put back what the stack declares. */
export const RECONCILE = "`pulumi refresh --yes && pulumi up --yes` (netplumb puts back what the stack declares)";

/** True when a finding of one of these kinds names this member (or the host, for host-wide kinds). */
export function hasFinding(findings: readonly Finding[], ids: readonly Finding["id"][], member?: string): boolean {
    return findings.some((f) => ids.includes(f.id) && (f.member === undefined || f.member === member));
}

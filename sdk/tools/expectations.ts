import { EgressPolicy } from "../model/firewall";
import type { LabTopology, TopologyMember } from "../components/topology";
import type { Probe } from "../sandbox/probe";

/** One cell of the connectivity matrix. */
export interface MatrixCell {
    readonly from: string;
    /** What was tried: "blue" (ping), "internet tcp/80", "dns example.test". */
    readonly to: string;
    readonly probe: Probe;
    readonly expected: boolean;
    actual?: boolean;
}

/** True when the egress policy lets `protocol`/`port` out. */
export function egressAllows(policy: EgressPolicy, protocol: "tcp" | "udp" | "icmp", port?: number): boolean {
    if (policy === "allow") return true;
    if (policy === "deny") return false;
    return policy.some((r) => r.protocol === protocol && (r.ports === undefined || (port !== undefined && r.ports.includes(port))));
}

/** The ports `netplumb check` tries on the emulated internet. */
export const INTERNET_PORTS = [80, 443, 22] as const;

function memberCells(topology: LabTopology, member: TopologyMember): MatrixCell[] {
    const cells: MatrixCell[] = topology.members
        .filter((other) => other.name !== member.name)
        .map((other) => ({
            from: member.name,
            to: other.name,
            probe: { kind: "ping" as const, address: other.address },
            expected: egressAllows(other.ingress ?? "allow", "icmp"),
        }));
    const internet = topology.internet;
    if (internet === undefined) return cells;
    for (const port of INTERNET_PORTS) {
        cells.push({
            from: member.name,
            to: `internet tcp/${port}`,
            probe: { kind: "tcp", address: internet.address, port },
            expected: egressAllows(member.egress, "tcp", port),
        });
    }
    const dnsExpected = member.nameservers.length > 0 && egressAllows(member.egress, "udp", 53);
    cells.push({ from: member.name, to: `dns ${internet.dnsName}`, probe: { kind: "dns", name: internet.dnsName }, expected: dnsExpected });
    return cells;
}

/**
 * Every probe the check runs, with what the declared policy says should
 * happen: a member pings another when the other's ingress policy allows
 * ICMP, and reaches the internet's TCP 80/443/22 and resolves a name only
 * as its own egress policy allows.
 */
export function expectedMatrix(topology: LabTopology): MatrixCell[] {
    return topology.members.flatMap((m) => memberCells(topology, m));
}

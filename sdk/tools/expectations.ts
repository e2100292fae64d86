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

/** True for a member on the lab bridge (no `attachment`): the members netplumb's policies apply to. */
function onBridge(member: TopologyMember): boolean {
    return member.attachment === undefined;
}

function memberCells(topology: LabTopology, member: TopologyMember): MatrixCell[] {
    // A member attached as "none" has loopback only: it must reach nothing.
    const isolated = member.attachment === "none";
    const cells: MatrixCell[] = topology.members
        .filter((other) => other.name !== member.name && onBridge(other))
        .map((other) => ({
            from: member.name,
            to: other.name,
            probe: { kind: "ping" as const, address: other.address },
            expected: !isolated && egressAllows(other.ingress ?? "allow", "icmp"),
        }));
    const internet = topology.internet;
    if (internet === undefined) return cells;
    for (const port of INTERNET_PORTS) {
        cells.push({
            from: member.name,
            to: `internet tcp/${port}`,
            probe: { kind: "tcp", address: internet.address, port },
            expected: !isolated && egressAllows(member.egress, "tcp", port),
        });
    }
    const dnsExpected = !isolated && member.nameservers.length > 0 && egressAllows(member.egress, "udp", 53);
    cells.push({ from: member.name, to: `dns ${internet.dnsName}`, probe: { kind: "dns", name: internet.dnsName }, expected: dnsExpected });
    return cells;
}

/**
 * Every probe the check runs, with what the declared policy says should
 * happen: a member pings another when the other's ingress policy allows
 * ICMP, and reaches the internet's TCP 80/443/22 and resolves a name only
 * as its own egress policy allows. Members on the bridge are probed and
 * pinged; a member attached as "none" is probed and must reach nothing;
 * the others are left out (see uncheckedMembers).
 */
export function expectedMatrix(topology: LabTopology): MatrixCell[] {
    return topology.members.filter((m) => onBridge(m) || m.attachment === "none").flatMap((m) => memberCells(topology, m));
}

/**
 * The members the check does not probe, with why: a host member is the
 * host itself, a container member shares another's namespace (its cells are
 * that member's), and a macvlan/ipvlan member's traffic never passes this
 * host, so netplumb declares nothing about it.
 */
export function uncheckedMembers(topology: LabTopology): Array<{ member: string; why: string }> {
    const why = (attachment: string) =>
        attachment === "host"
            ? "attached as host: its traffic is the host's own"
            : attachment.startsWith("container:")
              ? `shares ${attachment.slice("container:".length)}'s namespace: its cells are that member's`
              : `attached as ${attachment}: its traffic bypasses the host, where the policies live`;
    return topology.members.filter((m) => m.attachment !== undefined && m.attachment !== "none").map((m) => ({ member: m.name, why: why(m.attachment!) }));
}

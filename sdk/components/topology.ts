import * as pulumi from "@pulumi/pulumi";
import { EgressPolicy } from "../model/firewall";
import { LabPlan, LabPortForward } from "../model/lab";
import type { LabMemberOutputs } from "./lab-network";

/** One member as tools see it. */
export interface TopologyMember {
    readonly name: string;
    readonly namespace: string;
    readonly interface: string;
    readonly hostInterface: string;
    readonly address: string;
    readonly egress: EgressPolicy;
    readonly ingress: EgressPolicy;
    readonly portForwards: readonly LabPortForward[];
    readonly nameservers: readonly string[];
}

/**
 * A lab's shape as a plain object (a stack output): what `netplumb check`
 * tests and `netplumb diagram` draws. Stable field names: tools read it.
 */
export interface LabTopology {
    readonly lab: string;
    /** The host namespace the lab lives in; absent: the machine's root namespace. */
    readonly hostNetns?: string;
    readonly bridge: { readonly name: string; readonly subnet: string; readonly gateway: string };
    /** Uplink interface name, or "auto". */
    readonly uplink: string;
    readonly nat: boolean;
    readonly table: string;
    /** Where `netplumb check` probes the outside: an address serving TCP 80/443/22 and a name its DNS answers. */
    readonly internet?: { readonly address: string; readonly dnsName: string };
    readonly members: readonly TopologyMember[];
    /** Graph form: nodes and links, for diagrams. */
    readonly nodes: ReadonlyArray<{ readonly id: string; readonly kind: "bridge" | "member" | "uplink"; readonly label: string }>;
    readonly links: ReadonlyArray<{ readonly from: string; readonly to: string; readonly label: string }>;
}

/** Builds the topology output once every member's address is known. */
export function topologyOf(
    lab: string,
    plan: LabPlan,
    table: pulumi.Input<string>,
    members: Record<string, LabMemberOutputs>,
    uplink: string,
    hostNetns?: pulumi.Input<string | undefined>,
    internet?: { readonly address: string; readonly dnsName: string },
): pulumi.Output<LabTopology> {
    const resolved = plan.members.map((m) =>
        pulumi.all([members[m.name].namespace, members[m.name].address]).apply(([namespace, address]): TopologyMember => ({
            name: m.name,
            namespace,
            interface: m.interface,
            hostInterface: m.hostInterface,
            address,
            egress: m.egress,
            ingress: m.ingress,
            portForwards: m.portForwards,
            nameservers: m.nameservers,
        })),
    );
    return pulumi.all([pulumi.all(resolved), pulumi.output(hostNetns), pulumi.output(table)]).apply(([list, netns, tableName]) => ({
        lab,
        ...(netns ? { hostNetns: netns } : {}),
        bridge: { name: plan.bridge, subnet: plan.subnet, gateway: plan.gateway },
        uplink,
        nat: plan.nat,
        table: tableName,
        ...(internet ? { internet } : {}),
        members: list,
        nodes: [
            { id: "uplink", kind: "uplink" as const, label: `uplink (${uplink})` },
            { id: "bridge", kind: "bridge" as const, label: `${plan.bridge} ${plan.gateway}` },
            ...list.map((m) => ({ id: m.name, kind: "member" as const, label: `${m.name} ${m.address}` })),
        ],
        links: [
            { from: "bridge", to: "uplink", label: plan.nat ? "NAT" : "routed" },
            ...list.map((m) => ({ from: m.name, to: "bridge", label: `${m.interface} / ${m.hostInterface}` })),
        ],
    }));
}

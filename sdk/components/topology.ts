import * as pulumi from "@pulumi/pulumi";
import { EgressPolicy } from "../model/firewall";
import { attachmentLabel } from "../model/attachment";
import type { HostSpec } from "../model/host-spec";
import type { HostInput } from "../resources/common";
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
    /** In a multi-host lab: the name of the host the member lives on (a key of `hosts`). */
    readonly host?: string;
    /** How it is attached when not by a veth to the bridge: "none", "host", "container:<member>", "macvlan", "ipvlan". */
    readonly attachment?: string;
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
    /**
     * In a multi-host lab: how to reach each host (what `netplumb check`
     * probes through). Holds the SSH credentials, so the output is secret.
     */
    readonly hosts?: Readonly<Record<string, HostSpec>>;
    /** In a multi-host lab: the host with the gateway, NAT and uplink. */
    readonly gatewayHost?: string;
    /** Graph form: nodes and links, for diagrams. */
    readonly nodes: ReadonlyArray<{ readonly id: string; readonly kind: "bridge" | "member" | "uplink"; readonly label: string }>;
    readonly links: ReadonlyArray<{ readonly from: string; readonly to: string; readonly label: string }>;
}

/** Where the members of a multi-host lab live. */
export interface TopologyPlacement {
    /** Member name → host name. */
    readonly placement: ReadonlyMap<string, string>;
    readonly hosts: Readonly<Record<string, pulumi.Input<HostInput>>>;
    readonly gatewayHost: string;
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
    spread?: TopologyPlacement,
): pulumi.Output<LabTopology> {
    const hostOf = (member: string) => spread?.placement.get(member);
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
            ...(hostOf(m.name) ? { host: hostOf(m.name) } : {}),
            ...(attachmentLabel(m.attachment) ? { attachment: attachmentLabel(m.attachment) } : {}),
        })),
    );
    const hosts = spread ? pulumi.output(spread.hosts) : pulumi.output(undefined);
    return pulumi.all([pulumi.all(resolved), pulumi.output(hostNetns), pulumi.output(table), hosts]).apply(([list, netns, tableName, hostSpecs]) => ({
        lab,
        ...(netns ? { hostNetns: netns } : {}),
        bridge: { name: plan.bridge, subnet: plan.subnet, gateway: plan.gateway },
        uplink,
        nat: plan.nat,
        table: tableName,
        ...(internet ? { internet } : {}),
        members: list,
        ...(hostSpecs && spread ? { hosts: hostSpecs, gatewayHost: spread.gatewayHost } : {}),
        nodes: [
            { id: "uplink", kind: "uplink" as const, label: `uplink (${uplink})` },
            { id: "bridge", kind: "bridge" as const, label: `${plan.bridge} ${plan.gateway}` },
            ...list.map((m) => ({
                id: m.name,
                kind: "member" as const,
                label: [m.name, m.address, m.host ? `@${m.host}` : "", m.attachment ? `(${m.attachment})` : ""].filter(Boolean).join(" "),
            })),
        ],
        links: [
            { from: "bridge", to: "uplink", label: plan.nat ? "NAT" : "routed" },
            ...list.filter((m) => m.attachment === undefined).map((m) => ({ from: m.name, to: "bridge", label: `${m.interface} / ${m.hostInterface}` })),
        ],
    }));
}

import * as pulumi from "@pulumi/pulumi";
import { LabPlan, MemberPlan } from "../model/lab";
import { HostInput } from "../resources/common";
import { LabMember } from "../resources/lab-member";
import { LabMembers } from "../resources/lab-members";
import { NetworkNamespace } from "../resources/namespace";
import { Ipvlan, Macvlan } from "../resources/sublink";
import { ResolvConf } from "../resources/resolv";
import { TrafficShaping } from "../resources/shaping";
import { stackIdentity } from "../resources/stack-identity";

/** A member's namespace and the address it holds, however it is held. */
export interface MemberHandle {
    readonly namespace: pulumi.Output<string>;
    readonly allocated: pulumi.Output<string>;
}

/** Where a group of members goes: one host's bridge, and the lab-wide settings they share. */
export interface MemberGroup {
    readonly host: pulumi.Input<HostInput>;
    readonly bridge: pulumi.Input<string>;
    /** The address pool's id (see `labPool`). */
    readonly pool: pulumi.Input<string>;
    readonly table: pulumi.Input<string>;
    /** The host whose store hands out addresses. Default: `host`. */
    readonly addressStore?: pulumi.Input<HostInput>;
    /** False where the members' port forwards are made elsewhere (a multi-host lab's gateway host). Default true. */
    readonly withPortForwards?: boolean;
}

/**
 * The lab's address pool id (the directory under /var/lib/netplumb/ipam):
 * `<project>_<stack>_<stack id>_<name>`, the same in both member modes.
 */
export function labPool(name: string): pulumi.Output<string> {
    const identity = stackIdentity();
    return pulumi.all([identity.project, identity.stack, identity.stackId]).apply(([p, s, id]) => `${p}_${s}_${id}_${name}`.replace(/[^A-Za-z0-9_.-]/g, "_"));
}

/** A member's own inputs (what is not the lab's). With `dns.hosts` its DNS is a ResolvConf of its own instead. */
export function memberEntry(m: MemberPlan, plan: LabPlan, withPortForwards = true) {
    const withDns = !plan.hosts;
    return {
        namespace: m.namespace,
        hostInterface: m.hostInterface,
        interface: m.interface,
        address: m.address,
        chains: m.chains,
        egress: m.egress,
        ingress: m.ingress,
        nameservers: withDns ? [...m.nameservers] : [],
        search: withDns ? [...m.search] : [],
        portForwards: withPortForwards ? m.portForwards.map((pf) => ({ ...pf })) : [],
    };
}

/** The lab-wide inputs of a LabMember or LabMembers in `group`. */
function sharedInputs(plan: LabPlan, group: MemberGroup) {
    return {
        host: group.host,
        bridge: group.bridge,
        mtu: plan.mtu,
        pool: group.pool,
        subnet: plan.subnet,
        gateway: plan.gateway,
        table: group.table,
        uplink: plan.uplink,
        addressStore: group.addressStore,
    };
}

/**
 * One LabMember resource `<lab>-<member>` per member, each in its group.
 * Members with an explicit address are created first and the others depend
 * on them, so a free address handed out is never one a member asked for,
 * whichever host either is on.
 */
export function eachMember(parent: pulumi.Resource, lab: string, plan: LabPlan, groupOf: (m: MemberPlan) => MemberGroup): Map<string, MemberHandle> {
    const make = (m: MemberPlan, dependsOn: pulumi.Resource[]) => {
        const group = groupOf(m);
        return new LabMember(
            `${lab}-${m.name}`,
            { ...memberEntry(m, plan, group.withPortForwards ?? true), ...sharedInputs(plan, group), member: m.name },
            { parent, dependsOn },
        );
    };
    const result = new Map<string, LabMember>();
    for (const m of plan.members.filter((x) => x.address !== undefined)) result.set(m.name, make(m, []));
    const explicit = [...result.values()];
    for (const m of plan.members.filter((x) => x.address === undefined)) result.set(m.name, make(m, explicit));
    return result;
}

/**
 * One LabMembers resource `resourceName` holding `members` (it creates
 * explicit addresses first itself). Its handles go through the set's output,
 * so whatever uses a member depends on the set.
 */
export function memberSet(
    parent: pulumi.Resource,
    resourceName: string,
    plan: LabPlan,
    members: readonly MemberPlan[],
    group: MemberGroup,
    dependsOn: pulumi.Resource[] = [],
): { set?: LabMembers; handles: Map<string, MemberHandle> } {
    if (members.length === 0) return { handles: new Map() };
    const set = new LabMembers(
        resourceName,
        {
            ...sharedInputs(plan, group),
            members: Object.fromEntries(members.map((m) => [m.name, memberEntry(m, plan, group.withPortForwards ?? true)])),
        },
        { parent, dependsOn },
    );
    const handles = new Map(
        members.map((m) => [
            m.name,
            {
                namespace: set.members.apply((all) => all[m.name]?.namespace ?? m.namespace),
                allocated: set.members.apply((all) => all[m.name]?.allocated ?? ""),
            },
        ]),
    );
    return { set, handles };
}

/**
 * A TrafficShaping `<lab>-<member>-shaping` for each member with `shaping`,
 * on its host-side veth end: the member's egress is what arrives there
 * (inbound), its ingress what leaves (outbound). It depends on the member
 * through its namespace, so it goes after it and before it.
 */
export function memberShaping(
    parent: pulumi.Resource,
    lab: string,
    plan: LabPlan,
    members: Map<string, MemberHandle>,
    hostOf: (m: MemberPlan) => pulumi.Input<HostInput>,
): void {
    for (const m of plan.members.filter((x) => x.shaping !== undefined)) {
        new TrafficShaping(
            `${lab}-${m.name}-shaping`,
            {
                host: hostOf(m),
                interface: members.get(m.name)!.namespace.apply(() => m.hostInterface),
                inbound: m.shaping!.egress,
                outbound: m.shaping!.ingress,
            },
            { parent },
        );
    }
}

/** The machine of a host, without its netns: files under /etc/netns belong to the machine, whichever namespace acts as the host. */
function machineOf(host: pulumi.Input<HostInput>): pulumi.Input<HostInput> {
    return pulumi.output(host).apply((h) => (h.ssh ? { ssh: h.ssh } : {}));
}

/**
 * With `dns.hosts`, every member's hosts file lists every member, so DNS is
 * a ResolvConf `<lab>-<member>-dns` per member, on the member's host, that
 * depends on all their addresses.
 */
export function memberHostsFiles(
    parent: pulumi.Resource,
    lab: string,
    plan: LabPlan,
    members: Map<string, MemberHandle>,
    hostOf: (m: MemberPlan) => pulumi.Input<HostInput>,
): void {
    const hosts = pulumi.all(plan.members.map((m) => members.get(m.name)!.allocated.apply((address) => ({ name: m.name, address }))));
    for (const m of plan.members) {
        const member = members.get(m.name)!;
        new ResolvConf(
            `${lab}-${m.name}-dns`,
            { host: machineOf(hostOf(m)), namespace: member.namespace, nameservers: [...m.nameservers], search: [...m.search], hosts },
            { parent },
        );
    }
}

/** The lab's plan narrowed to the members on the lab bridge (veth, address in the subnet, chains). */
export function bridgedOnly(plan: LabPlan): LabPlan {
    return { ...plan, members: plan.members.filter((m) => m.attachment.kind === "bridge") };
}

/** A member with its own namespace and a macvlan/ipvlan interface on its parent's network. */
function sublinkMember(parent: pulumi.Resource, lab: string, m: MemberPlan, host: pulumi.Input<HostInput>): MemberHandle {
    const a = m.attachment as Extract<MemberPlan["attachment"], { kind: "macvlan" | "ipvlan" }>;
    const namespace = new NetworkNamespace(`${lab}-${m.name}`, { host, name: m.namespace }, { parent });
    const args = { host, name: m.interface, namespace: namespace.name, parent: a.parent, addresses: [a.address], gateway: a.gateway };
    const link =
        a.kind === "macvlan"
            ? new Macvlan(`${lab}-${m.name}-macvlan`, { ...args, mode: a.mode }, { parent })
            : new Ipvlan(`${lab}-${m.name}-ipvlan`, { ...args, mode: a.mode }, { parent });
    return { namespace: link.namespace, allocated: pulumi.output(a.address.split("/")[0]) };
}

/**
 * The members not on the lab bridge, after Docker's drivers: `none` a
 * NetworkNamespace `<lab>-<member>` alone (loopback up); `host` nothing (its
 * namespace is the host's); `macvlan`/`ipvlan` a NetworkNamespace and a
 * Macvlan/Ipvlan `<lab>-<member>-macvlan` on the parent with the member's
 * address; `container` nothing (the handle of the member it shares).
 * `bridged` are the bridge members' handles, for `container`.
 */
export function attachedMembers(
    parent: pulumi.Resource,
    lab: string,
    plan: LabPlan,
    hostOf: (m: MemberPlan) => pulumi.Input<HostInput>,
    bridged: Map<string, MemberHandle>,
): Map<string, MemberHandle> {
    const handles = new Map(bridged);
    const none = pulumi.output("");
    for (const m of plan.members) {
        const kind = m.attachment.kind;
        if (kind === "none") {
            const namespace = new NetworkNamespace(`${lab}-${m.name}`, { host: hostOf(m), name: m.namespace }, { parent });
            handles.set(m.name, { namespace: namespace.name, allocated: none });
        } else if (kind === "host") {
            handles.set(m.name, { namespace: pulumi.output(hostOf(m)).apply((h) => h.netns ?? ""), allocated: none });
        } else if (kind === "macvlan" || kind === "ipvlan") {
            handles.set(m.name, sublinkMember(parent, lab, m, hostOf(m)));
        }
    }
    for (const m of plan.members) {
        if (m.attachment.kind === "container") handles.set(m.name, handles.get(m.attachment.of)!);
    }
    return handles;
}

import * as pulumi from "@pulumi/pulumi";
import { stackTableName } from "../model/firewall";
import { LabInput, LabPlan, MemberPlan, planLab } from "../model/lab";
import { Bridge } from "../resources/bridge";
import { HostInput } from "../resources/common";
import { LabMember } from "../resources/lab-member";
import { LabMembers } from "../resources/lab-members";
import { Firewall } from "../resources/firewall";
import { ResolvConf } from "../resources/resolv";
import { TrafficShaping } from "../resources/shaping";
import { Sysctl } from "../resources/sysctl";
import { stackIdentity } from "../resources/stack-identity";
import { LabTopology, topologyOf } from "./topology";

export interface LabNetworkArgs extends LabInput {
    /** Where the lab lives: `{}` (this machine) or `{ netns: sandbox.name }`. Default `{}`. */
    readonly host?: pulumi.Input<HostInput>;
    /** What `netplumb check` probes outside: an address serving TCP 80/443/22 and a name DNS answers (the Sandbox's). */
    readonly internet?: { readonly address: string; readonly dnsName: string };
    /**
     * How the members are held in the stack. `"each"` (the default): one
     * LabMember resource per member (`<lab>-<member>`). `"one"`: one
     * LabMembers resource (`<lab>-members`) holding them all, so the engine
     * handles one step instead of one per member: several times faster for
     * large labs; preview shows a member's change as
     * `members.<member>.<property>`. A stack keeps the mode it was created
     * with: switching fails at `up` (the members' names are taken) until the
     * members are removed.
     */
    readonly memberResources?: "each" | "one";
    /**
     * The host whose address store hands out the members' addresses. Labs on
     * several hosts that share one subnet over an overlay (VxlanOverlay) give
     * the same `addressStore` and `segment`, so no address is handed out
     * twice. Default: `host`.
     */
    readonly addressStore?: pulumi.Input<HostInput>;
    /** The address pool's name within the stack, shared by the labs of one segment. Default: this lab's name. */
    readonly segment?: string;
}

/** A member's namespace and the address it holds, however it is held. */
interface MemberHandle {
    readonly namespace: pulumi.Output<string>;
    readonly allocated: pulumi.Output<string>;
}

/** What a member ends up as. */
export interface LabMemberOutputs {
    readonly namespace: pulumi.Output<string>;
    readonly interface: string;
    readonly hostInterface: string;
    readonly address: pulumi.Output<string>;
}

/**
 * The classic container-network lab as one component: namespaces on a bridge
 * with a gateway address, IP forwarding, masquerade NAT out of the uplink, a
 * per-member egress policy in netplumb's nftables table, per-member DNS and
 * port forwards. Each member is one LabMember resource (namespace, address,
 * veth, policy, port forwards and DNS), so adding, removing or changing one
 * member never touches the others.
 */
export class LabNetwork extends pulumi.ComponentResource {
    /** Each member's namespace, interface and address. */
    public readonly members: Record<string, LabMemberOutputs>;
    public readonly bridge: pulumi.Output<string>;
    /** netplumb's nftables table for this stack (`stackTableName` of its identity). */
    public readonly table: pulumi.Output<string>;
    /** Nodes, links, addresses and policies, for `netplumb check` and `netplumb diagram`. */
    public readonly topology: pulumi.Output<LabTopology>;
    private readonly addressStore?: pulumi.Input<HostInput>;
    private readonly segment?: string;

    constructor(name: string, args: LabNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:lab:LabNetwork", name, {}, opts);
        const { plan, failures } = planLab(name, args);
        if (failures.length > 0) {
            throw new pulumi.ResourceError(`LabNetwork ${name}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`, this, true);
        }
        const host = args.host ?? {};
        this.addressStore = args.addressStore;
        this.segment = args.segment;
        const child = { parent: this };
        const identity = stackIdentity();
        this.table = pulumi.all([identity.project, identity.stack, identity.stackId]).apply(([p, s, id]) => stackTableName(p, s, id));
        new Sysctl(`${name}-ip-forward`, { host, key: "net.ipv4.ip_forward", value: "1" }, child);
        const bridge = new Bridge(`${name}-bridge`, { host, name: plan.bridge, addresses: [`${plan.gateway}/${plan.prefixLength}`], mtu: plan.mtu }, child);
        if (plan.nat) this.nat(name, plan, host, child);
        const mode = args.memberResources ?? "each";
        if (mode !== "each" && mode !== "one") {
            throw new pulumi.ResourceError(
                `LabNetwork ${name}: memberResources: ${JSON.stringify(mode)} is not a mode; use "each" (one resource per member) or "one"`,
                this,
                true,
            );
        }
        const members = mode === "one" ? this.makeMemberSet(name, plan, host, bridge) : this.makeMembers(name, plan, host, bridge);
        if (plan.hosts) this.hostsFiles(name, plan, members);
        this.shaping(name, plan, host, members);
        this.members = {};
        for (const m of plan.members) {
            const member = members.get(m.name)!;
            this.members[m.name] = { namespace: member.namespace, interface: m.interface, hostInterface: m.hostInterface, address: member.allocated };
        }
        this.bridge = bridge.name;
        this.topology = topologyOf(
            name,
            plan,
            this.table,
            this.members,
            args.uplink ?? "auto",
            pulumi.output(host).apply((h) => h.netns),
            args.internet,
        );
        this.registerOutputs({ members: this.members, bridge: this.bridge, table: this.table, topology: this.topology });
    }

    private nat(name: string, plan: LabPlan, host: pulumi.Input<HostInput>, opts: pulumi.CustomResourceOptions): void {
        const masquerade = [{ source: plan.subnet, ...(plan.uplink ? { outInterface: plan.uplink } : { notOutInterface: plan.bridge }) }];
        new Firewall(`${name}-nat`, { host, table: this.table, chains: `${name}_nat`.replace(/-/g, "_"), bridge: plan.bridge, masquerade }, opts);
    }

    /**
     * A TrafficShaping `<lab>-<member>-shaping` for each member with
     * `shaping`, on its host-side veth end: the member's egress is what
     * arrives there (inbound), its ingress what leaves (outbound). It depends
     * on the member through its namespace, so it goes after it and before it.
     */
    private shaping(name: string, plan: LabPlan, host: pulumi.Input<HostInput>, members: Map<string, MemberHandle>): void {
        for (const m of plan.members.filter((x) => x.shaping !== undefined)) {
            new TrafficShaping(
                `${name}-${m.name}-shaping`,
                { host, interface: members.get(m.name)!.namespace.apply(() => m.hostInterface), inbound: m.shaping!.egress, outbound: m.shaping!.ingress },
                { parent: this },
            );
        }
    }

    /** The lab's address pool id (the directory under /var/lib/netplumb/ipam), the same in both member modes; `segment` when given. */
    private pool(name: string): pulumi.Output<string> {
        const identity = stackIdentity();
        return pulumi
            .all([identity.project, identity.stack, identity.stackId])
            .apply(([p, s, id]) => `${p}_${s}_${id}_${name}`.replace(/[^A-Za-z0-9_.-]/g, "_"));
    }

    /** A member's own inputs (what is not the lab's). With `dns.hosts` its DNS is a ResolvConf of its own instead. */
    private static entry(m: MemberPlan, plan: LabPlan) {
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
            portForwards: m.portForwards.map((pf) => ({ ...pf })),
        };
    }

    /**
     * One LabMember resource per member. Members with an explicit address are
     * created first and the others depend on them, so a free address handed
     * out is never one a member asked for.
     */
    private makeMembers(name: string, plan: LabPlan, host: pulumi.Input<HostInput>, bridge: Bridge): Map<string, MemberHandle> {
        const pool = this.pool(this.segment ?? name);
        const make = (m: MemberPlan, dependsOn: pulumi.Resource[]) =>
            new LabMember(
                `${name}-${m.name}`,
                {
                    ...LabNetwork.entry(m, plan),
                    host,
                    member: m.name,
                    bridge: bridge.name,
                    mtu: plan.mtu,
                    pool,
                    subnet: plan.subnet,
                    gateway: plan.gateway,
                    table: this.table,
                    uplink: plan.uplink,
                    addressStore: this.addressStore,
                },
                { parent: this, dependsOn },
            );
        const result = new Map<string, LabMember>();
        for (const m of plan.members.filter((x) => x.address !== undefined)) result.set(m.name, make(m, []));
        const explicit = [...result.values()];
        for (const m of plan.members.filter((x) => x.address === undefined)) result.set(m.name, make(m, explicit));
        return result;
    }

    /** One LabMembers resource holding every member (it creates explicit addresses first itself). */
    private makeMemberSet(name: string, plan: LabPlan, host: pulumi.Input<HostInput>, bridge: Bridge): Map<string, MemberHandle> {
        if (plan.members.length === 0) return new Map();
        const set = new LabMembers(
            `${name}-members`,
            {
                host,
                bridge: bridge.name,
                mtu: plan.mtu,
                pool: this.pool(this.segment ?? name),
                subnet: plan.subnet,
                gateway: plan.gateway,
                table: this.table,
                uplink: plan.uplink,
                addressStore: this.addressStore,
                members: Object.fromEntries(plan.members.map((m) => [m.name, LabNetwork.entry(m, plan)])),
            },
            { parent: this },
        );
        return new Map(
            plan.members.map((m) => [
                m.name,
                // Through the set's output, so whatever uses a member depends on the set.
                {
                    namespace: set.members.apply((all) => all[m.name]?.namespace ?? m.namespace),
                    allocated: set.members.apply((all) => all[m.name]?.allocated ?? ""),
                },
            ]),
        );
    }

    /**
     * With `dns.hosts`, every member's hosts file lists every member, so DNS is
     * a ResolvConf resource per member that depends on all their addresses.
     */
    private hostsFiles(name: string, plan: LabPlan, members: Map<string, MemberHandle>): void {
        const hosts = pulumi.all(plan.members.map((m) => members.get(m.name)!.allocated.apply((address) => ({ name: m.name, address }))));
        for (const m of plan.members) {
            const member = members.get(m.name)!;
            new ResolvConf(
                `${name}-${m.name}-dns`,
                { namespace: member.namespace, nameservers: [...m.nameservers], search: [...m.search], hosts },
                { parent: this },
            );
        }
    }
}

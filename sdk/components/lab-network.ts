import * as pulumi from "@pulumi/pulumi";
import { stackTableName } from "../model/firewall";
import { LabInput, LabPlan, MemberPlan, planLab } from "../model/lab";
import { HostEntry } from "../model/resolv";
import { AddressAllocation } from "../resources/allocation";
import { Bridge } from "../resources/bridge";
import { HostInput } from "../resources/common";
import { Firewall } from "../resources/firewall";
import { NetworkNamespace } from "../resources/namespace";
import { PortForward } from "../resources/port-forward";
import { ResolvConf } from "../resources/resolv";
import { Sysctl } from "../resources/sysctl";
import { VethPair } from "../resources/veth";
import { LabTopology, topologyOf } from "./topology";

export interface LabNetworkArgs extends LabInput {
    /** Where the lab lives: `{}` (this machine) or `{ netns: sandbox.name }`. Default `{}`. */
    readonly host?: pulumi.Input<HostInput>;
    /** What `netplumb check` probes outside: an address serving TCP 80/443/22 and a name DNS answers (the Sandbox's). */
    readonly internet?: { readonly address: string; readonly dnsName: string };
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
 * port forwards. Every member's resources are its own, so adding, removing or
 * changing one member never touches the others.
 */
export class LabNetwork extends pulumi.ComponentResource {
    /** Each member's namespace, interface and address. */
    public readonly members: Record<string, LabMemberOutputs>;
    public readonly bridge: pulumi.Output<string>;
    /** netplumb's nftables table for this stack. */
    public readonly table: string;
    /** Nodes, links, addresses and policies, for `netplumb check` and `netplumb diagram`. */
    public readonly topology: pulumi.Output<LabTopology>;

    constructor(name: string, args: LabNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:lab:LabNetwork", name, {}, opts);
        const { plan, failures } = planLab(name, args);
        if (failures.length > 0) {
            throw new pulumi.ResourceError(`LabNetwork ${name}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`, this);
        }
        const host = args.host ?? {};
        const child = { parent: this };
        this.table = stackTableName(pulumi.getProject(), pulumi.getStack());
        new Sysctl(`${name}-ip-forward`, { host, key: "net.ipv4.ip_forward", value: "1" }, child);
        const bridge = new Bridge(`${name}-bridge`, { host, name: plan.bridge, addresses: [`${plan.gateway}/${plan.prefixLength}`], mtu: plan.mtu }, child);
        if (plan.nat) this.nat(name, plan, host, child);
        const allocations = this.allocations(name, plan, host);
        const hosts = plan.hosts ? hostsEntries(plan, allocations) : undefined;
        this.members = {};
        for (const m of plan.members) {
            this.members[m.name] = this.member(name, plan, m, host, bridge, allocations.get(m.name)!, hosts);
        }
        this.bridge = bridge.name;
        this.topology = topologyOf(name, plan, this.table, this.members, args.uplink ?? "auto", pulumi.output(host).apply((h) => h.netns), args.internet);
        this.registerOutputs({ members: this.members, bridge: this.bridge, table: this.table, topology: this.topology });
    }

    private nat(name: string, plan: LabPlan, host: pulumi.Input<HostInput>, opts: pulumi.CustomResourceOptions): void {
        const masquerade = [{ source: plan.subnet, ...(plan.uplink ? { outInterface: plan.uplink } : { notOutInterface: plan.bridge }) }];
        new Firewall(`${name}-nat`, { host, table: this.table, chains: `${name}_nat`.replace(/-/g, "_"), bridge: plan.bridge, masquerade }, opts);
    }

    /**
     * One allocation per member. Explicit addresses are claimed first; the
     * others depend on them, so a free address is never one a member asked for.
     */
    private allocations(name: string, plan: LabPlan, host: pulumi.Input<HostInput>): Map<string, AddressAllocation> {
        const pool = `${pulumi.getProject()}_${pulumi.getStack()}_${name}`.replace(/[^A-Za-z0-9_.-]/g, "_");
        const make = (m: MemberPlan, dependsOn: pulumi.Resource[]) =>
            new AddressAllocation(`${name}-${m.name}-address`, { host, pool, subnet: plan.subnet, gateway: plan.gateway, member: m.name, address: m.address }, { parent: this, dependsOn });
        const result = new Map<string, AddressAllocation>();
        for (const m of plan.members.filter((x) => x.address !== undefined)) result.set(m.name, make(m, []));
        const explicit = [...result.values()];
        for (const m of plan.members.filter((x) => x.address === undefined)) result.set(m.name, make(m, explicit));
        return result;
    }

    private member(
        name: string,
        plan: LabPlan,
        m: MemberPlan,
        host: pulumi.Input<HostInput>,
        bridge: Bridge,
        allocation: AddressAllocation,
        hosts: pulumi.Output<HostEntry[]> | undefined,
    ): LabMemberOutputs {
        const opts = { parent: this };
        const ns = new NetworkNamespace(`${name}-${m.name}`, { name: m.namespace }, opts);
        const address = allocation.allocated;
        new VethPair(`${name}-${m.name}-veth`, {
            host,
            a: { name: m.hostInterface, bridge: bridge.name, mtu: plan.mtu },
            b: { name: m.interface, namespace: ns.name, addresses: [pulumi.interpolate`${address}/${plan.prefixLength}`], gateway: plan.gateway, mtu: plan.mtu },
        }, opts);
        new Firewall(`${name}-${m.name}-policy`, { host, table: this.table, chains: m.chains, bridge: plan.bridge, members: [{ name: m.name, address, egress: m.egress, ingress: m.ingress }] }, opts);
        if (m.nameservers.length > 0 || plan.hosts) {
            new ResolvConf(`${name}-${m.name}-dns`, { namespace: ns.name, nameservers: [...m.nameservers], search: [...m.search], hosts }, opts);
        }
        m.portForwards.forEach((pf) => {
            new PortForward(`${name}-${m.name}-pf-${pf.protocol ?? "tcp"}-${pf.hostPort}`, {
                host,
                table: this.table,
                chains: `${m.chains}_pf_${pf.protocol ?? "tcp"}_${pf.hostPort}`,
                protocol: pf.protocol ?? "tcp",
                hostPort: pf.hostPort,
                inInterface: plan.uplink,
                toAddress: address,
                toPort: pf.port,
            }, opts);
        });
        return { namespace: ns.name, interface: m.interface, hostInterface: m.hostInterface, address };
    }
}

/** Every member by name, for the members' hosts files. */
function hostsEntries(plan: LabPlan, allocations: Map<string, AddressAllocation>): pulumi.Output<HostEntry[]> {
    return pulumi.all(plan.members.map((m) => allocations.get(m.name)!.allocated.apply((address) => ({ name: m.name, address }))));
}

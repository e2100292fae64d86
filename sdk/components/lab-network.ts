import * as pulumi from "@pulumi/pulumi";
import { stackTableName } from "../model/firewall";
import { LabInput, LabPlan, planLab } from "../model/lab";
import { Bridge } from "../resources/bridge";
import { HostInput } from "../resources/common";
import { Firewall } from "../resources/firewall";
import { Sysctl } from "../resources/sysctl";
import { stackIdentity } from "../resources/stack-identity";
import { MemberGroup, attachedMembers, bridgedOnly, eachMember, labPool, memberHostsFiles, memberSet, memberShaping } from "./lab-parts";
import { LabTopology, topologyOf } from "./topology";

/** The inputs of a `LabNetwork`. */
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

    constructor(name: string, args: LabNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:lab:LabNetwork", name, {}, opts);
        const { plan, failures } = planLab(name, args);
        if (failures.length > 0) {
            throw new pulumi.ResourceError(`LabNetwork ${name}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`, this, true);
        }
        const host = args.host ?? {};
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
        const group: MemberGroup = { host, bridge: bridge.name, pool: labPool(args.segment ?? name), table: this.table, addressStore: args.addressStore };
        const onBridge = bridgedOnly(plan);
        const bridged =
            mode === "one" ? memberSet(this, `${name}-members`, onBridge, onBridge.members, group).handles : eachMember(this, name, onBridge, () => group);
        const members = attachedMembers(this, name, plan, () => host, bridged);
        if (plan.hosts) memberHostsFiles(this, name, onBridge, members, () => host);
        memberShaping(this, name, onBridge, members, () => host);
        for (const warning of plan.warnings) void pulumi.log.warn(`LabNetwork ${name}: ${warning}`, this);
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
}

import * as pulumi from "@pulumi/pulumi";
import { stackTableName } from "../model/firewall";
import { MemberPlan } from "../model/lab";
import { MultiHostLabInput, MultiHostPlan, membersOn, planMultiHost } from "../model/multi-host";
import { Bridge } from "../resources/bridge";
import { HostInput, withSecretCredentials } from "../resources/common";
import { Firewall } from "../resources/firewall";
import { PortForward } from "../resources/port-forward";
import { stackIdentity } from "../resources/stack-identity";
import { Sysctl } from "../resources/sysctl";
import { MemberGroup, MemberHandle, attachedMembers, bridgedOnly, eachMember, labPool, memberHostsFiles, memberSet, memberShaping } from "./lab-parts";
import type { LabMemberOutputs } from "./lab-network";
import { LabTopology, topologyOf } from "./topology";
import { VxlanOverlay } from "./vxlan-overlay";

/** One host of a multi-host lab. */
export interface LabHostArgs {
    /** How to reach it: `{ ssh: { host, privateKey, hostKey } }` for another machine, `{}` for this one. */
    readonly host: pulumi.Input<HostInput>;
    /** Its underlay address: the VXLAN tunnel's source, and what the other hosts send to. */
    readonly underlay: string;
}

/** The inputs of a `MultiHostLab`. */
export interface MultiHostLabArgs extends Omit<MultiHostLabInput, "underlay"> {
    /** The hosts, by a name of yours (`a`, `edge-1`); each member's `host` names one. */
    readonly hosts: Readonly<Record<string, LabHostArgs>>;
    /** What `netplumb check` probes outside: an address serving TCP 80/443/22 and a name DNS answers. */
    readonly internet?: { readonly address: string; readonly dnsName: string };
    /** `"each"` (default): a LabMember per member; `"one"`: a LabMembers per host (`<lab>-<host>-members`). As LabNetwork's. */
    readonly memberResources?: "each" | "one";
}

/**
 * A lab spread over several hosts: one subnet, one layer-2 segment carried
 * between the hosts' bridges by a VXLAN overlay, one address pool (kept on
 * the gateway host), members placed on the host each names.
 *
 * The gateway host holds the gateway address, IP forwarding, masquerade NAT
 * out of the uplink, the port forwards, and the egress policy of members on
 * the other hosts (their traffic out is routed there). Each member's
 * ingress policy and anti-spoofing guard live on its own host, where its
 * port is: bridged traffic passes the inet forward hook (br_netfilter), so
 * they hold for traffic from any host. The other hosts' bridges carry no
 * address and route nothing.
 *
 * A member's resource is `<lab>-<member>` whichever host it is on, so moving
 * it to another host replaces that member only.
 */
export class MultiHostLab extends pulumi.ComponentResource {
    /** Each member's namespace, interface and address. */
    public readonly members: Record<string, LabMemberOutputs>;
    /** netplumb's nftables table for this stack on every host. */
    public readonly table: pulumi.Output<string>;
    /** Nodes, links, addresses, policies and hosts, for `netplumb check` (which probes on each host) and `netplumb diagram`. */
    public readonly topology: pulumi.Output<LabTopology>;

    constructor(name: string, args: MultiHostLabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:lab:MultiHostLab", name, {}, opts);
        const underlay = Object.fromEntries(Object.entries(args.hosts ?? {}).map(([h, a]) => [h, a?.underlay]));
        const { plan, failures } = planMultiHost(name, { ...args, underlay });
        if (failures.length > 0) {
            throw new pulumi.ResourceError(`MultiHostLab ${name}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`, this, true);
        }
        const mode = args.memberResources ?? "each";
        if (mode !== "each" && mode !== "one") {
            throw new pulumi.ResourceError(`MultiHostLab ${name}: memberResources: ${JSON.stringify(mode)} is not a mode; use "each" or "one"`, this, true);
        }
        const identity = stackIdentity();
        this.table = pulumi.all([identity.project, identity.stack, identity.stackId]).apply(([p, s, id]) => stackTableName(p, s, id));
        const hostOf = (h: string) => args.hosts[h].host;
        const gateway = hostOf(plan.gatewayHost);
        const bridges = this.bridges(name, plan, hostOf);
        this.gatewayParts(name, plan, gateway);
        new VxlanOverlay(
            `${name}-overlay`,
            {
                vni: plan.vni,
                port: plan.port,
                underlayMtu: plan.underlayMtu,
                mtu: plan.lab.mtu,
                hosts: Object.fromEntries(plan.hosts.map((h) => [h, { host: hostOf(h), local: args.hosts[h].underlay, bridge: bridges[h].name }])),
            },
            { parent: this },
        );
        const groupOn = (h: string): MemberGroup => ({
            host: hostOf(h),
            bridge: bridges[h].name,
            pool: labPool(name),
            table: this.table,
            addressStore: gateway,
            withPortForwards: h === plan.gatewayHost,
        });
        const onBridge: MultiHostPlan = { ...plan, lab: bridgedOnly(plan.lab) };
        const bridged =
            mode === "one" ? this.memberSets(name, onBridge, groupOn) : eachMember(this, name, onBridge.lab, (m) => groupOn(plan.placement.get(m.name)!));
        const memberHost = (m: MemberPlan) => hostOf(plan.placement.get(m.name)!);
        const members = attachedMembers(this, name, plan.lab, memberHost, bridged);
        if (plan.lab.hosts) memberHostsFiles(this, name, onBridge.lab, members, memberHost);
        memberShaping(this, name, onBridge.lab, members, memberHost);
        this.remoteMembers(name, onBridge, gateway, members);
        for (const warning of plan.lab.warnings) void pulumi.log.warn(`MultiHostLab ${name}: ${warning}`, this);
        this.members = {};
        for (const m of plan.lab.members) {
            const member = members.get(m.name)!;
            this.members[m.name] = { namespace: member.namespace, interface: m.interface, hostInterface: m.hostInterface, address: member.allocated };
        }
        this.topology = topologyOf(name, plan.lab, this.table, this.members, args.uplink ?? "auto", undefined, args.internet, {
            placement: plan.placement,
            // Kept secret whatever the program passed: the topology is a stack output.
            hosts: Object.fromEntries(plan.hosts.map((h) => [h, withSecretCredentials(hostOf(h))])),
            gatewayHost: plan.gatewayHost,
        });
        this.registerOutputs({ members: this.members, table: this.table, topology: this.topology });
    }

    /** A bridge `<lab>-<host>-bridge` on every host; only the gateway host's has the gateway address. */
    private bridges(name: string, plan: MultiHostPlan, hostOf: (h: string) => pulumi.Input<HostInput>): Record<string, Bridge> {
        const lab = plan.lab;
        return Object.fromEntries(
            plan.hosts.map((h) => [
                h,
                new Bridge(
                    `${name}-${h}-bridge`,
                    { host: hostOf(h), name: lab.bridge, addresses: h === plan.gatewayHost ? [`${lab.gateway}/${lab.prefixLength}`] : [], mtu: lab.mtu },
                    { parent: this },
                ),
            ]),
        );
    }

    /** IP forwarding and masquerade NAT on the gateway host. */
    private gatewayParts(name: string, plan: MultiHostPlan, gateway: pulumi.Input<HostInput>): void {
        new Sysctl(`${name}-ip-forward`, { host: gateway, key: "net.ipv4.ip_forward", value: "1" }, { parent: this });
        if (!plan.lab.nat) return;
        const lab = plan.lab;
        const masquerade = [{ source: lab.subnet, ...(lab.uplink ? { outInterface: lab.uplink } : { notOutInterface: lab.bridge }) }];
        new Firewall(
            `${name}-nat`,
            { host: gateway, table: this.table, chains: `${name}_nat`.replace(/-/g, "_"), bridge: lab.bridge, masquerade },
            { parent: this },
        );
    }

    /**
     * One LabMembers per host (`<lab>-<host>-members`). Where any member asks
     * for an address, the sets go one after another, so no set hands out an
     * address another set's member asked for.
     */
    private memberSets(name: string, plan: MultiHostPlan, groupOn: (h: string) => MemberGroup): Map<string, MemberHandle> {
        const ordered = plan.lab.members.some((m) => m.address !== undefined);
        const handles = new Map<string, MemberHandle>();
        let previous: pulumi.Resource[] = [];
        for (const h of plan.hosts) {
            const made = memberSet(this, `${name}-${h}-members`, plan.lab, membersOn(plan, h), groupOn(h), ordered ? previous : []);
            if (made.set) previous = [made.set];
            for (const [m, handle] of made.handles) handles.set(m, handle);
        }
        return handles;
    }

    /**
     * On the gateway host, for members on the other hosts: their egress
     * policy (a Firewall `<lab>-remote-egress`, matching their addresses,
     * which their own host's guard binds to their ports) and their port
     * forwards (a PortForward `<lab>-<member>-pf-<protocol>-<port>` each).
     * A member moved between two other hosts changes neither when it asked
     * for its address; one whose address is handed out may get another, so
     * they follow its new one.
     */
    private remoteMembers(name: string, plan: MultiHostPlan, gateway: pulumi.Input<HostInput>, members: Map<string, MemberHandle>): void {
        const remote = plan.lab.members.filter((m) => plan.placement.get(m.name) !== plan.gatewayHost);
        // An address the member asked for is known at preview: the rules need not wait for (or change with) the member's replacement.
        const addressOf = (m: MemberPlan) => m.address ?? members.get(m.name)!.allocated;
        const limited = remote.filter((m) => m.egress !== "allow");
        if (limited.length > 0) {
            new Firewall(
                `${name}-remote-egress`,
                {
                    host: gateway,
                    table: this.table,
                    chains: `${name}_remote`.replace(/-/g, "_"),
                    bridge: plan.lab.bridge,
                    members: limited.map((m) => ({ name: m.name, address: addressOf(m), egress: m.egress })),
                },
                { parent: this },
            );
        }
        for (const m of remote) {
            for (const pf of m.portForwards) {
                const protocol = pf.protocol ?? "tcp";
                new PortForward(
                    `${name}-${m.name}-pf-${protocol}-${pf.hostPort}`,
                    {
                        host: gateway,
                        table: this.table,
                        chains: `${m.chains}_pf_${protocol}_${pf.hostPort}`,
                        protocol,
                        hostPort: pf.hostPort,
                        inInterface: plan.lab.uplink,
                        toAddress: addressOf(m),
                        toPort: pf.port,
                    },
                    { parent: this },
                );
            }
        }
    }
}

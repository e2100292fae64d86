import * as pulumi from "@pulumi/pulumi";
import { EgressPolicy } from "../model/firewall";
import { LabPortForward } from "../model/lab";
import { HostInput, ManagedArgs, NetplumbResource, managedInputs, withSecretCredentials } from "./common";

/** The inputs of a `LabMember`. */
export interface LabMemberArgs extends ManagedArgs {
    /** The member's name (rule comments, reports, the allocation record). */
    member: pulumi.Input<string>;
    /** The member's network namespace, created by this resource (`ip netns add NAME`). */
    namespace: pulumi.Input<string>;
    /** The veth end on the bridge, in the host's namespace. */
    hostInterface: pulumi.Input<string>;
    /** The veth end inside the member's namespace, e.g. `eth0`. */
    interface: pulumi.Input<string>;
    /** The bridge the host end joins (`ip link set HOSTIF master BRIDGE`). */
    bridge: pulumi.Input<string>;
    /** MTU of both veth ends, in bytes. Default: the kernel's (1500). */
    mtu?: pulumi.Input<number>;
    /** Address pool id: the directory under /var/lib/netplumb/ipam. */
    pool: pulumi.Input<string>;
    /** The bridge subnet, e.g. `198.51.100.0/24`. */
    subnet: pulumi.Input<string>;
    /** The gateway on the bridge: never handed out, and the member's default route. */
    gateway: pulumi.Input<string>;
    /** An explicit address; default: the lowest free one in the pool. */
    address?: pulumi.Input<string>;
    /** netplumb's nftables table of the stack (see `stackTableName`). */
    table: pulumi.Input<string>;
    /** Prefix of the member's chains in that table. */
    chains: pulumi.Input<string>;
    /** Traffic towards the outside: "allow" (default), "deny" or an allow-list such as `[{ protocol: "tcp", ports: [80, 443] }]`. */
    egress?: pulumi.Input<EgressPolicy>;
    /** What other members may start towards this one: "allow" (default), "deny" or an allow-list. */
    ingress?: pulumi.Input<EgressPolicy>;
    /** Nameservers of /etc/netns/<namespace>/resolv.conf (at most 3). Default none: no file is written. */
    nameservers?: pulumi.Input<pulumi.Input<string>[]>;
    /** Search domains of that file. Default none. */
    search?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Host ports forwarded to the member, e.g. `[{ hostPort: 8080, port: 80 }]`
     * (protocol "tcp" by default): DNAT chains in the same table, like
     * `nft add rule inet T C_prerouting iifname "wan0" tcp dport 8080 dnat ip to ADDR:80`. Default none.
     */
    portForwards?: pulumi.Input<pulumi.Input<LabPortForward>[]>;
    /** Port forwards match traffic arriving on this interface. Default: any traffic to the host's own addresses. */
    uplink?: pulumi.Input<string>;
    /**
     * The host whose address store hands out the address (one store per
     * layer-2 segment: give every member of a segment spanning hosts the
     * same one). Default: the member's own `host`. Changing it replaces the member.
     */
    addressStore?: pulumi.Input<HostInput>;
}

/**
 * A lab member as one resource: namespace, address claim, veth pair to the
 * bridge with a default route, egress/ingress chains, port forwards and
 * resolv.conf. It does
 * what NetworkNamespace, AddressAllocation, VethPair, Firewall, PortForward
 * and ResolvConf do together, with one engine step instead of five or more; LabNetwork makes one per
 * member. Preview names the property that changes; refresh reports a missing
 * or altered part as `drift`, and up repairs it.
 */
export class LabMember extends NetplumbResource {
    /** The address the member holds. */
    declare public readonly allocated: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string>;
    /** Set by refresh when a part is missing or altered. */
    declare public readonly drift: pulumi.Output<string | undefined>;

    constructor(name: string, args: LabMemberArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            member: args.member,
            namespace: args.namespace,
            hostInterface: args.hostInterface,
            interface: args.interface,
            bridge: args.bridge,
            mtu: args.mtu,
            pool: args.pool,
            subnet: args.subnet,
            gateway: args.gateway,
            address: args.address,
            table: args.table,
            chains: args.chains,
            egress: args.egress ?? "allow",
            ingress: args.ingress ?? "allow",
            nameservers: args.nameservers ?? [],
            search: args.search ?? [],
            portForwards: args.portForwards ?? [],
            uplink: args.uplink,
            addressStore: args.addressStore === undefined ? undefined : withSecretCredentials(args.addressStore),
            allocated: undefined,
            drift: undefined,
        };
        super("lab-member", "LabMember", name, inputs, opts);
    }
}

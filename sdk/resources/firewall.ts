import * as pulumi from "@pulumi/pulumi";
import { EgressPolicy, Masquerade } from "../model/firewall";
import { ManagedArgs, NetplumbResource, managedInputs } from "./common";

/** A member behind the firewall. */
export interface FirewallMemberArgs {
    /** The member's name (used in rule comments and reports). */
    name: pulumi.Input<string>;
    /** The member's address, e.g. `192.0.2.10`. */
    address: pulumi.Input<string>;
    /**
     * Traffic the member may send towards the outside (anything not leaving
     * through the bridge): `"allow"` (default), `"deny"`, or an allow-list
     * such as `[{ protocol: "tcp", ports: [80, 443] }, { protocol: "udp", ports: [53] }]`.
     */
    egress?: pulumi.Input<EgressPolicy>;
    /**
     * What other members on the bridge may start towards this one: "allow"
     * (default), "deny" or an allow-list. Enforced statelessly in netplumb's
     * bridge-family table: new TCP connections, ICMP echo requests and UDP to
     * ports below 32768 are dropped unless allowed.
     */
    ingress?: pulumi.Input<EgressPolicy>;
}

/** The inputs of a `Firewall`. */
export interface FirewallArgs extends ManagedArgs {
    /** netplumb's nftables table (family inet), one per stack, e.g. from `stackTableName()`. */
    table: pulumi.Input<string>;
    /** Prefix of this resource's chains in the table (letters, digits, '_'). */
    chains: pulumi.Input<string>;
    /** The members' bridge. */
    bridge: pulumi.Input<string>;
    /** Namespace holding the rules. Default: the host's own namespace. */
    namespace?: pulumi.Input<string>;
    /** Masquerade entries, e.g. `{ source: "192.0.2.0/24", notOutInterface: "br0" }`. Default none. */
    masquerade?: pulumi.Input<pulumi.Input<Masquerade>[]>;
    /** Members and their egress policies. Default none. */
    members?: pulumi.Input<pulumi.Input<FirewallMemberArgs>[]>;
}

/**
 * Forward policy and masquerade NAT in netplumb's own nftables table;
 * established and related traffic is always accepted. Every change is one
 * atomic `nft -f -` transaction; rules carry the owner's comment; no other
 * table or chain is touched.
 */
export class Firewall extends NetplumbResource {
    declare public readonly table: pulumi.Output<string>;
    declare public readonly chains: pulumi.Output<string>;
    /** Set by refresh when the live rules differ from the declared ones. */
    declare public readonly drift: pulumi.Output<string | undefined>;

    constructor(name: string, args: FirewallArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            table: args.table,
            chains: args.chains,
            bridge: args.bridge,
            namespace: args.namespace,
            masquerade: args.masquerade ?? [],
            members: pulumi.output(args.members ?? []).apply((ms) => ms.map((m) => ({ ...m, egress: m.egress ?? "allow" }))),
            drift: undefined,
        };
        super("firewall", "Firewall", name, inputs, opts);
    }
}

import * as pulumi from "@pulumi/pulumi";
import { MemberEntry, MemberEntryState } from "../model/lab-members";
import { ManagedArgs, NetplumbResource, managedInputs, withSecretCredentials } from "./common";
import type { LabMemberArgs } from "./lab-member";

/** What every member of the set shares: the lab's bridge, address pool, table and uplink. */
type SharedArgs = Pick<LabMemberArgs, "bridge" | "mtu" | "pool" | "subnet" | "gateway" | "table" | "uplink" | "addressStore">;

/**
 * One member's own inputs, as LabMember takes them: namespace, interfaces,
 * chains, and optionally an address, egress/ingress policy (default "allow"),
 * nameservers and search domains (default none: no resolv.conf) and port forwards (default none).
 */
export type LabMembersEntry = Omit<MemberEntry, "egress" | "ingress" | "nameservers" | "search" | "portForwards"> &
    Partial<Pick<MemberEntry, "egress" | "ingress" | "nameservers" | "search" | "portForwards">>;

/** The inputs of a `LabMembers`. */
export interface LabMembersArgs extends ManagedArgs, SharedArgs {
    /** The members by name; each is built exactly as a LabMember with the same inputs. */
    members: pulumi.Input<Record<string, LabMembersEntry>>;
}

/**
 * Every member of a lab as ONE resource (LabNetwork's `memberResources: "one"`).
 * Each member gets the same kernel objects as a LabMember (namespace, address
 * claim, veth pair with a default route, policy chains, port forwards,
 * resolv.conf), but the engine handles one step for the lab instead of one
 * per member and the provider batches the kernel work across members (one
 * `ip -batch` for every namespace, one for every host-side veth end, shared
 * nftables transactions). Preview names a member's change as
 * `members.<name>.<property>` in an update of this resource, and the update
 * touches only that member's objects (recreating them when its namespace,
 * interfaces, address or chains change). Refresh drops a member whose
 * namespace is gone and records anything else missing as its `drift`.
 */
export class LabMembers extends NetplumbResource {
    /** Each member as recorded: its inputs, the address it holds (`allocated`) and any `drift`. */
    declare public readonly members: pulumi.Output<Record<string, MemberEntryState>>;

    constructor(name: string, args: LabMembersArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs = {
            ...managedInputs(name, args),
            bridge: args.bridge,
            mtu: args.mtu,
            pool: args.pool,
            subnet: args.subnet,
            gateway: args.gateway,
            table: args.table,
            uplink: args.uplink,
            addressStore: args.addressStore === undefined ? undefined : withSecretCredentials(args.addressStore),
            members: args.members,
        };
        super("lab-members", "LabMembers", name, inputs, opts);
    }
}

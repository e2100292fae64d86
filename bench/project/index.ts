// The benchmark topology: a sandbox host namespace and a LabNetwork of N
// members, each with a veth to the bridge, an address, a default route, a
// resolv.conf and an egress policy. Config: prefix, count, changed (the
// index of a member whose policy differs, for the one-member change),
// memberResources ("each" by default, or "one": LabNetwork's member mode).
import * as pulumi from "@pulumi/pulumi";
import { LabNetwork, NetworkNamespace } from "netplumb";
import type { model } from "netplumb";
import { benchMembers } from "./members";

const config = new pulumi.Config();
const prefix = config.require("prefix");
const host = new NetworkNamespace("host", { name: `${prefix}-host` });
const members: Record<string, model.LabMemberInput> = benchMembers(config.requireNumber("count"), config.getNumber("changed"));

const lab = new LabNetwork(prefix, {
    host: { netns: host.name },
    bridge: { name: "br0", cidr: "198.18.0.0/22" },
    uplink: "auto",
    dns: { nameservers: ["203.0.113.1"] },
    members,
    namespacePrefix: `${prefix}-`,
    memberResources: config.get<"each" | "one">("memberResources"),
});
export const table = lab.table;
export const topology = lab.topology;

// The classic container-network lab: red, blue and green on one bridge,
// NAT out through the uplink, per-member egress policy, DNS and a port
// forward. In sandbox mode (the default) it lives inside a host namespace of
// its own, next to an emulated internet (203.0.113.1: TCP 80/443/22 + DNS).
//
// Config: prefix (default "lab"), sandbox (default true), members (JSON,
// default below), uplink (default "wan0" in the sandbox, else "auto"),
// memberResources ("each", the default: a resource per member; or "one").
import * as pulumi from "@pulumi/pulumi";
import { LabNetwork, Sandbox } from "netplumb";
import type { model } from "netplumb";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "lab";
const sandbox = (config.getBoolean("sandbox") ?? true) ? new Sandbox("sandbox", { prefix }) : undefined;

const defaultMembers: Record<string, model.LabMemberInput> = {
    red: { egress: "allow", portForwards: [{ hostPort: 8080, port: 80 }] },
    blue: { egress: [{ protocol: "tcp", ports: [80, 443] }] },
    green: { egress: "deny", ingress: "deny" },
};

const lab = new LabNetwork(prefix, {
    host: sandbox ? { netns: sandbox.hostNetns } : {},
    bridge: { name: "br-lab", cidr: "198.51.100.0/24" },
    uplink: sandbox ? sandbox.uplinkInterface : (config.get("uplink") ?? "auto"),
    nat: true,
    dns: sandbox ? { nameservers: [sandbox.internetAddress], search: ["example.test"] } : undefined,
    members: config.getObject<Record<string, model.LabMemberInput>>("members") ?? defaultMembers,
    namespacePrefix: `${prefix}-`,
    internet: sandbox ? { address: sandbox.internetAddress, dnsName: sandbox.dnsNames[0] } : undefined,
    memberResources: config.get<"each" | "one">("memberResources"),
});

export const hostNetns = sandbox?.hostNetns;
export const bridge = lab.bridge;
export const table = lab.table;
export const members = lab.members;
export const topology = lab.topology;

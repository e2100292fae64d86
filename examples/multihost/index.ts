// One lab on three machines: a bridge on each, one subnet and one layer-2
// segment carried between them by VXLAN, the gateway, NAT and the uplink
// on h1. Members live on the machine their `host` names; moving one to
// another machine replaces that member only.
//
// Config:
//   machines       JSON [{ "address": "198.51.100.11", "hostKey": "ssh-ed25519 AAAA..." }, ...]:
//                  the machines h1, h2, h3 (address on the underlay; the host key pinned)
//   privateKey1..N (secret) the SSH key for each machine
//   members        JSON, optional: the members (default below)
//   internet       JSON, optional: { "address": ..., "dnsName": ... } for `netplumb check`
//   memberResources "each" (default) or "one"
import * as pulumi from "@pulumi/pulumi";
import { MultiHostLab } from "netplumb";
import type { model } from "netplumb";

const config = new pulumi.Config();
const machines = config.requireObject<Array<{ address: string; hostKey: string }>>("machines");
const internet = config.getObject<{ address: string; dnsName: string }>("internet");

const members = config.getObject<Record<string, model.PlacedMemberInput>>("members") ?? {
    web: { host: "h1", ingress: [{ protocol: "tcp", ports: [80] }, { protocol: "icmp" }], portForwards: [{ hostPort: 8080, port: 80 }] },
    api: { host: "h2", address: "203.0.113.20", egress: [{ protocol: "tcp", ports: [80] }, { protocol: "udp", ports: [53] }] },
    db: { host: "h3", egress: "deny", ingress: "deny" },
    cache: { host: "h3", egress: [{ protocol: "tcp", ports: [443] }] },
};

const lab = new MultiHostLab("mh", {
    hosts: Object.fromEntries(
        machines.map((machine, i) => [
            `h${i + 1}`,
            {
                host: { ssh: { host: machine.address, hostKey: machine.hostKey, privateKey: config.requireSecret(`privateKey${i + 1}`) } },
                underlay: machine.address,
            },
        ]),
    ),
    overlay: { vni: 4200 },
    bridge: { name: "br-mh", cidr: "203.0.113.0/26" },
    uplink: "eth0",
    dns: internet ? { nameservers: [internet.address] } : undefined,
    internet,
    members,
    memberResources: config.get<"each" | "one">("memberResources"),
});

export const addresses = Object.fromEntries(Object.entries(lab.members).map(([name, m]) => [name, m.address]));
export const topology = lab.topology;

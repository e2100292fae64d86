// One LabNetwork per machine, each machine reached over SSH. Config:
// machines (JSON: [{ address, hostKey }]), privateKey1..N (secrets: the
// key for each machine, as a user keeps them), members (JSON, default
// below), memberResources ("each" or "one").
import * as pulumi from "@pulumi/pulumi";
import { LabNetwork } from "netplumb";
import type { model } from "netplumb";

const config = new pulumi.Config();
const machines = config.requireObject<Array<{ address: string; hostKey: string }>>("machines");
const members = config.getObject<Record<string, model.LabMemberInput>>("members") ?? {
    red: { egress: "allow", shaping: { egress: { rate: "10mbit" } } },
    blue: { egress: [{ protocol: "tcp", ports: [80] }], ingress: "deny" },
};

export const labs = machines.map((machine, i) => {
    const lab = new LabNetwork(`m${i + 1}`, {
        // The first machine's key as a secret (as users should), the others' as plain text: netplumb must keep both secret.
        host: {
            ssh: {
                host: machine.address,
                hostKey: machine.hostKey,
                privateKey: i === 0 ? config.requireSecret("privateKey1") : config.require(`privateKey${i + 1}`),
            },
        },
        bridge: { name: "br-lab", cidr: "203.0.113.0/26" },
        uplink: "eth0",
        nat: true,
        members,
        namespacePrefix: "lab-",
        memberResources: config.get<"each" | "one">("memberResources"),
    });
    return { bridge: lab.bridge, table: lab.table, members: lab.members };
});

// A CNI network as a runtime would read it, and three namespaces attached to
// it by the reference plugins, exactly as containerd or CRI-O attach a pod:
// bridge + host-local + portmap + firewall + bandwidth. Everything runs in a
// sandbox host namespace; the configuration list, the plugins' directory and
// host-local's claims are where the config says (never the machine's own
// /etc/cni/net.d unless you say so).
//
// Config:
//   prefix   namespace prefix (default "cni")
//   confDir  where the .conflist goes (default /etc/cni/net.d)
//   binDir   where the plugins are (default /opt/cni/bin)
//   dataDir  host-local's claims (default /var/lib/cni/networks)
//   subnet   the network's range (default 198.51.100.64/26)
import * as pulumi from "@pulumi/pulumi";
import { CniAttachment, CniNetwork, NetworkNamespace, Sandbox } from "netplumb";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "cni";
const sandbox = new Sandbox("sandbox", { prefix });
const host = { netns: sandbox.hostNetns };

const network = new CniNetwork("net", {
    host,
    name: `${prefix}net`,
    dir: config.get("confDir"),
    binDir: config.get("binDir"),
    plugins: [
        {
            type: "bridge",
            bridge: `${prefix}0`,
            isGateway: true,
            ipam: {
                type: "host-local",
                ranges: [[{ subnet: config.get("subnet") ?? "198.51.100.64/26" }]],
                routes: [{ dst: "0.0.0.0/0" }],
                dataDir: config.get("dataDir"),
            },
        },
        { type: "portmap", capabilities: { portMappings: true } },
        { type: "firewall" },
        { type: "bandwidth", capabilities: { bandwidth: true } },
    ],
});

const attachments = Object.fromEntries(
    ["web", "api", "db"].map((member) => {
        const namespace = new NetworkNamespace(member, { name: `${prefix}-${member}` });
        const attachment = new CniAttachment(`${member}-cni`, {
            host,
            network,
            namespace: namespace.name,
            capabilities:
                member === "web"
                    ? { portMappings: [{ hostPort: 8080, containerPort: 80 }], bandwidth: { ingressRate: 100_000_000, ingressBurst: 10_000_000 } }
                    : {},
        });
        return [member, attachment];
    }),
);

export const hostNetns = sandbox.hostNetns;
export const conflist = network.path;
export const addresses = Object.fromEntries(Object.entries(attachments).map(([m, a]) => [m, a.addresses]));
export const drift = Object.fromEntries(Object.entries(attachments).map(([m, a]) => [m, a.drift]));

// Two namespaces ("red" and "blue") joined to a bridge by veth pairs, with
// addresses and default routes via the bridge. With `sandbox` (the default)
// everything lives inside a host namespace of its own, so this machine's
// network is never touched.
//
// Config (pulumi config set ...):
//   prefix    name prefix of every namespace (default "np")
//   sandbox   build inside a sandbox host namespace (default true)
//   subnet    the bridge's /24, as its first three octets (default "192.0.2")
//   mtu       MTU of the bridge and every veth end, bytes (default 1500)
import * as pulumi from "@pulumi/pulumi";
import { Bridge, NetworkNamespace, Route, Sysctl, VethPair } from "netplumb";

const config = new pulumi.Config();
const prefix = config.get("prefix") ?? "np";
const subnet = config.get("subnet") ?? "192.0.2";
const mtu = config.getNumber("mtu") ?? 1500;
const gateway = `${subnet}.1`;

const sandbox = config.getBoolean("sandbox") ?? true;
const hostNamespace = sandbox ? new NetworkNamespace("host", { name: `${prefix}-host` }) : undefined;
const host = hostNamespace ? { netns: hostNamespace.name } : {};

const bridge = new Bridge("bridge", { host, name: "br0", addresses: [`${gateway}/24`], mtu });
new Sysctl("forwarding", { host, key: "net.ipv4.ip_forward", value: "1" });

const members = ["red", "blue"].map((member, i) => {
    const namespace = new NetworkNamespace(member, { name: `${prefix}-${member}` });
    const address = `${subnet}.${10 + i}`;
    const veth = new VethPair(`${member}-veth`, {
        host,
        a: { name: `veth-${member}`, bridge: bridge.name, mtu },
        b: { name: "eth0", namespace: namespace.name, addresses: [`${address}/24`], mtu },
    });
    new Route(`${member}-default`, { host, namespace: namespace.name, destination: "default", via: gateway, device: "eth0" }, { dependsOn: veth });
    return { member, namespace: namespace.name, address, veth };
});

export const hostNetns = hostNamespace?.name;
export const bridgeName = bridge.name;
export const bridgeAddress = gateway;
export const namespaces = Object.fromEntries(members.map((m) => [m.member, m.namespace]));
export const addresses = Object.fromEntries(members.map((m) => [m.member, m.address]));

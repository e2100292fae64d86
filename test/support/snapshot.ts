import { execFileSync } from "child_process";
import { existsSync, readdirSync, statSync } from "fs";
import { join } from "path";
import { ip, namespaces } from "./sandbox";

/** Every path below `dir` (relative, sorted), or "absent" when it does not exist. */
export function tree(dir: string): string[] | "absent" {
    if (!existsSync(dir)) return "absent";
    const walk = (rel: string): string[] =>
        readdirSync(join(dir, rel))
            .sort()
            .flatMap((name) => {
                const path = rel ? `${rel}/${name}` : name;
                return statSync(join(dir, path)).isDirectory() ? [`${path}/`, ...walk(path)] : [path];
            });
    return walk("");
}

/** The root namespace's sysctls that netplumb (or a careless test) could change. */
const ROOT_SYSCTLS = [
    "net.ipv4.ip_forward",
    "net.ipv6.conf.all.forwarding",
    "net.ipv4.conf.all.rp_filter",
    "net.ipv4.conf.all.proxy_arp",
    "net.bridge.bridge-nf-call-iptables",
];

function sysctl(key: string): string {
    try {
        return execFileSync("sysctl", ["-n", key], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
        return "absent";
    }
}

/**
 * What the machine looks like outside any sandbox: namespace names, every
 * file netplumb may write (/etc/netns, the IPAM store, /run/netplumb, walked
 * whole), the root namespace's links (name, MTU, MAC), routes, nftables
 * tables and sysctls. Equal before and after a test means nothing leaked and
 * nothing outside the sandbox changed.
 */
export function machineSnapshot() {
    const rootLinks = JSON.parse(ip("-j", "link", "show")) as Array<{ ifname: string; mtu: number; address?: string }>;
    return {
        namespaces: namespaces(),
        etcNetns: tree("/etc/netns"),
        varLibNetplumb: tree("/var/lib/netplumb"),
        runNetplumb: tree("/run/netplumb"),
        rootLinks: rootLinks.map((l) => `${l.ifname} mtu ${l.mtu} ${l.address ?? ""}`).sort(),
        rootRoutes: ip("route", "show", "table", "all")
            .split("\n")
            .filter((l) => l !== "")
            .sort(),
        rootTables: execFileSync("nft", ["list", "tables"], { encoding: "utf8" }),
        rootSysctls: Object.fromEntries(ROOT_SYSCTLS.map((key) => [key, sysctl(key)])),
    };
}

export type MachineSnapshot = ReturnType<typeof machineSnapshot>;

import { execFileSync } from "child_process";
import { existsSync, readdirSync } from "fs";
import { ip, namespaces } from "./sandbox";

function listing(dir: string): string[] | "absent" {
    return existsSync(dir) ? readdirSync(dir).sort() : "absent";
}

/**
 * What the machine looks like outside any sandbox: namespace names, the
 * files netplumb may write, the root namespace's links, nftables tables and
 * forwarding sysctl. Equal before and after a test means nothing leaked and
 * nothing outside the sandbox changed.
 */
export function machineSnapshot() {
    return {
        namespaces: namespaces(),
        etcNetns: listing("/etc/netns"),
        ipamStore: listing("/var/lib/netplumb"),
        runNetplumb: listing("/run/netplumb"),
        rootLinks: (JSON.parse(ip("-j", "link", "show")) as Array<{ ifname: string }>).map((l) => l.ifname).sort(),
        rootTables: execFileSync("nft", ["list", "tables"], { encoding: "utf8" }),
        rootForwarding: execFileSync("sysctl", ["-n", "net.ipv4.ip_forward"], { encoding: "utf8" }),
    };
}

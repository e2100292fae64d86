/**
 * The same topology as bench/project, built without netplumb:
 * (b) a bash script with one `ip`/`nft` process per operation, the usual
 *     hand-written way;
 * (c) one `ip -batch` per namespace side plus one `nft -f`, the practical
 *     floor for anything that drives iproute2.
 * Everything lives in a sandbox host namespace `<prefix>-host`.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from "fs";
import { GATEWAY, OperationMember, PREFIX_LENGTH, RESOLV, labOperations, shellLine } from "./operations";

/** A member of the benchmark lab; `rules` are nft rule bodies for its egress (forward chain). */
export type BenchMember = OperationMember;

function addressOf(i: number): string {
    const n = i + 2;
    return `198.18.${Math.floor(n / 256)}.${n % 256}`;
}

function egressRules(i: number, address: string): string[] {
    const match = `iifname "br0" oifname != "br0" ip saddr ${address}`;
    if (i % 3 === 0) return [];
    if (i % 3 === 1) return [`${match} tcp dport { 80, 443 } accept`, `${match} drop`];
    return [`${match} drop`];
}

export function benchTopology(prefix: string, count: number): BenchMember[] {
    return Array.from({ length: count }, (_, i) => {
        const namespace = `${prefix}-m${String(i).padStart(3, "0")}`;
        const address = addressOf(i);
        return { namespace, hostInterface: `v${i}`, address, rules: egressRules(i, address) };
    });
}

/** (b): the hand-written script, one process per operation (bench/operations.ts). */
export function scriptFor(prefix: string, members: readonly BenchMember[]): string {
    const lines = ["set -e", ...labOperations(`${prefix}-host`, members).flat().map(shellLine)];
    return lines.join("\n") + "\n";
}

function ipBatch(args: string[], lines: string[]): void {
    execFileSync("ip", [...args, "-batch", "-"], { input: lines.join("\n") + "\n" });
}

/** (c): one `ip -batch` per namespace side and one `nft -f`. */
export function buildFloor(prefix: string, members: readonly BenchMember[]): void {
    const host = `${prefix}-host`;
    ipBatch([], [`netns add ${host}`, ...members.map((m) => `netns add ${m.namespace}`)]);
    const hostLines = ["link set lo up", "link add br0 type bridge", `addr add ${GATEWAY}/${PREFIX_LENGTH} dev br0`, "link set br0 up"];
    for (const m of members)
        hostLines.push(`link add ${m.hostInterface} type veth peer name eth0 netns ${m.namespace}`, `link set ${m.hostInterface} master br0 up`);
    ipBatch(["-n", host], hostLines);
    for (const m of members) {
        ipBatch(
            ["-n", m.namespace],
            ["link set lo up", `addr add ${m.address}/${PREFIX_LENGTH} dev eth0`, "link set eth0 up", `route add default via ${GATEWAY}`],
        );
        mkdirSync(`/etc/netns/${m.namespace}`, { recursive: true });
        writeFileSync(`/etc/netns/${m.namespace}/resolv.conf`, RESOLV);
    }
    execFileSync("ip", ["netns", "exec", host, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]);
    const nft = [
        "add table inet bench",
        "add chain inet bench forward { type filter hook forward priority filter; policy accept; }",
        "add rule inet bench forward ct state established,related accept",
        "add chain inet bench nat { type nat hook postrouting priority srcnat; policy accept; }",
        'add rule inet bench nat ip saddr 198.18.0.0/22 oifname != "br0" masquerade',
        ...members.flatMap((m) => m.rules.map((r) => `add rule inet bench forward ${r}`)),
    ];
    execFileSync("ip", ["netns", "exec", host, "nft", "-f", "-"], { input: nft.join("\n") + "\n" });
}

/** Removes what (b), (c) or a peer built, by exact names, whatever of it exists; /etc/netns too when it did not exist before. */
export function teardown(prefix: string, members: readonly BenchMember[], etcNetnsExisted: boolean): void {
    const names = [`${prefix}-host`, ...members.map((m) => m.namespace)];
    try {
        execFileSync("ip", ["-force", "-batch", "-"], { input: names.map((n) => `netns del ${n}`).join("\n") + "\n", stdio: ["pipe", "ignore", "ignore"] });
    } catch {
        // -force went on past names that were never made (a run that failed early); exit status 1 says only that.
    }
    for (const m of members) rmSync(`/etc/netns/${m.namespace}`, { recursive: true, force: true });
    if (!etcNetnsExisted && existsSync("/etc/netns") && readdirSync("/etc/netns").length === 0) rmdirSync("/etc/netns");
}

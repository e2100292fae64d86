import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as members from "../../sdk/kernel/lab-member";
import { LabMemberSpec, LabMemberState, checkLabMember, memberMac } from "../../sdk/model/lab-member";
import { Sandbox, ip } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

/** Runs a program inside a namespace; true when it exits 0. */
function succeeds(ns: string, ...argv: string[]): boolean {
    return spawnSync("ip", ["netns", "exec", ns, ...argv], { stdio: "ignore", timeout: 20_000 }).status === 0;
}

/** A TCP connection from `ns` (optionally from a given source address) to the outside server: true when it connects within 2 s. */
function connects(ns: string, localAddress?: string): boolean {
    const script = `const s=require('net').connect({host:'203.0.113.10',port:80${localAddress ? `,localAddress:'${localAddress}'` : ""}});s.setTimeout(2000,()=>process.exit(3));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(4))`;
    return succeeds(ns, process.execPath, "-e", script);
}

/** The MAC the host's neighbour table holds for an address on the bridge, or undefined. */
function neighbourMac(hostNs: string, address: string): string | undefined {
    const entries = JSON.parse(ip("-n", hostNs, "-j", "neigh", "show", "dev", "br0")) as Array<{ dst: string; lladdr?: string }>;
    return entries.find((e) => e.dst === address)?.lladdr;
}

describe("kernel: a member cannot escape its policy by changing who it claims to be (root)", function () {
    this.timeout(120_000);
    let sbx: Sandbox;
    let outside = "";
    let server: ChildProcess | undefined;
    const table = `netplumb_spoof_${process.pid}`;
    const made: LabMemberState[] = [];

    const spec = (name: string, egress: unknown, ingress: unknown = "allow"): LabMemberSpec => {
        const result = checkLabMember({
            host: { netns: sbx.host },
            owner: `netplumb:spoof/run/${name}-${sbx.tag}`,
            adopt: false,
            pool: `spoof_${sbx.tag}`,
            subnet: "198.51.100.0/24",
            gateway: "198.51.100.1",
            member: name,
            namespace: sbx.name(name),
            hostInterface: `v${name.slice(0, 3)}${sbx.tag}`,
            interface: "eth0",
            bridge: "br0",
            table,
            chains: `lab_${name}`,
            egress,
            ingress,
            nameservers: [],
            search: [],
        });
        assert.deepEqual(result.failures, []);
        return result.spec;
    };

    before(async function () {
        requireOrSkip(this, isRoot(), "namespaces and nftables need root");
        requireOrSkip(this, hasCommand("nft") && hasCommand("arping"), "nft and arping (iputils-arping) are needed: run `npm run setup`");
        sbx = new Sandbox("nps");
        // The lab host: a bridge with the gateway address, forwarding to an "outside" namespace (documentation range) with a TCP server.
        ip("-n", sbx.host, "link", "add", "br0", "type", "bridge");
        ip("-n", sbx.host, "address", "add", "198.51.100.1/24", "dev", "br0");
        ip("-n", sbx.host, "link", "set", "br0", "up");
        outside = sbx.foreignNamespace("out");
        ip("-n", sbx.host, "link", "add", "wan0", "type", "veth", "peer", "name", "eth0", "netns", outside);
        ip("-n", sbx.host, "address", "add", "203.0.113.1/24", "dev", "wan0");
        ip("-n", sbx.host, "link", "set", "wan0", "up");
        ip("-n", outside, "address", "add", "203.0.113.10/24", "dev", "eth0");
        ip("-n", outside, "link", "set", "eth0", "up");
        ip("-n", outside, "link", "set", "lo", "up");
        ip("-n", outside, "route", "add", "198.51.100.0/24", "via", "203.0.113.1");
        execFileSync("ip", ["netns", "exec", sbx.host, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
        // Existing neighbour entries take any update at once (no lock time), so a spoofed ARP that got through would show.
        execFileSync("ip", ["netns", "exec", sbx.host, "sysctl", "-qw", "net.ipv4.neigh.br0.locktime=0"]);
        server = spawn("ip", ["netns", "exec", outside, process.execPath, "-e", "require('net').createServer((s)=>s.end()).listen(80,'203.0.113.10')"], {
            stdio: "ignore",
        });
        for (const [name, egress, ingress] of [
            ["alice", "allow", "allow"],
            ["mallory", "deny", "allow"],
            ["carol", "allow", "deny"],
        ] as const)
            made.push(await members.createLabMember(spec(name, egress, ingress)));
    });

    after(async () => {
        server?.kill();
        for (const state of made) await members.deleteLabMember(state).catch(() => undefined);
        sbx?.destroy();
    });

    const [alice, mallory, carol] = [0, 1, 2].map((i) => () => made[i]);
    const aliceStillFine = () => {
        assert.ok(connects(alice().namespace), "alice (egress allow) still reaches the outside");
        assert.ok(succeeds(alice().namespace, "ping", "-c", "1", "-W", "2", "198.51.100.1"), "alice still reaches the gateway");
    };

    it("the policy holds as declared: alice gets out, mallory (egress deny) does not", () => {
        assert.ok(connects(alice().namespace));
        assert.ok(!connects(mallory().namespace));
    });

    it("an extra address on mallory's interface does not get it out", () => {
        ip("-n", mallory().namespace, "address", "add", "198.51.100.77/24", "dev", "eth0");
        try {
            assert.ok(!connects(mallory().namespace, "198.51.100.77"));
        } finally {
            ip("-n", mallory().namespace, "address", "del", "198.51.100.77/24", "dev", "eth0");
        }
        aliceStillFine();
    });

    it("mallory taking alice's address does not get it out, and alice keeps working", () => {
        const own = `${mallory().allocated}/24`;
        ip("-n", mallory().namespace, "address", "del", own, "dev", "eth0");
        ip("-n", mallory().namespace, "address", "add", `${alice().allocated}/24`, "dev", "eth0");
        ip("-n", mallory().namespace, "route", "replace", "default", "via", "198.51.100.1");
        try {
            assert.ok(!connects(mallory().namespace));
        } finally {
            ip("-n", mallory().namespace, "address", "del", `${alice().allocated}/24`, "dev", "eth0");
            ip("-n", mallory().namespace, "address", "add", own, "dev", "eth0");
            ip("-n", mallory().namespace, "route", "replace", "default", "via", "198.51.100.1");
        }
        aliceStillFine();
    });

    it("a spoofed ARP claiming alice's or the gateway's address changes no neighbour entry", () => {
        assert.ok(succeeds(sbx.host, "ping", "-c", "1", "-W", "2", alice().allocated));
        const before = neighbourMac(sbx.host, alice().allocated);
        assert.equal(before, memberMac(alice()));
        for (const claimed of [alice().allocated, "198.51.100.1"]) {
            succeeds(mallory().namespace, "arping", "-c", "2", "-U", "-I", "eth0", "-s", claimed, claimed);
            succeeds(mallory().namespace, "arping", "-c", "2", "-A", "-I", "eth0", "-s", claimed, alice().allocated);
        }
        assert.equal(neighbourMac(sbx.host, alice().allocated), before);
        assert.ok(succeeds(alice().namespace, "ping", "-c", "1", "-W", "2", "198.51.100.1"));
        const gatewaySeenByAlice = JSON.parse(ip("-n", alice().namespace, "-j", "neigh", "show", "198.51.100.1")) as Array<{ lladdr?: string }>;
        assert.notEqual(gatewaySeenByAlice[0]?.lladdr, memberMac(mallory()), "alice never learns mallory's MAC for the gateway");
        aliceStillFine();
    });

    it("mallory copying alice's MAC is cut off, and alice keeps working", () => {
        ip("-n", mallory().namespace, "link", "set", "eth0", "address", memberMac(alice()));
        try {
            assert.ok(!connects(mallory().namespace));
            assert.ok(!succeeds(mallory().namespace, "ping", "-c", "1", "-W", "1", "198.51.100.1"));
            aliceStillFine();
        } finally {
            ip("-n", mallory().namespace, "link", "set", "eth0", "address", memberMac(mallory()));
        }
    });

    it("ingress deny is stateful on the bridge: others cannot start connections to carol, carol's own connections get their replies", async () => {
        const carolServer = await serveIn(carol().namespace, 5000);
        const aliceServer = await serveIn(alice().namespace, 40000);
        try {
            assert.ok(!connectsTo(alice().namespace, carol().allocated, 5000), "a neighbour cannot open a connection to carol");
            assert.ok(connectsTo(carol().namespace, alice().allocated, 40000), "carol's own connection (to a high port) is answered");
            assert.ok(!succeeds(alice().namespace, "ping", "-c", "1", "-W", "1", carol().allocated), "echo requests to carol are dropped");
            assert.ok(succeeds(carol().namespace, "ping", "-c", "1", "-W", "2", alice().allocated), "carol's pings get their replies");
        } finally {
            carolServer.kill();
            aliceServer.kill();
        }
    });

    it("IPv6, link-local or global, does not cross mallory's port", () => {
        ip("-n", alice().namespace, "address", "add", "2001:db8:5::1/64", "dev", "eth0", "nodad");
        ip("-n", mallory().namespace, "address", "add", "2001:db8:5::66/64", "dev", "eth0", "nodad");
        const aliceLinkLocal = (
            JSON.parse(ip("-n", alice().namespace, "-j", "-6", "addr", "show", "dev", "eth0", "scope", "link")) as Array<{
                addr_info: Array<{ local: string }>;
            }>
        )[0].addr_info[0].local;
        try {
            assert.ok(!succeeds(mallory().namespace, "ping", "-6", "-c", "1", "-W", "1", "2001:db8:5::1"));
            assert.ok(!succeeds(mallory().namespace, "ping", "-6", "-c", "1", "-W", "1", `${aliceLinkLocal}%eth0`));
        } finally {
            ip("-n", alice().namespace, "address", "del", "2001:db8:5::1/64", "dev", "eth0");
            ip("-n", mallory().namespace, "address", "del", "2001:db8:5::66/64", "dev", "eth0");
        }
        aliceStillFine();
    });
});

/** Starts a TCP server inside `ns` on `port` that closes each connection; resolves once it listens. */
async function serveIn(ns: string, port: number): Promise<ChildProcess> {
    const child = spawn(
        "ip",
        ["netns", "exec", ns, process.execPath, "-e", `require('net').createServer((s)=>s.end()).listen(${port},()=>console.log('up'))`],
        { stdio: ["ignore", "pipe", "ignore"] },
    );
    await new Promise((resolve) => child.stdout.once("data", resolve));
    return child;
}

/** A TCP connection from `ns` to address:port: true when it connects within 2 s. */
function connectsTo(ns: string, address: string, port: number): boolean {
    const script = `const s=require('net').connect(${port},'${address}');s.setTimeout(2000,()=>process.exit(3));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(4))`;
    return succeeds(ns, process.execPath, "-e", script);
}

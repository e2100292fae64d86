import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import { join } from "path";
import { createShaping, deleteShaping, readShaping, updateShaping } from "../../sdk/kernel/shaping";
import { ShapingSpec, checkShaping } from "../../sdk/model/shaping";
import { ROOT } from "../support/engine";
import { Sandbox, ip, links } from "../support/sandbox";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

const BLAST = join(ROOT, "test", "support", "tcp-blast.js");

/** The qdiscs of a device with their counters (`tc -s -j qdisc show`). */
function qdiscs(ns: string, dev: string): Array<{ kind: string; bytes: number; drops: number; overlimits: number }> {
    return JSON.parse(execFileSync("ip", ["netns", "exec", ns, "tc", "-s", "-j", "qdisc", "show", "dev", dev], { encoding: "utf8" })) as Array<{
        kind: string;
        bytes: number;
        drops: number;
        overlimits: number;
    }>;
}

/**
 * Sends `bytes` over TCP from namespace `from` to a receiver in `to` (both
 * started here, by PID) and returns the receiver's measured rate in bits per
 * second (its first byte to its last).
 */
async function measure(from: string, to: string, address: string, bytes: number): Promise<number> {
    const receiver = spawn("ip", ["netns", "exec", to, process.execPath, BLAST, "receive", address, "5201"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
        let out = "";
        receiver.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
        for (let waited = 0; !out.includes("listening"); waited += 20) {
            if (waited > 10_000) throw new Error("the receiver did not start");
            await new Promise((r) => setTimeout(r, 20));
        }
        execFileSync("ip", ["netns", "exec", from, process.execPath, BLAST, "send", address, "5201", String(bytes)], { stdio: "inherit" });
        for (let waited = 0; !/received \d+ bytes in \d+ us/.test(out); waited += 20) {
            if (waited > 60_000) throw new Error(`the receiver did not finish: ${out}`);
            await new Promise((r) => setTimeout(r, 20));
        }
        const [, received, micros] = /received (\d+) bytes in (\d+) us/.exec(out)!;
        assert.equal(Number(received), bytes, "every byte arrived");
        return (Number(received) * 8) / (Number(micros) / 1e6);
    } finally {
        receiver.kill("SIGTERM");
    }
}

/**
 * Shaping between two namespaces joined by a veth pair inside the sandbox:
 * what the kernel does is read from tc's own counters, and the throughput
 * measured is held to an upper bound only (no timing is asserted).
 */
describe("kernel: traffic shaping with TBF and IFB (root)", function () {
    this.timeout(120_000);
    let sbx: Sandbox;
    let peer: string;
    const spec = (extra: Record<string, unknown>): ShapingSpec => {
        const result = checkShaping({
            host: { netns: sbx.host },
            owner: `netplumb:itest/shaping@0123456789ab/s-${sbx.tag}`,
            adopt: false,
            interface: "vs0",
            ...extra,
        });
        assert.deepEqual(result.failures, []);
        return result.spec;
    };

    before(function () {
        requireOrSkip(this, isRoot(), "namespaces need root");
        requireOrSkip(this, hasCommand("tc"), "tc (iproute2) is not installed");
        sbx = new Sandbox();
        peer = sbx.foreignNamespace("peer");
        ip("-n", sbx.host, "link", "add", "vs0", "type", "veth", "peer", "name", "eth0", "netns", peer);
        ip("-n", sbx.host, "addr", "add", "198.51.100.1/24", "dev", "vs0");
        ip("-n", peer, "addr", "add", "198.51.100.2/24", "dev", "eth0");
        for (const [ns, dev] of [
            [sbx.host, "vs0"],
            [peer, "eth0"],
            [sbx.host, "lo"],
            [peer, "lo"],
        ])
            ip("-n", ns, "link", "set", dev, "up");
    });
    after(() => sbx?.destroy());

    it("outbound 10 Mbit/s: the TBF holds the rate (its overlimits count) and what arrives stays under it", async () => {
        const s = spec({ outbound: { rate: "10mbit" } });
        await createShaping(s);
        const rate = await measure(sbx.host, peer, "198.51.100.2", 4_000_000);
        console.log(`      measured ${(rate / 1e6).toFixed(2)} Mbit/s through a 10 Mbit/s TBF`);
        const [tbf] = qdiscs(sbx.host, "vs0").filter((q) => q.kind === "tbf");
        assert.ok(tbf.overlimits > 0, "the bucket ran dry and held packets back");
        assert.ok(tbf.bytes >= 4_000_000, "the transfer passed through it");
        assert.ok(rate <= 10e6 * 1.15, `at most 10 Mbit/s + 15%, measured ${rate}`);
        assert.deepEqual(await readShaping(s), s, "reads back as declared");
    });

    it("inbound 5 Mbit/s through the IFB: the redirect counts the bytes and the rate holds; outbound dropped", async () => {
        const previous = spec({ outbound: { rate: "10mbit" } });
        const s = spec({ inbound: { rate: "5mbit" } });
        await updateShaping(previous, s);
        assert.ok(!qdiscs(sbx.host, "vs0").some((q) => q.kind === "tbf"), "outbound is no longer shaped");
        assert.ok(links(sbx.host).includes(s.ifb));
        const rate = await measure(peer, sbx.host, "198.51.100.1", 2_000_000);
        console.log(`      measured ${(rate / 1e6).toFixed(2)} Mbit/s through a 5 Mbit/s TBF on ${s.ifb}`);
        const [tbf] = qdiscs(sbx.host, s.ifb).filter((q) => q.kind === "tbf");
        assert.ok(tbf.overlimits > 0 && tbf.bytes >= 2_000_000);
        assert.ok(rate <= 5e6 * 1.15, `at most 5 Mbit/s + 15%, measured ${rate}`);
        assert.deepEqual(await readShaping(s), s);
    });

    it("drift: a qdisc removed by hand reads as unshaped; update puts it back", async () => {
        const s = spec({ inbound: { rate: "5mbit" } });
        execFileSync("ip", ["netns", "exec", sbx.host, "tc", "qdisc", "del", "dev", s.ifb, "root"]);
        assert.equal((await readShaping(s))?.inbound, undefined);
        await updateShaping(s, s);
        assert.deepEqual(await readShaping(s), s);
    });

    it("delay or loss needs netem: without it the error names the module, and nothing is left half-made", async () => {
        const s = spec({ outbound: { rate: "10mbit", delay: 20 } });
        let netem = true;
        try {
            execFileSync("ip", ["netns", "exec", sbx.host, "tc", "qdisc", "replace", "dev", "lo", "root", "netem", "delay", "1ms"], { stdio: "ignore" });
            execFileSync("ip", ["netns", "exec", sbx.host, "tc", "qdisc", "del", "dev", "lo", "root"], { stdio: "ignore" });
        } catch {
            netem = false;
        }
        if (netem) {
            await createShaping(s);
            assert.ok(qdiscs(sbx.host, "vs0").some((q) => q.kind === "netem"));
            await deleteShaping(s);
        } else {
            console.log("      this kernel has no netem (sch_netem): checking netplumb's error instead");
            await assert.rejects(createShaping(s), /this kernel has no netem \(the sch_netem module\), so delay, jitter and loss cannot be applied/);
            assert.ok(!qdiscs(sbx.host, "vs0").some((q) => q.kind === "tbf" || q.kind === "netem"), "nothing left");
        }
    });

    it("delete removes the qdiscs and the IFB; a second delete and a gone interface are fine", async () => {
        const s = spec({ outbound: { rate: "10mbit" }, inbound: { rate: "5mbit" } });
        await createShaping(s);
        await deleteShaping(s);
        await deleteShaping(s);
        assert.ok(!qdiscs(sbx.host, "vs0").some((q) => ["tbf", "ingress"].includes(q.kind)));
        assert.ok(!links(sbx.host).includes(s.ifb));
        await deleteShaping({ ...s, interface: "gone0" });
    });
});

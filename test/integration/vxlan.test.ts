import { strict as assert } from "assert";
import { existsSync } from "fs";
import { join } from "path";
import { SshHost } from "../../sdk/host/ssh";
import { useHostFactory } from "../../sdk/host/target";
import { createVxlan, deleteVxlan, readVxlan, updateVxlan } from "../../sdk/kernel/vxlan";
import { HostSpec } from "../../sdk/model/host-spec";
import { VxlanSpec, checkVxlan } from "../../sdk/model/vxlan";
import { EmulatedHost, EmulatedHosts } from "../support/emulated-host";
import { ROOT } from "../support/engine";
import { answersPing } from "../support/reach";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

/** A member on the machine: a namespace with `address`/24 on a veth whose other end is on br-ov. */
function member(machine: EmulatedHost, namespace: string, address: string): void {
    machine.run(["ip", "netns", "add", namespace]);
    machine.run(["ip", "link", "add", `v-${namespace}`, "type", "veth", "peer", "name", "eth0", "netns", namespace]);
    machine.run(["ip", "link", "set", `v-${namespace}`, "master", "br-ov", "up"]);
    machine.run(["ip", "-n", namespace, "addr", "add", `${address}/24`, "dev", "eth0"]);
    machine.run(["ip", "-n", namespace, "link", "set", "eth0", "up"]);
}

function pings(machine: EmulatedHost, from: string, to: string): boolean {
    return answersPing((argv) => machine.run(argv), from, to);
}

/**
 * VXLAN between two emulated machines over SSH: each machine's bridge gets
 * a Vxlan flooding to the other, and members on the two bridges share one
 * subnet. Traffic stays on the sandbox's underlay (198.51.100.0/24).
 */
describe("VXLAN overlay across two machines over SSH (root)", function () {
    this.timeout(120_000);
    let machines: EmulatedHosts;
    let restore: () => void = () => undefined;
    const opened: SshHost[] = [];
    const specFor = (machine: EmulatedHost, peers: string[], extra: Record<string, unknown> = {}): VxlanSpec => {
        const { spec, failures } = checkVxlan({
            host: { ssh: machine.ssh() },
            owner: "netplumb:itest/vxlan@0123456789ab/ov",
            adopt: false,
            name: "vx42",
            vni: 42,
            local: machine.address,
            peers,
            bridge: "br-ov",
            ...extra,
        });
        assert.deepEqual(failures, []);
        return spec;
    };

    before(async function () {
        requireOrSkip(this, isRoot(), "emulated machines need root (namespaces, mounts)");
        requireOrSkip(this, existsSync(join(ROOT, ".tools", "openssh", "usr", "sbin", "sshd")), "sshd is not unpacked: run npm run setup");
        requireOrSkip(this, hasCommand("ssh-keygen"), "ssh-keygen (openssh-client) is not installed");
        machines = new EmulatedHosts(2);
        await machines.start();
        restore = useHostFactory((spec: HostSpec) => {
            const host = new SshHost(spec.ssh!, (address, port) => machines.connectFromControl(address, port));
            opened.push(host);
            return host;
        });
        for (const [i, machine] of machines.hosts.entries()) {
            machine.run(["ip", "link", "add", "br-ov", "type", "bridge"]);
            machine.run(["ip", "link", "set", "br-ov", "up"]);
            member(machine, "ov-m", `203.0.113.${10 * (i + 1)}`);
        }
    });

    after(async () => {
        restore();
        for (const host of opened) host.close();
        await machines?.destroy();
    });

    it("members on two machines reach each other once each bridge has a VXLAN end flooding to the other", async () => {
        const [a, b] = machines.hosts;
        assert.ok(!pings(a, "ov-m", "203.0.113.20"), "no overlay, no path");
        await createVxlan(specFor(a, [b.address]));
        await createVxlan(specFor(b, [a.address]));
        assert.ok(pings(a, "ov-m", "203.0.113.20"));
        assert.ok(pings(b, "ov-m", "203.0.113.10"));
        const live = await readVxlan(specFor(a, [b.address]));
        assert.deepEqual(live && { mtu: live.mtu, bridge: live.bridge, peers: live.peers }, { mtu: 1450, bridge: "br-ov", peers: [b.address] });
        assert.match(a.run(["ip", "-d", "link", "show", "vx42"]), /vxlan id 42 local 198\.51\.100\.11 .*dstport 4789 nolearning/s);
    });

    it("an FDB entry removed behind netplumb's back shows as drift and the update puts back only that entry", async () => {
        const [a, b] = machines.hosts;
        a.run(["bridge", "fdb", "del", "00:00:00:00:00:00", "dev", "vx42", "dst", b.address]);
        assert.deepEqual((await readVxlan(specFor(a, [b.address])))?.peers, []);
        await updateVxlan(specFor(a, [b.address]));
        assert.deepEqual((await readVxlan(specFor(a, [b.address])))?.peers, [b.address]);
        assert.ok(pings(a, "ov-m", "203.0.113.20"));
    });

    it("a peer dropped from the list stops the flooding to it; another device of the name is refused", async () => {
        const [a, b] = machines.hosts;
        await updateVxlan(specFor(a, []));
        assert.doesNotMatch(a.run(["bridge", "fdb", "show", "dev", "vx42"]), /dst/);
        await updateVxlan(specFor(a, [b.address]));
        await assert.rejects(createVxlan(specFor(a, [b.address], { vni: 43 })), /exists with VNI 42, port 4789, local 198\.51\.100\.11, not what is declared/);
    });

    it("delete removes each end; a second delete is a no-op", async () => {
        for (const [i, machine] of machines.hosts.entries()) {
            const spec = specFor(machine, [machines.hosts[1 - i].address]);
            await deleteVxlan(spec);
            await deleteVxlan(spec);
            assert.doesNotMatch(machine.run(["ip", "link", "show"]), /vx42/);
        }
        assert.ok(!pings(machines.hosts[0], "ov-m", "203.0.113.20"));
    });
});

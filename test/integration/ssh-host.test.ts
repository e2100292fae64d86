import { strict as assert } from "assert";
import { existsSync } from "fs";
import { join } from "path";
import * as members from "../../sdk/kernel/lab-member";
import { STORE } from "../../sdk/kernel/allocation";
import { createNamespace, deleteNamespace, readNamespace } from "../../sdk/kernel/namespace";
import { checkLabMember } from "../../sdk/model/lab-member";
import { CommandError } from "../../sdk/host/errors";
import { SshHost } from "../../sdk/host/ssh";
import { useHostFactory } from "../../sdk/host/target";
import { HostSpec } from "../../sdk/model/host-spec";
import { SshSpec } from "../../sdk/model/ssh-spec";
import { EmulatedHosts } from "../support/emulated-host";
import { ROOT } from "../support/engine";
import { hasCommand, isRoot, requireOrSkip } from "../support/suite";

/**
 * SshHost against Debian's real sshd on two emulated machines (each its own
 * network and mount namespace), reached from a control namespace on their
 * underlay. Everything runs inside the sandbox.
 */
describe("SSH hosts: real sshd on emulated machines", function () {
    this.timeout(120_000);
    let lab: EmulatedHosts;
    const opened: SshHost[] = [];
    const hostOver = (spec: SshSpec) => {
        const host = new SshHost(spec, (address, port) => lab.connectFromControl(address, port));
        opened.push(host);
        return host;
    };

    before(async function () {
        requireOrSkip(this, isRoot(), "emulated hosts need root (namespaces, mounts)");
        requireOrSkip(this, existsSync(join(ROOT, ".tools", "openssh", "usr", "sbin", "sshd")), "sshd is not unpacked: run npm run setup");
        requireOrSkip(this, hasCommand("ssh-keygen"), "ssh-keygen (openssh-client) is not installed");
        lab = new EmulatedHosts(2, (i) => (i === 2 ? ["MaxSessions 2"] : []));
        await lab.start();
    });

    after(async () => {
        for (const host of opened) host.close();
        await lab?.destroy();
    });

    it("runs argv there: the command sees that machine's interfaces, gets its input, and keeps hostile words whole", async () => {
        const [h1] = lab.hosts;
        const host = hostOver(h1.ssh());
        const addresses = JSON.parse((await host.exec(["ip", "-j", "-4", "addr", "show", "dev", "eth0"])).stdout) as Array<{
            addr_info: Array<{ local: string }>;
        }>;
        assert.equal(addresses[0].addr_info[0].local, h1.address);
        assert.equal((await host.exec(["cat"], { input: "line one\nline two\n" })).stdout, "line one\nline two\n");
        const hostile = ["a b", "it's", "$(touch /tmp/pwned)", "`id`", "x;y", "*", "\n", "", "é💥"];
        const printed = (await host.exec(["printf", "%s\\0", ...hostile])).stdout;
        assert.deepEqual(printed.split("\0").slice(0, -1), hostile);
        const failed = await host.exec(["ip", "link", "show", "dev", "nope0"]);
        assert.notEqual(failed.code, 0);
        assert.match(failed.stderr, /does not exist/, "messages come untranslated (LC_ALL=C)");
    });

    it("reuses one connection for many commands, in parallel, within what sshd takes (10 sessions by default; 2 on the second host)", async () => {
        for (const open of opened) open.close();
        for (const machine of lab.hosts) {
            const host = hostOver(machine.ssh());
            const results = await Promise.all(Array.from({ length: 20 }, (_, i) => host.exec(["echo", String(i)])));
            assert.deepEqual(
                results.map((r) => r.stdout.trim()),
                Array.from({ length: 20 }, (_, i) => String(i)),
            );
            assert.equal(machine.connections(), 1, "one connection");
        }
    });

    it("a namespace made on one machine lives in that machine only; two machines may use one name", async () => {
        const [h1, h2] = lab.hosts;
        const restore = useHostFactory((spec: HostSpec) => hostOver(spec.ssh!));
        const name = `${lab.sandbox.tag}-same`;
        const spec = (ssh: SshSpec) => ({ name, host: { ssh }, owner: "netplumb:itest/ssh/same", adopt: false });
        try {
            await createNamespace(spec(h1.ssh()));
            await createNamespace(spec(h2.ssh()));
            assert.ok(await readNamespace(spec(h1.ssh())));
            assert.ok(await readNamespace(spec(h2.ssh())));
            assert.match(h1.run(["ip", "netns", "list"]), new RegExp(name));
            assert.ok(!existsSync(join("/run/netns", name)), "not on the machine running the tests");
            await deleteNamespace(spec(h1.ssh()));
            assert.equal(await readNamespace(spec(h1.ssh())), undefined);
            assert.ok(await readNamespace(spec(h2.ssh())), "deleting it on one machine leaves the other's");
            await deleteNamespace(spec(h2.ssh()));
        } finally {
            restore();
        }
    });

    it("refuses a server whose host key is not the pinned one, naming both fingerprints", async () => {
        const [h1, h2] = lab.hosts;
        await assert.rejects(hostOver(h1.ssh({ hostKey: h2.hostKey })).exec(["true"]), (error: Error) => {
            assert.match(
                error.message,
                new RegExp(
                    `^ssh root@${h1.address.replace(/\./g, "\\.")}:22: host key mismatch: the server offered SHA256:\\S+, hostKey pins SHA256:\\S+; if the machine was reinstalled`,
                ),
            );
            return true;
        });
    });

    it("says when the key is refused, and when nothing listens", async () => {
        const [h1, h2] = lab.hosts;
        await assert.rejects(
            hostOver(h1.ssh({ privateKey: h2.clientKey })).exec(["true"]),
            /ssh root@198\.51\.100\.11:22: the server refused user root with the privateKey given/,
        );
        await assert.rejects(
            hostOver(h1.ssh({ port: 2222, dialErrorLimit: 1 })).exec(["true"]),
            /ssh root@198\.51\.100\.11:2222: connection refused; check that sshd runs there and listens on port 2222/,
        );
    });

    it("a connection dropped mid-command fails that command naming the host; after sshd is back the next command dials again", async () => {
        const h2 = lab.hosts[1];
        const host = hostOver(h2.ssh({ dialErrorLimit: 1 }));
        await host.exec(["true"]);
        // Its outcome is taken at once (a rejection nobody awaits yet would be reported as unhandled).
        const running = host.exec(["sleep", "30"]).then(
            () => undefined,
            (error: Error) => error,
        );
        // Cut the connection only once the command runs there, however long that takes on a busy machine.
        for (let waited = 0; !h2.runs(["sleep", "30"]); waited += 20) {
            if (waited > 30_000) throw new Error("sleep 30 did not start on the machine");
            await new Promise((r) => setTimeout(r, 20));
        }
        await h2.stopSshd();
        const error = await running;
        assert.ok(error && !(error instanceof CommandError), "the command failed, and not as a command's own failure");
        assert.match(error.message, /^ssh root@198\.51\.100\.12:22: the connection closed before sleep 30 finished; run up again/);
        await assert.rejects(host.exec(["true"]), /ssh root@198\.51\.100\.12:22: connection refused/);
        await h2.startSshd();
        assert.equal((await host.exec(["echo", "back"])).stdout, "back\n");
    });

    it("a lab member over SSH: every part made on that machine (its /etc/netns and claim store), read back clean, drift seen, removed", async () => {
        const [h1] = lab.hosts;
        const restore = useHostFactory((spec: HostSpec) => hostOver(spec.ssh!));
        h1.run(["ip", "link", "add", "br0", "type", "bridge"]);
        h1.run(["ip", "address", "add", "203.0.113.1/24", "dev", "br0"]);
        h1.run(["ip", "link", "set", "br0", "up"]);
        const namespace = `${lab.sandbox.tag}-blue`;
        const checked = checkLabMember({
            host: { ssh: h1.ssh() },
            owner: `netplumb:itest/ssh/m-${lab.sandbox.tag}`,
            adopt: false,
            pool: `itest_${lab.sandbox.tag}`,
            subnet: "203.0.113.0/24",
            gateway: "203.0.113.1",
            member: "blue",
            namespace,
            hostInterface: `vb${lab.sandbox.tag}`,
            interface: "eth0",
            bridge: "br0",
            mtu: 1400,
            table: "netplumb_itest_ssh",
            chains: "lab_blue",
            egress: [{ protocol: "tcp", ports: [80] }],
            ingress: "allow",
            nameservers: ["203.0.113.53"],
            search: [],
        });
        assert.deepEqual(checked.failures, []);
        try {
            const state = await members.createLabMember(checked.spec);
            assert.equal(state.allocated, "203.0.113.2");
            assert.match(h1.run(["ip", "-n", namespace, "route", "show", "default"]), /via 203\.0\.113\.1 dev eth0/);
            assert.match(h1.run(["ip", "link", "show", `vb${lab.sandbox.tag}`]), /master br0/);
            assert.match(h1.run(["nft", "list", "table", "inet", "netplumb_itest_ssh"]), /lab_blue/);
            assert.match(h1.run(["cat", `/etc/netns/${namespace}/resolv.conf`]), /nameserver 203\.0\.113\.53/);
            assert.ok(!existsSync(`/etc/netns/${namespace}`), "the file is on that machine, not this one");
            assert.match(h1.run(["ls", "-R", `${STORE}/itest_${lab.sandbox.tag}`]), /203\.0\.113\.2/, "the claim is in that machine's store");
            assert.ok(!existsSync(`${STORE}/itest_${lab.sandbox.tag}`));
            assert.equal((await members.readLabMember(state))?.drift, undefined);
            h1.run(["ip", "-n", namespace, "route", "del", "default"]);
            assert.match((await members.readLabMember(state))?.drift ?? "", /default route via 203\.0\.113\.1 is missing/);
            await members.deleteLabMember(state);
            assert.doesNotMatch(h1.run(["ip", "netns", "list"]), new RegExp(namespace));
            assert.throws(() => h1.run(["ls", `/etc/netns/${namespace}`]), /No such file/);
            assert.throws(() => h1.run(["ls", `${STORE}/itest_${lab.sandbox.tag}`]), /No such file/, "the address is released");
        } finally {
            restore();
        }
    });

    it("members on two machines claim from one address store (the segment's), so no address is handed out twice", async () => {
        const [h1, h2] = lab.hosts;
        const restore = useHostFactory((spec: HostSpec) => hostOver(spec.ssh!));
        h2.run(["ip", "link", "add", "br0", "type", "bridge"]);
        h2.run(["ip", "link", "set", "br0", "up"]);
        const pool = `seg_${lab.sandbox.tag}`;
        const memberOn = (machine: typeof h1, name: string) => {
            const checked = checkLabMember({
                host: { ssh: machine.ssh() },
                addressStore: { ssh: h1.ssh() },
                owner: `netplumb:itest/ssh/s-${name}-${lab.sandbox.tag}`,
                adopt: false,
                pool,
                subnet: "203.0.113.0/24",
                gateway: "203.0.113.1",
                member: name,
                namespace: `${lab.sandbox.tag}-${name}`,
                hostInterface: `v${name}${lab.sandbox.tag}`,
                interface: "eth0",
                bridge: "br0",
                table: "netplumb_itest_seg",
                chains: `seg_${name}`,
                egress: "allow",
                ingress: "allow",
                nameservers: [],
                search: [],
            });
            assert.deepEqual(checked.failures, []);
            return checked.spec;
        };
        try {
            const a = await members.createLabMember(memberOn(h1, "sa"));
            const b = await members.createLabMember(memberOn(h2, "sb"));
            assert.deepEqual([a.allocated, b.allocated], ["203.0.113.2", "203.0.113.3"], "the second machine's member gets the next free address");
            assert.deepEqual(
                h1
                    .run(["ls", `${STORE}/${pool}`])
                    .split("\n")
                    .filter((n) => /^\d/.test(n)),
                ["203.0.113.2", "203.0.113.3"],
            );
            assert.throws(() => h2.run(["ls", `${STORE}/${pool}`]), /No such file/, "nothing in the second machine's own store");
            assert.match(h2.run(["ip", "-n", `${lab.sandbox.tag}-sb`, "addr", "show", "eth0"]), /203\.0\.113\.3\/24/);
            assert.equal((await members.readLabMember(b))?.drift, undefined, "refresh reads the claim where it is");
            await members.deleteLabMember(b);
            await members.deleteLabMember(a);
            assert.throws(() => h1.run(["ls", `${STORE}/${pool}`]), /No such file/, "both released");
        } finally {
            restore();
        }
    });
});

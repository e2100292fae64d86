import { strict as assert } from "assert";
import { existsSync } from "fs";
import { join } from "path";
import { EmulatedHost, EmulatedHosts } from "../support/emulated-host";
import { ROOT, hasPulumi } from "../support/engine";
import { answersPing } from "../support/reach";
import { SshLabProject } from "../support/ssh-project";
import { hasCommand, isRoot, requireOrSkip, runTag } from "../support/suite";

/** What netplumb leaves on a machine: its namespaces, nft tables, /etc/netns entries and address claims. */
function leftovers(machine: EmulatedHost) {
    const listed = (argv: string[]) => {
        try {
            return machine.run(argv).split("\n").filter(Boolean).sort();
        } catch {
            return []; // the directory is gone
        }
    };
    return {
        namespaces: listed(["ip", "netns", "list"]),
        tables: listed(["nft", "list", "tables"]).filter((t) => t.includes("netplumb")),
        netnsFiles: listed(["ls", "-A", "/etc/netns"]),
        claims: listed(["ls", "-A", "/var/lib/netplumb/ipam"]),
        ifbs: listed(["ip", "-o", "link", "show", "type", "ifb"]),
    };
}

function addressOf(machine: EmulatedHost, namespace: string): string {
    const [link] = JSON.parse(machine.run(["ip", "-n", namespace, "-j", "-4", "addr", "show", "dev", "eth0"])) as Array<{
        addr_info: Array<{ local: string }>;
    }>;
    return link.addr_info[0].local;
}

const pings = (machine: EmulatedHost, from: string, to: string) => answersPing((argv) => machine.run(argv), from, to);

describe("e2e: a lab on two machines reached over SSH (real CLI, packed tarball, Debian's sshd)", function () {
    this.timeout(10 * 60 * 1000);
    let machines: EmulatedHosts;
    let project: SshLabProject;
    let untouched: ReturnType<typeof leftovers>[];

    before(async function () {
        requireOrSkip(this, isRoot(), "emulated machines need root (namespaces, mounts)");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        requireOrSkip(this, existsSync(join(ROOT, ".tools", "openssh", "usr", "sbin", "sshd")), "sshd is not unpacked: run npm run setup");
        requireOrSkip(this, hasCommand("ssh-keygen"), "ssh-keygen (openssh-client) is not installed");
        machines = new EmulatedHosts(2);
        await machines.start();
        untouched = machines.hosts.map(leftovers);
        project = new SshLabProject(machines, `ssh-${runTag()}`);
    });

    after(async () => {
        project?.dispose();
        await machines?.destroy();
    });

    let upOutput = "";
    it("up builds each machine's lab there, with its policy", () => {
        upOutput = project.ok("up", "--yes", "--skip-preview");
        for (const machine of machines.hosts) {
            assert.deepEqual(
                leftovers(machine).namespaces.map((n) => n.split(" ")[0]),
                ["lab-blue", "lab-red"],
                "the same names on both machines",
            );
            assert.ok(pings(machine, "lab-red", "203.0.113.1"), "red reaches its gateway");
            assert.ok(!pings(machine, "lab-red", addressOf(machine, "lab-blue")), "blue's ingress is deny");
            const shaped = JSON.parse(machine.run(["tc", "-j", "qdisc", "show"])) as Array<{ kind: string; dev: string; options?: { rate?: number } }>;
            assert.ok(
                shaped.some((q) => q.kind === "tbf" && q.dev.startsWith("ifb-") && q.options?.rate === 1_250_000),
                "red's egress is shaped to 10 Mbit/s on an IFB device of that machine",
            );
        }
    });

    it("a second preview changes nothing", () => {
        assert.deepEqual(project.changes(), []);
    });

    it("the private keys are secrets: encrypted in state, never printed, also after a refresh", () => {
        const refreshOutput = project.ok("refresh", "--yes", "--skip-preview");
        assert.deepEqual(project.changes(), [], "refresh over SSH finds nothing changed");
        const state = project.ok("stack", "export");
        const cliOutput = `${upOutput}\n${refreshOutput}\n${project.ok("preview", "--diff")}`;
        for (const machine of machines.hosts) {
            const keyBody = machine.clientKey.split("\n").filter((l) => l && !l.startsWith("-----"));
            for (const line of keyBody) {
                assert.ok(!state.includes(line), "no line of a private key is in the exported state");
                assert.ok(!cliOutput.includes(line), "nor in the CLI's output");
            }
        }
        assert.match(state, /"privateKey":\s*\{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/);
    });

    it("a machine whose sshd is down fails the up naming it; once sshd is back the next up converges", async () => {
        const [, h2] = machines.hosts;
        project.ok(
            "config",
            "set",
            "members",
            JSON.stringify({
                red: { egress: "allow", shaping: { egress: { rate: "10mbit" } } },
                blue: { egress: [{ protocol: "tcp", ports: [80] }], ingress: "deny" },
                green: {},
            }),
        );
        await h2.stopSshd();
        const failed = project.run(["up", "--yes", "--skip-preview"]);
        assert.notEqual(failed.code, 0);
        assert.match(failed.out, new RegExp(`ssh root@${h2.address.replace(/\./g, "\\.")}:22: connection refused`));
        await h2.startSshd();
        project.ok("up", "--yes", "--skip-preview");
        for (const machine of machines.hosts)
            assert.deepEqual(
                leftovers(machine).namespaces.map((n) => n.split(" ")[0]),
                ["lab-blue", "lab-green", "lab-red"],
            );
        assert.deepEqual(project.changes(), []);
    });

    it("destroy leaves each machine as it was", () => {
        project.ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(machines.hosts.map(leftovers), untouched);
    });
});

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import fc from "fast-check";
import { benchTopology, scriptFor } from "../../bench/baselines";
import { hostOperations, labOperations, memberOperations, shellLine, shellWord } from "../../bench/operations";
import { spreadMembers } from "../../bench/multihost";
import { playbook } from "../../bench/peers";
import { planMultiHost } from "../../sdk/model/multi-host";

describe("bench: the peers run the same operations (script, Ansible playbook, one resource per command)", () => {
    it("a word quoted for bash reaches the command unchanged, whatever its bytes (fast-check, fixed seed)", () => {
        const words = fc.array(
            fc.string({ unit: "binary", minLength: 0, maxLength: 12 }).filter((w) => !w.includes("\0")),
            { minLength: 1, maxLength: 4 },
        );
        fc.assert(
            fc.property(words, (argv) => {
                const script = `printf '%s\\0' ${argv.map(shellWord).join(" ")}`;
                const out = execFileSync("bash", ["-c", script], { encoding: "utf8" });
                assert.deepEqual(out.split("\0").slice(0, -1), argv);
            }),
            { seed: 20261128, numRuns: 60 },
        );
    });

    it("the script runs every operation once, in order, and bash accepts it", () => {
        const members = benchTopology("nbx", 3);
        const operations = labOperations("nbx-host", members).flat();
        assert.equal(
            operations.length,
            hostOperations("nbx-host").length + 3 * memberOperations("nbx-host", members[0]).length + members.flatMap((m) => m.rules).length,
        );
        const script = scriptFor("nbx", members);
        let at = script.indexOf("set -e\n");
        assert.equal(at, 0);
        for (const op of operations) {
            const next = script.indexOf(`\n${shellLine(op)}\n`, at);
            assert.ok(next >= at, shellLine(op));
            at = next + 1;
        }
        execFileSync("bash", ["-n"], { input: script });
        assert.equal(shellLine({ directory: "/etc/netns/a b" }), "mkdir -p '/etc/netns/a b'");
    });

    it("the playbook has the host's tasks, one task per member operation looped over the members, and one looped over every rule", () => {
        const members = benchTopology("nbx", 4);
        const [play] = playbook("nbx-host", members) as Array<{ vars: { members: unknown[]; rules: string[] }; tasks: Array<Record<string, unknown>> }>;
        const memberTasks = memberOperations("nbx-host", members[0]).length;
        assert.equal(play.tasks.length, hostOperations("nbx-host").length + memberTasks + 1);
        assert.deepEqual(
            play.vars.rules,
            members.flatMap((m) => m.rules),
        );
        assert.equal(play.vars.members.length, 4);
        const looped = play.tasks.slice(hostOperations("nbx-host").length);
        assert.ok(looped.slice(0, memberTasks).every((t) => t.loop === "{{ members }}"));
        assert.equal(looped[memberTasks].loop, "{{ rules }}");
        assert.deepEqual(looped[0], { "ansible.builtin.command": { argv: ["ip", "netns", "add", "{{ item.namespace }}"] }, loop: "{{ members }}" });
        assert.ok(looped.some((t) => "ansible.builtin.copy" in t) && looped.some((t) => "ansible.builtin.file" in t));
    });
});

describe("bench: the 3-host lab", () => {
    it("spreads the members round-robin over h1..h3, a third with an egress allow-list, valid for MultiHostLab", () => {
        const members = spreadMembers(10);
        const hosts = Object.values(members).map((m) => m.host);
        assert.deepEqual(
            [1, 2, 3].map((i) => hosts.filter((h) => h === `h${i}`).length),
            [4, 3, 3],
        );
        assert.equal(Object.values(members).filter((m) => m.egress).length, 3);
        const { failures } = planMultiHost("mh", {
            underlay: { h1: "198.51.100.11", h2: "198.51.100.12", h3: "198.51.100.13" },
            overlay: { vni: 4200 },
            bridge: { name: "br-mh", cidr: "203.0.113.0/26" },
            members: members as never,
        });
        assert.deepEqual(failures, []);
    });
});

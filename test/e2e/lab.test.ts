import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { PreviewStep, changedLeaves, hasPulumi, nameOf, previewSteps, pulumiOk, summarize } from "../support/engine";
import { LabProject } from "../support/lab-project";
import { namespaces } from "../support/sandbox";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { previewAsUnprivilegedOwner } from "../support/unprivileged";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

const blueWeb = [{ protocol: "tcp", ports: [80, 443] }];
const members = (extra: Record<string, unknown> = {}, blue: unknown = blueWeb) =>
    JSON.stringify({
        red: { egress: "allow", portForwards: [{ hostPort: 8080, port: 80 }] },
        blue: { egress: blue },
        green: { egress: "deny", ingress: "deny" },
        ...extra,
    });

type Step = [string, string, string[]];

/**
 * A LabMembers update as one step per member it changes
 * (`[<prefix>-<member>, create|update|delete, changed properties]`), the
 * form a LabMember resource's step has, so both member modes read alike.
 */
function perMember(step: PreviewStep, prefix: string): Step[] {
    const olds = (step.oldState?.inputs?.members ?? {}) as Record<string, unknown>;
    const news = (step.newState?.inputs?.members ?? {}) as Record<string, unknown>;
    const changed = new Map<string, Set<string>>();
    for (const leaf of changedLeaves(olds, news)) {
        const [member, property] = leaf.split(/[.[]/);
        const props = changed.get(member) ?? new Set<string>();
        if (property !== undefined) props.add(property);
        changed.set(member, props);
    }
    const op = (m: string) => (!(m in olds) ? "create" : !(m in news) ? "delete" : "update");
    return [...changed].map(([m, props]): Step => [`${prefix}-${m}`, op(m), [...props].sort()]);
}

/** The preview's steps as [name, op, changed inputs], a LabMembers update split per member. */
function memberSteps(project: string, prefix: string): Step[] {
    const split = (s: PreviewStep) => (s.op === "update" && nameOf(s.urn) === `${prefix}-members` ? perMember(s, prefix) : summarize([s]));
    return previewSteps(project).flatMap(split).sort();
}

for (const mode of ["each", "one"] as const) labSuite(mode);

function labSuite(mode: "each" | "one"): void {
    describe(`e2e: the sandboxed lab (LabNetwork, memberResources "${mode}") with the real pulumi CLI`, function () {
        this.timeout(10 * 60 * 1000);
        const prefix = `nl${mode === "one" ? "o" : ""}${runTag()}`;
        const hostNs = `${prefix}-host`;
        let lab: LabProject;
        let project = "";
        let baseline: MachineSnapshot;
        let table = "";

        const check = () => lab.check();
        const steps = () => memberSteps(project, prefix);
        const ops = () => steps().map(([name, op]) => `${op} ${name}`);

        before(function () {
            requireOrSkip(this, isRoot(), "the lab builds network namespaces and nftables rules, which needs root");
            requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
            baseline = machineSnapshot();
            lab = new LabProject(prefix, JSON.parse(members()), baseline, { memberResources: mode });
            project = lab.dir;
        });

        after(() => lab?.dispose());

        /** The kernel's index of a link in the lab's host namespace: a recreated link has a new one. */
        const hostLink = (name: string) =>
            (JSON.parse(execFileSync("ip", ["-n", hostNs, "-j", "link", "show", name], { encoding: "utf8" })) as Array<{ ifindex: number }>)[0].ifindex;

        it("up builds the lab and the matrix matches the policy", () => {
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            table = JSON.parse(lab.ok("stack", "output", "table", "--json"));
            const result = check();
            assert.equal(result.code, 0, result.out);
            assert.match(result.out, /all 18 checks match the declared policy/);
        });

        it("a preview by an unprivileged CI user who owns a copy of the project and state succeeds and reports no changes", () => {
            const result = previewAsUnprivilegedOwner(lab);
            assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
            assert.match(result.stdout, /\d+ unchanged/);
            assert.doesNotMatch(result.stdout, /\d+ to (create|update|delete|replace)/);
        });

        it("a port forward on the uplink reaches the member's server", async () => {
            const server: ChildProcess = spawn(
                "ip",
                ["netns", "exec", `${prefix}-red`, process.execPath, "-e", "require('net').createServer((s) => s.end('red says hi')).listen(80)"],
                { stdio: "ignore" },
            );
            try {
                await new Promise((r) => setTimeout(r, 500));
                const reply = execFileSync(
                    "ip",
                    [
                        "netns",
                        "exec",
                        `${prefix}-inet`,
                        process.execPath,
                        "-e",
                        "const s=require('net').connect(8080,'203.0.113.2');s.setTimeout(2000,()=>process.exit(3));s.on('data',(d)=>{process.stdout.write(d);process.exit(0)})",
                    ],
                    { encoding: "utf8" },
                );
                assert.equal(reply, "red says hi");
            } finally {
                server.kill();
            }
        });

        it("allowing blue TCP 22 previews as one update of that member, applies, and shows in the matrix", () => {
            pulumiOk(project, ["config", "set", "members", members({}, [{ protocol: "tcp", ports: [80, 443, 22] }])]);
            assert.deepEqual(steps(), [[`${prefix}-blue`, "update", ["egress"]]], "exactly the property that changes");
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            const result = check();
            assert.equal(result.code, 0, result.out);
            assert.match(result.out, /blue .*✓ allow\/allow +✓ allow\/allow +✓ allow\/allow +✓ deny\/deny/);
        });

        it("adding a member creates only that member's resources", () => {
            pulumiOk(project, ["config", "set", "members", members({ yellow: { egress: "deny" } }, [{ protocol: "tcp", ports: [80, 443, 22] }])]);
            assert.deepEqual(ops(), [`create ${prefix}-yellow`]);
            const redInterface = (JSON.parse(lab.ok("stack", "output", "members", "--json")) as Record<string, { hostInterface: string }>).red.hostInterface;
            const redPort = hostLink(redInterface);
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            assert.equal(hostLink(redInterface), redPort, "red's veth is the same link (not recreated)");
            {
                const r = check();
                assert.equal(r.code, 0, r.out);
            }
            assert.ok(namespaces().includes(`${prefix}-yellow`));
        });

        it("removing it deletes only its resources and keeps the others' addresses", () => {
            const before = JSON.parse(pulumiOk(project, ["stack", "output", "members", "--json"]));
            pulumiOk(project, ["config", "set", "members", members({}, [{ protocol: "tcp", ports: [80, 443, 22] }])]);
            assert.deepEqual(ops(), [`delete ${prefix}-yellow`]);
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            const after = JSON.parse(pulumiOk(project, ["stack", "output", "members", "--json"]));
            for (const m of ["red", "blue", "green"]) assert.equal(after[m].address, before[m].address, m);
            assert.ok(!namespaces().includes(`${prefix}-yellow`));
            assert.ok(!existsSync(`/etc/netns/${prefix}-yellow`));
        });

        it("a flushed nft table is reported by refresh and restored by up", () => {
            execFileSync("ip", ["netns", "exec", hostNs, "nft", "flush", "table", "inet", table]);
            const refresh = pulumiOk(project, ["refresh", "--yes", "--skip-preview", "--diff"]);
            assert.match(refresh, /\+ drift\s*: "chain \w+_forward holds 0 rule\(s\), expected \d"/);
            const steps = ops();
            assert.ok(steps.includes(`update ${prefix}-blue`) && steps.includes(`update ${prefix}-nat`), steps.join(", "));
            assert.ok(
                steps.every((s) => s.startsWith("update ")),
                steps.join(", "),
            );
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            assert.match(execFileSync("ip", ["netns", "exec", hostNs, "nft", "list", "table", "inet", table], { encoding: "utf8" }), /masquerade/);
            {
                const r = check();
                assert.equal(r.code, 0, r.out);
            }
            assert.deepEqual(ops(), []);
        });

        it("an edited resolv.conf and a changed address are reported by refresh and repaired by up", () => {
            const members = JSON.parse(pulumiOk(project, ["stack", "output", "members", "--json"]));
            writeFileSync(`/etc/netns/${prefix}-blue/resolv.conf`, "nameserver 192.0.2.99\n");
            execFileSync("ip", ["-n", `${prefix}-red`, "addr", "del", `${members.red.address}/24`, "dev", "eth0"]);
            execFileSync("ip", ["-n", `${prefix}-red`, "addr", "add", "198.51.100.250/24", "dev", "eth0"]);
            pulumiOk(project, ["refresh", "--yes", "--skip-preview"]);
            assert.deepEqual(steps(), [
                [`${prefix}-blue`, "update", ["nameservers", "search"]],
                [`${prefix}-red`, "update", ["drift"]],
            ]);
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            assert.match(readFileSync(`/etc/netns/${prefix}-blue/resolv.conf`, "utf8"), /nameserver 203.0.113.1/);
            {
                const r = check();
                assert.equal(r.code, 0, r.out);
            }
            assert.deepEqual(ops(), []);
        });

        it("switching the deployed lab to the other member mode fails at up naming a taken namespace, and changes nothing", () => {
            const other = mode === "each" ? "one" : "each";
            const ruleset = () => execFileSync("ip", ["netns", "exec", hostNs, "nft", "list", "ruleset"], { encoding: "utf8" });
            const before = { machine: machineSnapshot(), rules: ruleset() };
            pulumiOk(project, ["config", "set", "memberResources", other]);
            const up = lab.run("up", "--yes", "--skip-preview");
            assert.notEqual(up.code, 0, up.stdout);
            assert.match(`${up.stdout}\n${up.stderr}`, new RegExp(`${prefix}-(red|blue|green)`));
            pulumiOk(project, ["config", "set", "memberResources", mode]);
            assert.deepEqual(ops(), [], "the stack still holds the lab as it was");
            assert.deepEqual({ machine: machineSnapshot(), rules: ruleset() }, before, "nothing on the machine or in the lab's rules changed");
            const r = check();
            assert.equal(r.code, 0, r.out);
        });

        it("destroy leaves no namespace, link, nft table or file behind, and sysctls as they were", () => {
            pulumiOk(project, ["destroy", "--yes", "--skip-preview"]);
            assert.deepEqual(machineSnapshot(), baseline);
        });
    });
}

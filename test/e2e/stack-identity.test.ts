import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { parseOwnerTag } from "../../sdk/model/ownership";
import { ROOT, hasPulumi, pulumi, pulumiOk } from "../support/engine";
import { LabProject } from "../support/lab-project";
import { removeLeftovers } from "../support/leftovers";
import { ip, namespaces } from "../support/sandbox";
import { MachineSnapshot, machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

/** The owner tag of a namespace (its loopback's alias). */
const tagOf = (ns: string) => (JSON.parse(ip("-n", ns, "-j", "link", "show", "dev", "lo")) as Array<{ ifalias?: string }>)[0].ifalias ?? "";
const nftTables = (ns: string) => execFileSync("ip", ["netns", "exec", ns, "nft", "list", "tables"], { encoding: "utf8" });

/**
 * Ownership across renames and same-named stacks: each stack gets an id at
 * its first `up`, kept in its state, and every tag, table and pool carries it.
 */
describe("e2e: stack identity - renames, aliases and two stacks of the same name", function () {
    this.timeout(15 * 60 * 1000);
    const tag = runTag();
    const backends = ["a", "b", "c"].map((x) => join(ROOT, ".tools", "e2e", `backend-${x}-${tag}`));
    const labs: LabProject[] = [];
    let baseline: MachineSnapshot;
    let a: LabProject;
    let b: LabProject;

    before(function () {
        requireOrSkip(this, isRoot(), "labs need root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        baseline = machineSnapshot();
        const stack = `twin-${tag}`;
        a = new LabProject(`ia${tag}`, { red: {}, blue: { egress: "deny" } }, baseline, { stack, backend: backends[0] });
        b = new LabProject(`ib${tag}`, { red: {} }, baseline, { stack, backend: backends[1] });
        labs.push(a, b);
    });

    after(() => {
        for (const lab of labs) lab.dispose();
        for (const dir of backends) rmSync(dir, { recursive: true, force: true });
    });

    it("two checkouts with a stack of the same name come up side by side, each with its own stack id", () => {
        a.ok("up", "--yes", "--skip-preview");
        b.ok("up", "--yes", "--skip-preview");
        assert.equal(a.check().code, 0, a.check().out);
        assert.equal(b.check().code, 0, b.check().out);
        const tagA = parseOwnerTag(tagOf(`${a.prefix}-red`));
        const tagB = parseOwnerTag(tagOf(`${b.prefix}-red`));
        assert.ok(tagA?.stackId && tagB?.stackId, `${tagOf(`${a.prefix}-red`)} / ${tagOf(`${b.prefix}-red`)}`);
        assert.deepEqual([tagA.project, tagA.stack], [tagB.project, tagB.stack], "same project and stack names");
        assert.notEqual(tagA.stackId, tagB.stackId);
        assert.match(nftTables(`${a.prefix}-host`), new RegExp(`table inet netplumb_netplumb_lab_twin_${tag}_${tagA.stackId}`));
    });

    it("the other checkout's stack cannot take over the first one's objects, and its destroy leaves them alone", () => {
        const intruder = new LabProject(`ic${tag}`, { red: {} }, baseline, { stack: a.stack, backend: backends[2] });
        labs.push(intruder);
        intruder.ok("config", "set", "prefix", a.prefix);
        const result = intruder.run("up", "--yes", "--skip-preview");
        assert.notEqual(result.code, 0, "the same names in a same-named stack are someone else's");
        assert.match(result.stdout + result.stderr, /already exists and belongs to another netplumb resource \(netplumb:netplumb-lab\/twin-\w+@[0-9a-f]{12}\//);
        intruder.ok("destroy", "--yes", "--skip-preview");
        assert.equal(a.check().code, 0, "the first stack's lab still works");
        assert.equal(a.run("preview", "--expect-no-changes").code, 0);
    });

    it("a renamed stack previews no change, changes nothing on the host and destroys cleanly under its new name", () => {
        const before = { red: tagOf(`${a.prefix}-red`), tables: nftTables(`${a.prefix}-host`) };
        a.ok("stack", "rename", `renamed-${tag}`);
        const preview = a.run("preview", "--expect-no-changes", "--diff");
        assert.equal(preview.code, 0, preview.stdout + preview.stderr);
        a.ok("up", "--yes", "--skip-preview");
        assert.deepEqual({ red: tagOf(`${a.prefix}-red`), tables: nftTables(`${a.prefix}-host`) }, before);
        a.ok("stack", "rename", a.stack);
        assert.equal(a.check().code, 0);
        a.ok("destroy", "--yes", "--skip-preview");
        assert.ok(!namespaces().some((n) => n.startsWith(`${a.prefix}-`)));
        assert.equal(b.check().code, 0, "the same-named stack in the other checkout is untouched");
    });

    it("resources renamed with aliases keep their objects: no change in preview, destroy removes everything", () => {
        const prefix = `id${tag}`;
        const stack = `alias-${tag}`;
        const project = join(ROOT, ".tools", "e2e", `basic-${prefix}`);
        mkdirSync(project, { recursive: true });
        cpSync(join(ROOT, "examples", "basic"), project, { recursive: true, filter: (src) => !src.includes("node_modules") && !/Pulumi\..+\.yaml$/.test(src) });
        execFileSync("bash", [join(ROOT, "scripts", "pack.sh"), project], { stdio: "ignore" });
        try {
            pulumiOk(project, ["stack", "init", stack]);
            pulumiOk(project, ["config", "set", "prefix", prefix]);
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            const before = { red: tagOf(`${prefix}-red`), host: tagOf(`${prefix}-host`) };
            const program = join(project, "index.ts");
            const renamed = readFileSync(program, "utf8")
                .replace(
                    'new Bridge("bridge", { host, name: "br0", addresses: [`${gateway}/24`], mtu });',
                    'new Bridge("lab-bridge", { host, name: "br0", addresses: [`${gateway}/24`], mtu }, { aliases: [{ name: "bridge" }] });',
                )
                .replace(
                    "new NetworkNamespace(member, { name: `${prefix}-${member}` });",
                    "new NetworkNamespace(`ns-${member}`, { name: `${prefix}-${member}` }, { aliases: [{ name: member }] });",
                );
            assert.notEqual(renamed, readFileSync(program, "utf8"), "the test's edit applies to the example");
            writeFileSync(program, renamed);
            const preview = pulumi(project, ["preview", "--expect-no-changes", "--diff"]);
            assert.equal(preview.code, 0, preview.stdout + preview.stderr);
            pulumiOk(project, ["up", "--yes", "--skip-preview"]);
            assert.deepEqual({ red: tagOf(`${prefix}-red`), host: tagOf(`${prefix}-host`) }, before);
            pulumiOk(project, ["destroy", "--yes", "--skip-preview"]);
            assert.ok(!namespaces().some((n) => n.startsWith(`${prefix}-`)));
        } finally {
            if (existsSync(project)) {
                pulumi(project, ["destroy", "--yes", "--skip-preview"]);
                pulumi(project, ["stack", "rm", "--yes", "--force", stack]);
                rmSync(project, { recursive: true, force: true });
            }
            removeLeftovers({ prefix, stacks: [stack] }, baseline);
        }
    });

    it("after every stack is destroyed the machine is as it was", () => {
        b.ok("destroy", "--yes", "--skip-preview");
        assert.deepEqual(machineSnapshot(), baseline);
    });
});

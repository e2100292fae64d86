import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { hasPulumi } from "../support/engine";
import { LabProject } from "../support/lab-project";
import { ip, links, namespaces } from "../support/sandbox";
import { machineSnapshot } from "../support/snapshot";
import { isRoot, requireOrSkip, runTag } from "../support/suite";

/** Links (name, MTU, MAC, alias, addresses) and routes of a namespace. */
function namespaceObjects(ns: string) {
    type Link = { ifname: string; mtu: number; address?: string; ifalias?: string; addr_info?: Array<{ local: string; prefixlen: number }> };
    const linksOf = JSON.parse(ip("-n", ns, "-j", "addr", "show")) as Link[];
    return {
        links: linksOf
            .map((l) => `${l.ifname} ${l.mtu} ${l.address ?? ""} ${l.ifalias ?? ""} ${(l.addr_info ?? []).map((x) => `${x.local}/${x.prefixlen}`).join(",")}`)
            .sort(),
        routes: ip("-n", ns, "route", "show", "table", "all").split("\n").sort(),
    };
}

/** Every namespace of both labs and the unmanaged one, with their objects, and each lab host's whole nft ruleset. */
function everythingOf(prefixes: string[], foreign: string) {
    const mine = namespaces().filter((n) => n === foreign || prefixes.some((p) => n.startsWith(`${p}-`)));
    return {
        namespaces: Object.fromEntries(mine.map((n) => [n, namespaceObjects(n)])),
        rulesets: Object.fromEntries(prefixes.map((p) => [p, nft(`${p}-host`, "list", "ruleset")])),
    };
}

const nft = (ns: string, ...args: string[]) => execFileSync("ip", ["netns", "exec", ns, "nft", ...args], { encoding: "utf8" });

describe("e2e: neighbours - two labs and unmanaged objects on one host", function () {
    this.timeout(10 * 60 * 1000);
    const tag = runTag();
    const labs: LabProject[] = [];
    let a: LabProject;
    let b: LabProject;
    let baseline: ReturnType<typeof machineSnapshot>;
    const foreignNs = `nx${tag}-foreign`;
    const everything = () => everythingOf([a.prefix, b.prefix], foreignNs);

    before(function () {
        requireOrSkip(this, isRoot(), "labs need root");
        requireOrSkip(this, hasPulumi(), "no pulumi CLI: run `npm run setup` first");
        baseline = machineSnapshot();
        a = new LabProject(`na${tag}`, { red: { egress: "allow" }, blue: { egress: "deny" } }, baseline);
        b = new LabProject(`nb${tag}`, { red: { egress: [{ protocol: "tcp", ports: [443] }] }, green: {} }, baseline);
        labs.push(a, b);
    });

    after(() => {
        for (const lab of labs) lab.dispose();
        if (namespaces().includes(foreignNs)) ip("netns", "del", foreignNs);
    });

    it("two stacks with different labs come up side by side and both pass their checks", () => {
        a.ok("up", "--yes", "--skip-preview");
        b.ok("up", "--yes", "--skip-preview");
        assert.equal(a.check().code, 0, a.check().out);
        assert.equal(b.check().code, 0, b.check().out);
    });

    it("objects netplumb did not create, and the other stack's, are not seen, changed or deleted", () => {
        ip("netns", "add", foreignNs);
        ip("-n", `${b.prefix}-host`, "link", "add", "br-other", "type", "bridge");
        nft(`${b.prefix}-host`, "add", "table", "inet", "other");
        nft(`${b.prefix}-host`, "add", "chain", "inet", "other", "c");
        const before = everything();
        for (const lab of [a, b]) {
            lab.ok("refresh", "--yes", "--skip-preview");
            assert.equal(lab.run("preview", "--expect-no-changes").code, 0);
            lab.ok("up", "--yes", "--skip-preview");
        }
        assert.deepEqual(everything(), before);
    });

    it("a name collision with another stack fails clearly and takes nothing over", () => {
        const intruder = new LabProject(`nc${tag}`, { red: {} }, baseline);
        labs.push(intruder);
        intruder.ok("config", "set", "prefix", b.prefix);
        const result = intruder.run("up", "--yes", "--skip-preview");
        assert.notEqual(result.code, 0);
        assert.match(
            result.stdout + result.stderr,
            /already exists and belongs to another netplumb resource \(netplumb:netplumb-lab\/lab-nb\w+@[0-9a-f]{12}\//,
        );
        intruder.run("destroy", "--yes", "--skip-preview");
        {
            const r = b.check();
            assert.equal(r.code, 0, `the other stack still works: ${r.out}`);
        }
        assert.equal(b.run("preview", "--expect-no-changes").code, 0);
    });

    it("destroying one stack leaves the other and the unmanaged objects as they were", () => {
        a.ok("destroy", "--yes", "--skip-preview");
        assert.ok(!namespaces().some((n) => n.startsWith(`${a.prefix}-`)));
        {
            const r = b.check();
            assert.equal(r.code, 0, r.out);
        }
        assert.ok(namespaces().includes(foreignNs));
        assert.ok(links(`${b.prefix}-host`).includes("br-other"));
    });

    it("removing a member's rules leaves the unmanaged table and bridge in its namespace alone", () => {
        b.ok("config", "set", "members", JSON.stringify({ red: { egress: [{ protocol: "tcp", ports: [443] }] } }));
        b.ok("up", "--yes", "--skip-preview");
        assert.match(nft(`${b.prefix}-host`, "list", "tables"), /table inet other/);
        assert.match(nft(`${b.prefix}-host`, "list", "table", "inet", "other"), /chain c/);
        assert.ok(links(`${b.prefix}-host`).includes("br-other"));
        {
            const r = b.check();
            assert.equal(r.code, 0, r.out);
        }
    });

    it("after both are destroyed only the unmanaged namespace remains", () => {
        b.ok("destroy", "--yes", "--skip-preview");
        ip("netns", "del", foreignNs);
        assert.deepEqual(machineSnapshot(), baseline);
    });
});

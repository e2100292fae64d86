import { strict as assert } from "assert";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { createCniNetwork, deleteCniNetwork, readCniNetwork, updateCniNetwork } from "../../sdk/kernel/cni";
import { CniNetworkSpec, checkCniNetwork, conflistPath } from "../../sdk/model/cni";
import { cniPresets } from "../../sdk/model/cni-plugins";
import { ROOT } from "../support/engine";
import { requireOrSkip } from "../support/suite";

/** Debian's reference plugins, unpacked by `npm run setup` (scripts/setup-cni.sh). */
const BIN_DIR = join(ROOT, ".tools", "cni", "usr", "lib", "cni");

/**
 * CniNetwork's file operations for real, on this machine's file system, in a
 * directory of the test's own (never /etc/cni/net.d), checked against the
 * real plugins' directory.
 */
describe("integration: CniNetwork writes, reads back and removes its conflist (real files, Debian's plugins)", () => {
    let dir: string;
    const spec = (change: Record<string, unknown> = {}): CniNetworkSpec => {
        const { spec: checked, failures } = checkCniNetwork({
            owner: "netplumb:p/s@0123456789ab/net",
            host: {},
            adopt: false,
            name: "labnet",
            dir,
            binDir: BIN_DIR,
            plugins: [
                { type: "bridge", bridge: "cni-lab", isGateway: true, ipam: { type: "host-local", ranges: [[{ subnet: "10.22.0.0/24" }]] } },
                { type: "portmap", capabilities: { portMappings: true } },
            ],
            ...change,
        });
        assert.deepEqual(failures, []);
        return checked;
    };

    before(function () {
        requireOrSkip(this, existsSync(join(BIN_DIR, "bridge")), "the CNI plugins are not unpacked: run npm run setup");
    });
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "netplumb-cni-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("create writes <dir>/10-<name>.conflist with mode 0644 and nothing else; read finds it unchanged", async () => {
        const s = spec();
        await createCniNetwork(s);
        assert.deepEqual(readdirSync(dir), ["10-labnet.conflist"], "no temporary file left behind");
        assert.equal(statSync(conflistPath(s)).mode & 0o777, 0o644);
        const written = JSON.parse(readFileSync(conflistPath(s), "utf8")) as { name: string; plugins: Array<{ type: string }> };
        assert.equal(written.name, "labnet");
        assert.deepEqual(
            written.plugins.map((p) => p.type),
            ["bridge", "portmap"],
        );
        assert.deepEqual(await readCniNetwork(s), s);
    });

    it("refresh sees a hand-edited file (its plugins, and drift) and a removed one; up writes it back", async () => {
        const s = spec();
        await createCniNetwork(s);
        const edited = JSON.parse(readFileSync(conflistPath(s), "utf8")) as { plugins: Array<Record<string, unknown>> };
        edited.plugins[0].bridge = "cni-other";
        writeFileSync(conflistPath(s), JSON.stringify(edited));
        const read = await readCniNetwork(s);
        assert.equal(read?.plugins[0].bridge, "cni-other");
        assert.match(read?.drift ?? "", /differs from what netplumb wrote/);
        writeFileSync(conflistPath(s), "{ not json");
        assert.match((await readCniNetwork(s))?.drift ?? "", /is not valid JSON/);
        await updateCniNetwork(s, s);
        assert.deepEqual(await readCniNetwork(s), s);
        rmSync(conflistPath(s));
        assert.equal(await readCniNetwork(s), undefined);
    });

    it("up fails naming a plugin missing from binDir (the guide's Flannel), and writes nothing", async () => {
        await assert.rejects(createCniNetwork(spec({ plugins: cniPresets.flannel() })), (e: Error) => {
            assert.match(
                e.message,
                /CNI plugin flannel is not in .*\.tools\/cni\/usr\/lib\/cni \(.*\/flannel is missing or not executable\): install it there, or set binDir/,
            );
            return true;
        });
        assert.deepEqual(readdirSync(dir), []);
    });

    it("refuses a priority another file holds and a range another network hands out; writes nothing", async () => {
        writeFileSync(join(dir, "10-other.conflist"), JSON.stringify({ name: "other", plugins: [{ type: "bridge" }] }));
        await assert.rejects(createCniNetwork(spec()), /priority 10 is taken by .*10-other\.conflist/);
        writeFileSync(
            join(dir, "20-wide.conf"),
            JSON.stringify({ name: "wide", type: "bridge", ipam: { type: "host-local", ranges: [[{ subnet: "10.0.0.0/8" }]] } }),
        );
        await assert.rejects(createCniNetwork(spec({ priority: 30 })), /range 10\.22\.0\.0\/24 overlaps 10\.0\.0\.0\/8 of .*20-wide\.conf/);
        assert.deepEqual(readdirSync(dir).sort(), ["10-other.conflist", "20-wide.conf"]);
    });

    it("create refuses a file of another owner at its path unless adopt; delete removes only its own file", async () => {
        const s = spec();
        writeFileSync(conflistPath(s), JSON.stringify({ name: "labnet", plugins: [], netplumbOwner: "netplumb:q/t@ffffffffffff/net" }));
        await assert.rejects(createCniNetwork(s), /already exists and is not this resource's: remove it, choose another name or priority, or set adopt: true/);
        await deleteCniNetwork(s);
        assert.ok(existsSync(conflistPath(s)), "another owner's file is left alone");
        await createCniNetwork({ ...s, adopt: true });
        writeFileSync(join(dir, "50-mine-not.conflist"), "{}");
        await deleteCniNetwork(s);
        assert.deepEqual(readdirSync(dir), ["50-mine-not.conflist"]);
        await deleteCniNetwork(s);
    });
});

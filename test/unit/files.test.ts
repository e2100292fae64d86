import { strict as assert } from "assert";
import { FileAccess } from "../../sdk/host/host";
import { Target } from "../../sdk/host/target";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { LocalFiles } from "../../sdk/host/local-files";
import { inDirectory, makeDirectory, readFile, writeFile } from "../../sdk/kernel/files";
import { RecordingHost } from "../support/recording-host";

/** Marks a directory in MemoryFiles (a symbol, so no file content can be taken for one). */
const DIR = Symbol("dir");

/** Files in a map: the host's own file access, as a unit-test double. */
class MemoryFiles implements FileAccess {
    readonly entries = new Map<string, string | typeof DIR>();
    async read(path: string) {
        const v = this.entries.get(path);
        return v === DIR ? undefined : v;
    }
    async write(path: string, content: string) {
        this.entries.set(path, content);
    }
    async makeDirectory(path: string, parents: boolean) {
        if (this.entries.has(path)) return parents;
        this.entries.set(path, DIR);
        return true;
    }
    async rename(from: string, to: string) {
        if (this.entries.has(to)) return false;
        this.entries.set(to, this.entries.get(from)!);
        this.entries.delete(from);
        return true;
    }
    async remove(path: string) {
        this.entries.delete(path);
    }
    async removeEmptyDirectory(path: string) {
        this.entries.delete(path);
    }
    async isDirectory(path: string) {
        return this.entries.get(path) === DIR;
    }
    async list() {
        return [];
    }
}

class HostWithFiles extends RecordingHost {
    readonly files = new MemoryFiles();
}

describe("file operations", () => {
    it("use the host's own file access in its own namespace: no process runs", async () => {
        const host = new HostWithFiles();
        const t = new Target(host, undefined);
        await writeFile(t, "/etc/netns/a", "/etc/netns/a/resolv.conf", "nameserver 203.0.113.1\n");
        assert.equal(await readFile(t, "/etc/netns/a/resolv.conf"), "nameserver 203.0.113.1\n");
        assert.equal(await makeDirectory(t, "/etc/netns/a"), false, "an existing directory is not claimed twice");
        assert.deepEqual(host.calls, []);
    });

    it("are commands inside a namespace, where ip netns exec bind-mounts /etc/netns/<ns>", async () => {
        const aLink = new HostWithFiles((call) => (call.argv.includes("-L") ? { code: 0 } : undefined));
        const notALink = new HostWithFiles();
        const t = new Target(notALink, "sbx");
        await writeFile(t, "/tmp/d", "/tmp/d/f", "x");
        assert.deepEqual(notALink.lines(), [
            "ip netns exec sbx mkdir -p /tmp/d",
            "ip netns exec sbx test -L /tmp/d",
            "ip netns exec sbx test -L /tmp/d/f",
            "ip netns exec sbx tee /tmp/d/f.netplumb-tmp",
            "  x",
            "ip netns exec sbx chmod 644 /tmp/d/f.netplumb-tmp",
            "ip netns exec sbx sync /tmp/d/f.netplumb-tmp",
            "ip netns exec sbx mv -f -T /tmp/d/f.netplumb-tmp /tmp/d/f",
        ]);
        assert.equal(notALink.files.entries.size, 0);
        await assert.rejects(writeFile(new Target(aLink, "sbx"), "/tmp/d", "/tmp/d/f", "x"), /refusing to write through \/tmp\/d: it is a symbolic link/);
    });

    it("are commands on a host without file access (as over SSH); mkdir reports an existing directory", async () => {
        const host = new RecordingHost(() => ({ code: 1, stderr: "mkdir: cannot create directory '/x': File exists" }));
        assert.equal(await makeDirectory(new Target(host, undefined), "/x"), false);
        assert.deepEqual(host.lines(), ["mkdir /x"]);
    });
});

describe("shared directories that vanish under a write", () => {
    /** MemoryFiles whose first `mkdir -p` (and first write) fails as if a parallel delete removed a parent meanwhile. */
    class Vanishing extends MemoryFiles {
        failures = { mkdir: 1, write: 1 };
        async makeDirectory(path: string, parents: boolean) {
            if (parents && this.failures.mkdir > 0 && this.failures.mkdir--)
                throw Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${path}'`), { code: "ENOENT" });
            return super.makeDirectory(path, parents);
        }
        async write(path: string, content: string) {
            if (this.failures.write > 0 && this.failures.write--)
                throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
            return super.write(path, content);
        }
    }

    it("make the directory again and retry, whether the mkdir or the write found it gone", async () => {
        const host = new HostWithFiles();
        const files = new Vanishing();
        Object.defineProperty(host, "files", { value: files });
        const t = new Target(host, undefined);
        await writeFile(t, "/run/netplumb/creating", "/run/netplumb/creating/x", "x\n");
        assert.equal(await readFile(t, "/run/netplumb/creating/x"), "x\n");
        assert.deepEqual(files.failures, { mkdir: 0, write: 0 });
    });

    it("give up on any other error at once", async () => {
        const t = new Target(new HostWithFiles(), undefined);
        let tries = 0;
        await assert.rejects(
            inDirectory(t, "/d", async () => {
                tries++;
                throw Object.assign(new Error("EACCES"), { code: "EACCES" });
            }),
            /EACCES/,
        );
        assert.equal(tries, 1);
    });
});

describe("the local machine's files", () => {
    let dir = "";
    const files = new LocalFiles();
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "netplumb-files-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("replace a file whole with the mode asked for, leaving no temporary file", async () => {
        const path = join(dir, "resolv.conf");
        writeFileSync(path, "old\n", { mode: 0o600 });
        await files.write(path, "nameserver 203.0.113.1\n", 0o644);
        assert.equal(readFileSync(path, "utf8"), "nameserver 203.0.113.1\n");
        assert.equal(statSync(path).mode & 0o777, 0o644);
        assert.deepEqual(await files.list(dir), ["resolv.conf"]);
    });

    it("refuse a symbolic link planted at the file, and leave what it points to alone", async () => {
        const victim = join(dir, "victim");
        writeFileSync(victim, "precious\n");
        symlinkSync(victim, join(dir, "resolv.conf"));
        await assert.rejects(files.write(join(dir, "resolv.conf"), "x", 0o644), /refusing to write through .*resolv\.conf: it is a symbolic link/);
        assert.equal(readFileSync(victim, "utf8"), "precious\n");
    });

    it("refuse a directory that is a symbolic link (a planted /etc/netns/<ns> -> /etc)", async () => {
        mkdirSync(join(dir, "etc"));
        symlinkSync(join(dir, "etc"), join(dir, "ns"));
        await assert.rejects(files.write(join(dir, "ns", "resolv.conf"), "x", 0o644), /it is a symbolic link/);
        assert.deepEqual(await files.list(join(dir, "etc")), []);
    });

    it("rename a directory into place, or report that the place is taken", async () => {
        mkdirSync(join(dir, "a"));
        writeFileSync(join(dir, "a", "owner"), "me\n");
        assert.equal(await files.rename(join(dir, "a"), join(dir, "b")), true);
        mkdirSync(join(dir, "c"));
        writeFileSync(join(dir, "c", "owner"), "other\n");
        assert.equal(await files.rename(join(dir, "c"), join(dir, "b")), false);
        assert.equal(readFileSync(join(dir, "b", "owner"), "utf8"), "me\n");
    });
});

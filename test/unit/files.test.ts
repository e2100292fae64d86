import { strict as assert } from "assert";
import { FileAccess } from "../../sdk/host/host";
import { Target } from "../../sdk/host/target";
import { makeDirectory, readFile, writeFile } from "../../sdk/kernel/files";
import { RecordingHost } from "../support/recording-host";

/** Files in a map: the host's own file access, as a unit-test double. */
class MemoryFiles implements FileAccess {
    readonly entries = new Map<string, string | "dir">();
    async read(path: string) {
        const v = this.entries.get(path);
        return v === "dir" ? undefined : v;
    }
    async write(path: string, content: string) {
        this.entries.set(path, content);
    }
    async makeDirectory(path: string, parents: boolean) {
        if (this.entries.has(path)) return parents;
        this.entries.set(path, "dir");
        return true;
    }
    async remove(path: string) {
        this.entries.delete(path);
    }
    async removeEmptyDirectory(path: string) {
        this.entries.delete(path);
    }
    async isDirectory(path: string) {
        return this.entries.get(path) === "dir";
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
        const host = new HostWithFiles();
        const t = new Target(host, "sbx");
        await writeFile(t, "/tmp/d", "/tmp/d/f", "x");
        assert.deepEqual(host.lines(), ["ip netns exec sbx mkdir -p /tmp/d", "ip netns exec sbx tee /tmp/d/f", "  x"]);
        assert.equal(host.files.entries.size, 0);
    });

    it("are commands on a host without file access (as over SSH); mkdir reports an existing directory", async () => {
        const host = new RecordingHost(() => ({ code: 1, stderr: "mkdir: cannot create directory '/x': File exists" }));
        assert.equal(await makeDirectory(new Target(host, undefined), "/x"), false);
        assert.deepEqual(host.lines(), ["mkdir /x"]);
    });
});

import { ChildProcess, execFileSync, spawn } from "child_process";
import { mkdtempSync, openSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Duplex, PassThrough } from "stream";
import { SshSpec } from "../../sdk/model/ssh-spec";
import { ROOT } from "./engine";
import { Sandbox, ip } from "./sandbox";

/** Debian's sshd, unpacked by scripts/setup-sshd.sh. */
const OPENSSH = join(ROOT, ".tools", "openssh");
const SSHD = join(OPENSSH, "usr", "sbin", "sshd");
const LIB_DIR = join(OPENSSH, "usr", "lib", "x86_64-linux-gnu");
const INIT = join(ROOT, "test", "support", "emulated-host-init.js");
const FORWARD = join(ROOT, "test", "support", "tcp-forward.js");

/** The underlay: TEST-NET-2, a documentation range, on a bridge inside the sandbox. */
const UNDERLAY_PREFIX = "198.51.100";

/** Makes an ed25519 key pair at `path` (and `path.pub`) with ssh-keygen. */
function keyPair(path: string): { privateKey: string; publicKey: string } {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "netplumb-test", "-f", path], { stdio: "ignore" });
    return { privateKey: readFileSync(path, "utf8"), publicKey: readFileSync(`${path}.pub`, "utf8").trim() };
}

function sshdConfig(dir: string, address: string, extra: readonly string[]): string {
    return [
        ...extra,
        `ListenAddress ${address}`,
        "Port 22",
        `HostKey ${join(dir, "host_key")}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "PrintMotd no",
        "LogLevel VERBOSE",
        "",
    ].join("\n");
}

/**
 * One emulated machine: a network namespace on the underlay and a mount
 * namespace of its own (private /run/netns, /etc/netns, /var/lib/netplumb,
 * /run/netplumb), running Debian's real sshd with keys made for this test.
 */
export class EmulatedHost {
    private init?: ChildProcess;
    private sshdPid?: number;
    readonly hostKey: string;
    readonly clientKey: string;

    constructor(
        readonly netns: string,
        readonly address: string,
        readonly dir: string,
        extraConfig: readonly string[] = [],
    ) {
        this.hostKey = keyPair(join(dir, "host_key")).publicKey;
        const client = keyPair(join(dir, "client_key"));
        this.clientKey = client.privateKey;
        writeFileSync(join(dir, "authorized_keys"), `${client.publicKey}\n`, { mode: 0o600 });
        writeFileSync(join(dir, "sshd_config"), sshdConfig(dir, address, extraConfig));
    }

    /** The `host.ssh` a resource gives to reach this machine as root. */
    ssh(overrides: Partial<SshSpec> = {}): SshSpec {
        return { host: this.address, privateKey: this.clientKey, hostKey: this.hostKey, perDialTimeout: 30, ...overrides };
    }

    /** Starts the host's first process and its sshd; resolves once sshd accepts connections. */
    async start(): Promise<void> {
        const log = openSync(join(this.dir, "host.log"), "a");
        const init = spawn("ip", ["netns", "exec", this.netns, process.execPath, INIT, this.dir, SSHD, LIB_DIR], { stdio: ["ignore", "pipe", log] });
        this.init = init;
        init.stdout!.setEncoding("utf8").on("data", (d: string) => {
            for (const match of d.matchAll(/^sshd (\d+)$/gm)) this.sshdPid = Number(match[1]);
        });
        await this.listening();
    }

    /** Starts sshd again after stopSshd (the host and what runs on it stayed up). */
    async startSshd(): Promise<void> {
        this.sshdPid = undefined;
        process.kill(this.init!.pid!, "SIGUSR1");
        await this.listening();
    }

    /** Waits until sshd has written its pid to its pid file (it does so once listening), at most 30 s. */
    private async listening(): Promise<void> {
        const pidFile = join(this.dir, "sshd.pid");
        for (let waited = 0; waited < 30_000; waited += 50) {
            if (this.init?.exitCode !== null) break;
            let written: string | undefined;
            try {
                written = readFileSync(pidFile, "utf8").trim();
            } catch {
                // not yet written
            }
            if (this.sshdPid !== undefined && written === String(this.sshdPid)) return;
            await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`sshd on ${this.netns} did not start within 30 s; see ${join(this.dir, "host.log")}`);
    }

    /**
     * Stops everything that runs on this host: every process in its mount
     * namespace (sshd, its sessions, anything they started), by PID. The
     * namespaces made on it go with the mount namespace.
     */
    async stop(): Promise<void> {
        const init = this.init;
        if (!init || init.exitCode !== null || init.pid === undefined) return;
        const mountNs = mountNamespaceOf(init.pid);
        const exited = new Promise((r) => init.once("exit", r));
        if (mountNs) for (const pid of processesIn(mountNs)) if (pid !== init.pid) tryKill(pid);
        tryKill(init.pid);
        await exited;
        this.init = undefined;
    }

    /** Stops sshd and its sessions only (the host stays up), as when sshd dies mid-apply; resolves once they are gone (at most 30 s). */
    async stopSshd(): Promise<void> {
        const mountNs = this.init?.pid ? mountNamespaceOf(this.init.pid) : undefined;
        if (!mountNs) return;
        const sshd = () => processesIn(mountNs).filter((pid) => pid !== this.init?.pid && isSshd(pid));
        for (const pid of sshd()) tryKill(pid);
        for (let waited = 0; sshd().length > 0; waited += 20) {
            if (waited > 30_000) throw new Error(`sshd on ${this.netns} did not stop within 30 s`);
            await new Promise((r) => setTimeout(r, 20));
        }
    }

    /** The SSH connections sshd serves now, by their "sshd: USER@notty" processes in this host's mount namespace. */
    connections(): number {
        const mountNs = this.init?.pid ? mountNamespaceOf(this.init.pid) : undefined;
        if (!mountNs) return 0;
        return processesIn(mountNs).filter((pid) => {
            try {
                return /^sshd: \S+@notty/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
            } catch {
                return false;
            }
        }).length;
    }

    /** True when a process runs on this host with exactly `argv` (read from /proc, within this host's mount namespace). */
    runs(argv: readonly string[]): boolean {
        const mountNs = this.init?.pid ? mountNamespaceOf(this.init.pid) : undefined;
        if (!mountNs) return false;
        const wanted = `${argv.join("\0")}\0`;
        return processesIn(mountNs).some((pid) => {
            try {
                return readFileSync(`/proc/${pid}/cmdline`, "utf8") === wanted;
            } catch {
                return false;
            }
        });
    }

    /** Starts argv on this host in the background (in its namespaces); it stops with the host, or by its PID. */
    background(argv: string[]): ChildProcess {
        if (!this.init?.pid) throw new Error(`emulated host ${this.netns} is not running`);
        return spawn("nsenter", ["-t", String(this.init.pid), "-m", "-n", "--", ...argv], { stdio: "ignore" });
    }

    /** Runs argv on this host as its sshd's sessions would (in its network and mount namespaces). */
    run(argv: string[]): string {
        if (!this.init?.pid) throw new Error(`emulated host ${this.netns} is not running`);
        return execFileSync("nsenter", ["-t", String(this.init.pid), "-m", "-n", "--", ...argv], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    }
}

function tryKill(pid: number): void {
    try {
        process.kill(pid, "SIGTERM");
    } catch {
        // already gone
    }
}

function mountNamespaceOf(pid: number): string | undefined {
    try {
        return readlinkSync(`/proc/${pid}/ns/mnt`);
    } catch {
        return undefined;
    }
}

function isSshd(pid: number): boolean {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0].endsWith("sshd") || readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "sshd";
    } catch {
        return false;
    }
}

/** PIDs of the processes in a mount namespace. */
function processesIn(mountNs: string): number[] {
    return readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .map(Number)
        .filter((pid) => mountNamespaceOf(pid) === mountNs);
}

/**
 * A few emulated machines on one underlay bridge, plus a control namespace on
 * the same bridge from which the tests connect (the machine running the tests
 * never gets a route into the sandbox). All inside a Sandbox: `destroy()`
 * stops every host and removes every namespace by its exact name.
 */
export class EmulatedHosts {
    readonly sandbox = new Sandbox("neh");
    readonly control: string;
    readonly hosts: EmulatedHost[] = [];
    private readonly dir = mkdtempSync(join(tmpdir(), "netplumb-hosts-"));

    /** `sshdConfig(i)`: extra sshd_config lines for host i (from 1), e.g. ["MaxSessions 2"]. */
    constructor(count: number, sshdConfigOf: (i: number) => readonly string[] = () => []) {
        ip("-n", this.sandbox.host, "link", "add", "ul0", "type", "bridge");
        ip("-n", this.sandbox.host, "link", "set", "ul0", "up");
        this.control = this.attach("ctl", `${UNDERLAY_PREFIX}.2`);
        for (let i = 1; i <= count; i++) {
            const address = `${UNDERLAY_PREFIX}.${10 + i}`;
            const netns = this.attach(`h${i}`, address);
            const dir = join(this.dir, `h${i}`);
            execFileSync("mkdir", ["-m", "700", dir]);
            this.hosts.push(new EmulatedHost(netns, address, dir, sshdConfigOf(i)));
        }
    }

    /** A namespace on the underlay with `address`/24 on its eth0. */
    private attach(role: string, address: string): string {
        const netns = this.sandbox.name(role);
        ip("netns", "add", netns);
        ip("-n", netns, "link", "set", "lo", "up");
        ip("-n", this.sandbox.host, "link", "add", `u-${role}`, "type", "veth", "peer", "name", "eth0", "netns", netns);
        ip("-n", this.sandbox.host, "link", "set", `u-${role}`, "master", "ul0", "up");
        ip("-n", netns, "addr", "add", `${address}/24`, "dev", "eth0");
        ip("-n", netns, "link", "set", "eth0", "up");
        return netns;
    }

    async start(): Promise<void> {
        for (const host of this.hosts) await host.start();
    }

    /**
     * A TCP connection to `host:port` made from the control namespace (a
     * small forwarder started there by PID): what ssh2 is given as its socket.
     */
    connectFromControl(host: string, port: number): Duplex {
        const child = spawn("ip", ["netns", "exec", this.control, process.execPath, FORWARD, host, String(port)], { stdio: ["pipe", "pipe", "pipe"] });
        const readable = new PassThrough();
        child.stdout.pipe(readable, { end: false });
        const socket = Duplex.from({ readable, writable: child.stdin });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        // A failed connect (ECONNREFUSED, ...) reaches ssh2 as the socket's error, with Node's code, as a direct connection's would.
        child.once("close", (code) => {
            const failed = /^tcp-forward: (\S+) (.*)$/m.exec(stderr);
            if (code !== 0 && failed) socket.destroy(Object.assign(new Error(failed[2]), { code: failed[1] }));
            else readable.end();
        });
        socket.once("close", () => child.kill("SIGTERM"));
        return socket;
    }

    async destroy(): Promise<void> {
        for (const host of this.hosts) await host.stop();
        this.sandbox.destroy();
        rmSync(this.dir, { recursive: true, force: true });
    }
}

import { createHash } from "crypto";
import { Client, ConnectConfig } from "ssh2";
import { Duplex } from "stream";
import type { SshSpec } from "../model/ssh-spec";
import { CommandResult } from "./errors";
import { Host, RunOptions } from "./host";
import { commandLine } from "./quote";

/** Default seconds to wait for one connection attempt. */
export const DEFAULT_DIAL_TIMEOUT = 15;
/** Default connection attempts before giving up. */
export const DEFAULT_DIAL_ATTEMPTS = 3;
/**
 * Commands run at once on one connection: sshd refuses channels beyond its
 * MaxSessions (10 by default), so more wait their turn; a refusal lowers
 * the connection's limit to what the server took.
 */
export const MAX_CHANNELS = 8;
/** Tries to open a command's channel before giving up (the limit drops after each refusal). */
const CHANNEL_ATTEMPTS = 10;

/** `user@host:port`, the name every SSH error starts with. */
export function sshLabel(spec: SshSpec): string {
    const host = spec.host.includes(":") ? `[${spec.host}]` : spec.host;
    return `${spec.user ?? "root"}@${host}:${spec.port ?? 22}`;
}

/** A host key's fingerprint as `ssh-keygen -lf` prints it: `SHA256:` and unpadded base64. */
export function fingerprintOf(key: Buffer): string {
    return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** True when the key the server offered is the pinned one (a public key line or a fingerprint). */
export function matchesPin(offered: Buffer, pin: string): boolean {
    const trimmed = pin.trim();
    if (trimmed.startsWith("SHA256:")) return fingerprintOf(offered) === trimmed.replace(/=+$/, "");
    return trimmed.split(/\s+/)[1] === offered.toString("base64");
}

/** The pinned key as a fingerprint, for messages. */
function pinFingerprint(pin: string): string {
    const trimmed = pin.trim();
    return trimmed.startsWith("SHA256:") ? trimmed : fingerprintOf(Buffer.from(trimmed.split(/\s+/)[1] ?? "", "base64"));
}

/** Error from ssh2 with its level ("client-socket", "client-timeout", "client-authentication", ...). */
type SshError = Error & { level?: string; code?: string };

/**
 * Runs commands on another machine over one SSH connection, opened on first
 * use and reused (one per machine per provider process). Each argv is sent
 * as one command line quoted by `commandLine`, prefixed by `env LC_ALL=C` so
 * messages are the untranslated ones that failure classification matches;
 * input goes to the command's standard input (`ip -batch -`, `nft -f -`).
 * Files are reached with commands (`cat`, `tee`, `mv`), so `files` is absent.
 */
export class SshHost implements Host {
    private current?: Client;
    private pending?: Promise<Client>;
    private channels = 0;
    private limit = MAX_CHANNELS;
    private readonly waiting: Array<() => void> = [];

    /**
     * `dialSocket`: how to reach host:port (default: a TCP connection from
     * this machine); tests connect from inside a sandbox namespace.
     */
    constructor(
        readonly spec: SshSpec,
        private readonly dialSocket?: (host: string, port: number) => Duplex,
    ) {}

    /** `host:port`: the machine, whoever logs in. */
    get machine(): string {
        return `${this.spec.host}:${this.spec.port ?? 22}`;
    }

    /** `user@host:port`. */
    get label(): string {
        return sshLabel(this.spec);
    }

    async exec(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
        const line = commandLine(["env", "LC_ALL=C", ...argv]);
        const client = await this.connect();
        for (let attempt = 1; ; attempt++) {
            await this.channel();
            try {
                return await this.execOn(client, line, argv, options);
            } catch (error) {
                // sshd refused the channel (its MaxSessions, or the last session not yet reaped): use fewer at once and wait for one to end.
                if (!(error as { channelRefused?: boolean }).channelRefused || attempt >= CHANNEL_ATTEMPTS) throw error;
                this.limit = Math.max(1, this.channels - 1);
            } finally {
                this.release();
            }
            await new Promise((r) => setTimeout(r, 10 * attempt));
        }
    }

    /** Waits for a free channel (at most `limit` at once). */
    private async channel(): Promise<void> {
        while (this.channels >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
        this.channels++;
    }

    private release(): void {
        this.channels--;
        this.waiting.shift()?.();
    }

    private execOn(client: Client, line: string, argv: readonly string[], options: RunOptions): Promise<CommandResult> {
        return new Promise((resolve, reject) => {
            client.exec(line, (error, stream) => {
                if (error)
                    return reject(
                        Object.assign(new Error(`ssh ${this.label}: could not start ${argv[0]}: ${error.message}; run again`), { channelRefused: true }),
                    );
                let stdout = "";
                let stderr = "";
                let code: number | undefined;
                stream.setEncoding("utf8").on("data", (d: string) => (stdout += d));
                stream.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
                stream.on("exit", (exitCode: number | null) => (code = exitCode ?? -1));
                stream.on("close", () => {
                    if (code === undefined)
                        reject(new Error(`ssh ${this.label}: the connection closed before ${argv.join(" ")} finished; run up again once the host is back`));
                    else resolve({ stdout, stderr, code });
                });
                stream.end(options.input);
            });
        });
    }

    async start(argv: readonly string[]): Promise<number> {
        const client = await this.connect();
        const line = `${commandLine(["env", "LC_ALL=C", "nohup", ...argv])} </dev/null >/dev/null 2>&1 & echo $!`;
        return new Promise((resolve, reject) => {
            client.exec(line, (error, stream) => {
                if (error) return reject(new Error(`ssh ${this.label}: could not start ${argv[0]}: ${error.message}`));
                let out = "";
                stream.setEncoding("utf8").on("data", (d: string) => (out += d));
                stream.stderr.resume();
                stream.on("close", () => {
                    const pid = Number(out.trim());
                    if (Number.isInteger(pid) && pid > 0) resolve(pid);
                    else reject(new Error(`ssh ${this.label}: ${argv[0]} did not start (the shell printed ${JSON.stringify(out.trim())})`));
                });
            });
        });
    }

    /** Closes the connection (the next command opens a new one). */
    close(): void {
        this.current?.end();
        this.current = undefined;
    }

    /** The open connection, or a new one after up to dialErrorLimit attempts. */
    private connect(): Promise<Client> {
        if (this.current) return Promise.resolve(this.current);
        this.pending ??= this.dial(this.spec.dialErrorLimit ?? DEFAULT_DIAL_ATTEMPTS)
            .then((client) => (this.current = client))
            .finally(() => (this.pending = undefined));
        return this.pending;
    }

    private async dial(attempts: number): Promise<Client> {
        for (let attempt = 1; ; attempt++) {
            try {
                return await this.dialOnce();
            } catch (error) {
                if ((error as { final?: boolean }).final || attempt >= attempts) throw error;
            }
        }
    }

    private dialOnce(): Promise<Client> {
        const client = new Client();
        let offered: Buffer | undefined;
        const pin = this.spec.allowUnknownHostKey === true ? undefined : this.spec.hostKey;
        const config: ConnectConfig = {
            host: this.spec.host,
            port: this.spec.port ?? 22,
            username: this.spec.user ?? "root",
            privateKey: this.spec.privateKey,
            passphrase: this.spec.privateKeyPassword,
            password: this.spec.password,
            readyTimeout: (this.spec.perDialTimeout ?? DEFAULT_DIAL_TIMEOUT) * 1000,
            keepaliveInterval: 15_000,
            sock: this.dialSocket?.(this.spec.host, this.spec.port ?? 22),
            hostVerifier: (key: Buffer) => {
                offered = key;
                return pin === undefined || matchesPin(key, pin);
            },
        };
        return new Promise((resolve, reject) => {
            client.once("ready", () => {
                // A dropped connection fails the command on it (its channel closes without an exit code); the next command dials again.
                failed = true;
                // Commands are small request/response exchanges: without this, Nagle's algorithm and delayed ACKs cost ~30 ms each.
                client.setNoDelay(true);
                client.once("close", () => {
                    if (this.current === client) this.current = undefined;
                });
                resolve(client);
            });
            // ssh2 may report one failure twice (the socket's error, then "Connection lost"): the first one counts.
            let failed = false;
            client.on("error", (error: SshError) => {
                if (failed) return;
                failed = true;
                client.end();
                reject(this.explain(error, offered, pin));
            });
            client.connect(config);
        });
    }

    /** A message naming the host, what failed and the fix; `final` when retrying cannot help. */
    private explain(error: SshError, offered: Buffer | undefined, pin: string | undefined): Error {
        const port = this.spec.port ?? 22;
        const timeout = this.spec.perDialTimeout ?? DEFAULT_DIAL_TIMEOUT;
        const fail = (message: string, final: boolean) => Object.assign(new Error(`ssh ${this.label}: ${message}`), { final });
        if (offered && pin !== undefined && !matchesPin(offered, pin))
            return fail(
                `host key mismatch: the server offered ${fingerprintOf(offered)}, hostKey pins ${pinFingerprint(pin)}; if the machine was reinstalled, pin its new key (ssh-keyscan -t ed25519 ${this.spec.host})`,
                true,
            );
        if (error.level === "client-authentication")
            return fail(
                `the server refused user ${this.spec.user ?? "root"} with the ${this.spec.privateKey ? "privateKey" : "password"} given; check it is authorized there (~/.ssh/authorized_keys)`,
                true,
            );
        if (error.level === "client-timeout")
            return fail(`no answer within ${timeout} s (perDialTimeout); check the address and that nothing filters port ${port}`, false);
        if (error.code === "ECONNREFUSED") return fail(`connection refused; check that sshd runs there and listens on port ${port}`, false);
        if (error.code === "EHOSTUNREACH" || error.code === "ENETUNREACH")
            return fail(`no route to the host (${error.code}); check the address and the network`, false);
        if (error.code === "ENOTFOUND") return fail(`the name does not resolve (${error.code}); check host`, true);
        return fail(error.message, false);
    }
}

const open = new Map<string, SshHost>();

/** The connection's key: the machine and the credentials (a rotated key opens a new connection). */
function connectionKey(spec: SshSpec): string {
    const secrets = createHash("sha256")
        .update(JSON.stringify([spec.privateKey, spec.privateKeyPassword, spec.password, spec.hostKey, spec.allowUnknownHostKey]))
        .digest("hex");
    return `${sshLabel(spec)}#${secrets}`;
}

/** The SshHost for a connection spec, shared by every resource in this process. */
export function sshHostFor(spec: SshSpec): SshHost {
    const key = connectionKey(spec);
    let host = open.get(key);
    if (!host) open.set(key, (host = new SshHost(spec)));
    return host;
}

/** Closes every SSH connection this process opened (tests; the provider process simply exits). */
export function closeSshHosts(): void {
    for (const host of open.values()) host.close();
    open.clear();
}

import { isIP } from "net";
import { Failures, show } from "./failures";
import { isUnknown } from "./unknown";

const DNS_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const KEY_TYPES = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];
const PUBLIC_KEY_LINE = new RegExp(`^(?:${KEY_TYPES.join("|")}) [A-Za-z0-9+/]+={0,2}(?: .*)?$`);
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
const KNOWN = new Set([
    "host",
    "port",
    "user",
    "privateKey",
    "privateKeyPassword",
    "password",
    "hostKey",
    "allowUnknownHostKey",
    "perDialTimeout",
    "dialErrorLimit",
]);

/**
 * How to reach a machine over SSH, shaped like `@pulumi/command`'s
 * `remote.Connection`. Give `privateKey` and `password` as Pulumi secrets:
 * they are kept in every resource's state (encrypted) because delete and
 * refresh need them.
 */
export interface SshSpec {
    /** Address or DNS name of the machine. */
    readonly host: string;
    /** TCP port of its sshd. Default 22. */
    readonly port?: number;
    /** User to log in as; netplumb's commands need root. Default "root". */
    readonly user?: string;
    /** Private key (OpenSSH or PEM text). One of privateKey and password is required. */
    readonly privateKey?: string;
    /** Passphrase of an encrypted privateKey. */
    readonly privateKeyPassword?: string;
    /** Password, when no key is given. */
    readonly password?: string;
    /**
     * The machine's host key, pinned: its public key line as in known_hosts
     * or `ssh-keyscan` (`ssh-ed25519 AAAA…`), or its fingerprint
     * (`SHA256:…`, as `ssh-keygen -lf` prints it). A server offering another
     * key is refused. Required unless allowUnknownHostKey.
     */
    readonly hostKey?: string;
    /** Trust whatever key the server offers (no pinning). Default false. */
    readonly allowUnknownHostKey?: boolean;
    /** Seconds to wait for each connection attempt. Default 15. */
    readonly perDialTimeout?: number;
    /** Connection attempts before giving up (1–10). Default 3. */
    readonly dialErrorLimit?: number;
}

/** Why `host` cannot be dialled (undefined: it is an IP address or a DNS name). */
export function sshHostError(host: unknown): string | undefined {
    if (typeof host === "string" && (isIP(host) !== 0 || DNS_NAME.test(host))) return undefined;
    return `${show(host)} is not an IP address or a DNS name; give the machine's address, e.g. "192.0.2.10"`;
}

/** Why a host key pin is unusable (undefined: a public key line or a SHA256 fingerprint). */
export function hostKeyError(key: unknown): string | undefined {
    if (typeof key === "string" && (PUBLIC_KEY_LINE.test(key.trim()) || FINGERPRINT.test(key.trim()))) return undefined;
    return `${show(key)} is not a host key; give the server's public key line ("ssh-ed25519 AAAA…", as ssh-keyscan prints it) or its fingerprint ("SHA256:…", as ssh-keygen -lf prints it)`;
}

function wholeNumberIn(value: unknown, low: number, high: number): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= low && value <= high;
}

/** Checks a secret without ever putting its value in a message. */
function checkSecret(failures: Failures, property: string, value: unknown, what: string, fix: string): void {
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "string" || value === "") failures.add(property, `the ${what} given is not a non-empty string; ${fix}`);
}

/** Validates `host.ssh`, reporting failures under `property`. Secrets are never quoted in a message. */
export function checkSsh(raw: unknown, property: string, failures: Failures): SshSpec {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        failures.add(property, `${show(raw)} is not an SSH connection; use { host, privateKey, hostKey }`);
        return { host: "" };
    }
    const r = raw as Record<string, unknown>;
    for (const key of Object.keys(r).filter((k) => !KNOWN.has(k)))
        failures.add(`${property}.${key}`, `unknown SSH property ${show(key)}; use ${[...KNOWN].join(", ")}`);
    const known = (key: string) => r[key] !== undefined && !isUnknown(r[key]);
    if (!isUnknown(r.host)) failures.check(`${property}.host`, sshHostError(r.host));
    if (known("port") && !wholeNumberIn(r.port, 1, 65535))
        failures.add(`${property}.port`, `port ${show(r.port)} is not a whole number from 1 to 65535; sshd's default is 22`);
    if (known("user") && !(typeof r.user === "string" && USER.test(r.user)))
        failures.add(`${property}.user`, `user ${show(r.user)} is not a user name; use e.g. "root"`);
    checkSecret(
        failures,
        `${property}.privateKey`,
        r.privateKey,
        "private key",
        'give the key file\'s text (e.g. fs.readFileSync("id_ed25519", "utf8")) as a secret',
    );
    if (typeof r.privateKey === "string" && !isUnknown(r.privateKey) && r.privateKey !== "" && !r.privateKey.trimStart().startsWith("-----BEGIN "))
        failures.add(
            `${property}.privateKey`,
            'the private key given does not begin with "-----BEGIN "; give the private key file\'s text, not its path or the public key',
        );
    checkSecret(
        failures,
        `${property}.privateKeyPassword`,
        r.privateKeyPassword,
        "key passphrase",
        "give the passphrase as a secret, or leave it out for an unencrypted key",
    );
    checkSecret(failures, `${property}.password`, r.password, "password", "give it as a secret, or use privateKey");
    if (!known("privateKey") && !known("password") && !isUnknown(r.privateKey) && !isUnknown(r.password))
        failures.add(`${property}.privateKey`, "no privateKey and no password: give one of them (as a Pulumi secret)");
    if (known("allowUnknownHostKey") && typeof r.allowUnknownHostKey !== "boolean")
        failures.add(`${property}.allowUnknownHostKey`, `${show(r.allowUnknownHostKey)} is not true or false`);
    if (known("hostKey")) failures.check(`${property}.hostKey`, hostKeyError(r.hostKey));
    else if (r.hostKey === undefined && r.allowUnknownHostKey !== true)
        failures.add(
            `${property}.hostKey`,
            "no hostKey: pin the server's key (ssh-keyscan -t ed25519 HOST prints it), or set allowUnknownHostKey: true to trust any key",
        );
    if (known("perDialTimeout") && !wholeNumberIn(r.perDialTimeout, 1, 600))
        failures.add(`${property}.perDialTimeout`, `${show(r.perDialTimeout)} is not a whole number of seconds from 1 to 600; the default is 15`);
    if (known("dialErrorLimit") && !wholeNumberIn(r.dialErrorLimit, 1, 10))
        failures.add(`${property}.dialErrorLimit`, `${show(r.dialErrorLimit)} is not a whole number from 1 to 10; the default is 3`);
    return r as unknown as SshSpec;
}

import { strict as assert } from "assert";
import { checkHost } from "../../sdk/model/host-spec";
import { Failures } from "../../sdk/model/failures";
import { HOST_IDENTITY, diffSpecs, IDENTITY } from "../../sdk/model/diff";
import { UNKNOWN } from "../../sdk/model/unknown";
import { fingerprintOf, matchesPin, sshLabel } from "../../sdk/host/ssh";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-secret-material\n-----END OPENSSH PRIVATE KEY-----\n";
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

function failuresOf(ssh: unknown): Array<{ property: string; reason: string }> {
    const failures = new Failures();
    checkHost({ ssh }, "host", failures);
    return [...failures.all];
}

function failsOn(ssh: unknown, property: string, why: RegExp): void {
    const found = failuresOf(ssh);
    const match = found.find((f) => f.property === property);
    assert.ok(match, `expected a failure on ${property}, got ${JSON.stringify(found)}`);
    assert.match(match.reason, why);
}

describe("host.ssh: checked at preview, secrets never quoted", () => {
    it("accepts a pinned key by its public line or its fingerprint, with defaults for port and user", () => {
        assert.deepEqual(failuresOf({ host: "192.0.2.10", privateKey: KEY, hostKey: HOST_KEY }), []);
        assert.deepEqual(
            failuresOf({ host: "node-1.lab.example", port: 2222, user: "root", password: "pw", hostKey: "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s" }),
            [],
        );
        assert.deepEqual(failuresOf({ host: "2001:db8::10", privateKey: KEY, allowUnknownHostKey: true }), []);
        assert.deepEqual(failuresOf({ host: UNKNOWN, privateKey: UNKNOWN, hostKey: UNKNOWN }), [], "values known only at up are checked there");
    });

    const bad: Array<[string, unknown, string, RegExp]> = [
        [
            "a host that is neither an address nor a name",
            { host: "a b", privateKey: KEY, hostKey: HOST_KEY },
            "host.ssh.host",
            /"a b" is not an IP address or a DNS name/,
        ],
        ["port 0", { host: "h", port: 0, privateKey: KEY, hostKey: HOST_KEY }, "host.ssh.port", /port 0 is not a whole number from 1 to 65535/],
        ["a user with a slash", { host: "h", user: "../root", privateKey: KEY, hostKey: HOST_KEY }, "host.ssh.user", /"..\/root" is not a user name/],
        ["no credentials", { host: "h", hostKey: HOST_KEY }, "host.ssh.privateKey", /no privateKey and no password/],
        [
            "a key file's path instead of its text",
            { host: "h", privateKey: "/root/.ssh/id_ed25519", hostKey: HOST_KEY },
            "host.ssh.privateKey",
            /does not begin with "-----BEGIN "/,
        ],
        ["no host key and no opt-out", { host: "h", privateKey: KEY }, "host.ssh.hostKey", /no hostKey: pin the server's key \(ssh-keyscan/],
        ["a host key that is neither", { host: "h", privateKey: KEY, hostKey: "AAAAC3Nza" }, "host.ssh.hostKey", /is not a host key/],
        ["an unknown property", { host: "h", privateKey: KEY, hostKey: HOST_KEY, agent: true }, "host.ssh.agent", /unknown SSH property "agent"/],
        ["a timeout of an hour", { host: "h", privateKey: KEY, hostKey: HOST_KEY, perDialTimeout: 3600 }, "host.ssh.perDialTimeout", /from 1 to 600/],
    ];
    for (const [label, ssh, property, why] of bad) it(`rejects ${label}, naming ${property}`, () => failsOn(ssh, property, why));

    it("never puts a secret's value in a message", () => {
        const secrets = { host: "h", privateKey: "not-a-key-s3cr3t", privateKeyPassword: 7, password: "", hostKey: HOST_KEY };
        const text = JSON.stringify(failuresOf(secrets));
        assert.ok(!text.includes("s3cr3t"), text);
        assert.match(text, /host.ssh.privateKeyPassword/);
        assert.match(text, /host.ssh.password/);
    });

    it("a new key, password or user is an update; another machine, port or namespace is a replace", () => {
        const before = { name: "lab", host: { ssh: { host: "192.0.2.10", privateKey: KEY, hostKey: HOST_KEY } } };
        const rotated = { name: "lab", host: { ssh: { ...before.host.ssh, privateKey: KEY.replace("secret", "other"), user: "admin" } } };
        assert.deepEqual(diffSpecs(before, rotated, IDENTITY.namespace).replaces, []);
        assert.equal(diffSpecs(before, rotated, IDENTITY.namespace).changes, true);
        for (const moved of [
            { ...before.host.ssh, host: "192.0.2.11" },
            { ...before.host.ssh, port: 2222 },
        ])
            assert.deepEqual(diffSpecs(before, { name: "lab", host: { ssh: moved } }, IDENTITY.namespace).replaces, ["host"]);
        assert.deepEqual(diffSpecs(before, { name: "lab", host: { ...before.host, netns: "sbx" } }, IDENTITY.namespace).replaces, ["host"]);
        assert.deepEqual(diffSpecs({ name: "lab", host: {} }, before, IDENTITY.namespace).replaces, ["host"]);
        assert.deepEqual([...HOST_IDENTITY], ["host.netns", "host.ssh.host", "host.ssh.port"]);
    });
});

describe("host key pinning", () => {
    const blob = Buffer.from(HOST_KEY.split(" ")[1], "base64");

    it("matches the offered key against a public key line or its SHA256 fingerprint, as ssh-keygen -lf prints it", () => {
        const fingerprint = fingerprintOf(blob);
        assert.equal(fingerprint, "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU", "what ssh-keygen -lf prints for this key");
        assert.ok(matchesPin(blob, HOST_KEY));
        assert.ok(matchesPin(blob, `${HOST_KEY} root@node-1\n`));
        assert.ok(matchesPin(blob, fingerprint));
        const other = Buffer.from(blob);
        other[other.length - 1] ^= 1;
        assert.ok(!matchesPin(other, HOST_KEY));
        assert.ok(!matchesPin(other, fingerprint));
    });

    it("names a connection user@host:port, bracketing IPv6", () => {
        assert.equal(sshLabel({ host: "192.0.2.10" }), "root@192.0.2.10:22");
        assert.equal(sshLabel({ host: "2001:db8::10", user: "admin", port: 2222 }), "admin@[2001:db8::10]:2222");
    });
});

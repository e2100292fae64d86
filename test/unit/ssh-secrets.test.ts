import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HostInput, withSecretCredentials } from "../../sdk/resources/common";

/** Whether an input became a Pulumi secret (the SDK's own flag on the Output). */
async function isSecret(value: unknown): Promise<boolean> {
    return pulumi.Output.isInstance(value) && (await (value as unknown as { isSecret: Promise<boolean> }).isSecret);
}

describe("host.ssh credentials are kept as secrets whatever the program gave", () => {
    it("plain privateKey, passphrase and password become secrets; the rest stays as given", async () => {
        const host = withSecretCredentials({
            ssh: { host: "198.51.100.11", privateKey: "KEY", privateKeyPassword: "PASS", password: "PW", hostKey: "ssh-ed25519 AAAA" },
        }) as HostInput;
        const ssh = host.ssh as Record<string, unknown>;
        for (const key of ["privateKey", "privateKeyPassword", "password"]) assert.ok(await isSecret(ssh[key]), key);
        assert.equal(ssh.host, "198.51.100.11");
        assert.equal(ssh.hostKey, "ssh-ed25519 AAAA");
    });

    it("an ssh given as an Output is made secret whole; no ssh, nothing changes", async () => {
        const host = withSecretCredentials({ ssh: pulumi.output({ host: "h", privateKey: "KEY" }) }) as HostInput;
        assert.ok(await isSecret(host.ssh));
        const local = { netns: "sbx" };
        assert.equal(withSecretCredentials(local), local);
    });
});

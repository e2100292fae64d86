import { strict as assert } from "assert";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { connectionFrom, loadKubeconfig } from "../../providers/kube-api";
import { waitUntilReady } from "../../providers/readiness-wait";
import { crdEstablished, webhookNotReady } from "../../sdk/model/cluster/readiness";

const kubeconfig = (user: Record<string, unknown>, cluster: Record<string, unknown> = { server: "https://198.51.100.10:6443/" }) =>
    JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        "current-context": "test",
        contexts: [{ name: "test", context: { cluster: "c", user: "u" } }],
        clusters: [{ name: "c", cluster }],
        users: [{ name: "u", user }],
    });

describe("cluster: readiness of a controller (CRDs established, webhook answering)", () => {
    it("a CRD is established only with condition Established=True", () => {
        const crd = (status: string) => ({
            status: 200,
            body: {
                status: {
                    conditions: [
                        { type: "NamesAccepted", status: "True" },
                        { type: "Established", status },
                    ],
                },
            },
        });
        assert.equal(crdEstablished(crd("True")), true);
        assert.equal(crdEstablished(crd("False")), false);
        assert.equal(crdEstablished({ status: 404, body: { message: "not found" } }), false);
    });

    it("the webhook answered when the dry run succeeded or the webhook itself denied it; not when the API server failed to call it", () => {
        assert.equal(webhookNotReady({ status: 201, body: {} }), undefined);
        const denied = 'admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: overlaps with pool "public"';
        assert.equal(webhookNotReady({ status: 403, body: { message: denied } }), undefined);
        const refused = 'Internal error occurred: failed calling webhook "ipaddresspoolvalidationwebhook.metallb.io": connect: connection refused';
        assert.match(webhookNotReady({ status: 500, body: { message: refused } }) ?? "", /^500: .*failed calling webhook/);
        assert.match(webhookNotReady({ status: 404, body: { message: "the server could not find the requested resource" } }) ?? "", /^404/);
        assert.match(webhookNotReady({ status: 0, body: {} }) ?? "", /^0: no message/);
    });

    it("the connection comes from the current context: server, CA and client certificate data, token", () => {
        const c = connectionFrom(
            kubeconfig(
                { "client-certificate-data": Buffer.from("CERT").toString("base64"), "client-key-data": Buffer.from("KEY").toString("base64"), token: "t0k" },
                { server: "https://198.51.100.10:6443/", "certificate-authority-data": Buffer.from("CA").toString("base64") },
            ),
            "/nowhere",
        );
        assert.equal(c.server, "https://198.51.100.10:6443");
        assert.deepEqual([c.ca?.toString(), c.cert?.toString(), c.key?.toString(), c.token, c.insecure], ["CA", "CERT", "KEY", "t0k", false]);
    });

    it("files named in the kubeconfig are read relative to its folder, as kubectl reads them", () => {
        const read: string[] = [];
        const c = connectionFrom(
            kubeconfig(
                { "client-certificate": "u.crt", "client-key": "/abs/u.key", tokenFile: "tok" },
                { server: "https://x", "certificate-authority": "ca.crt" },
            ),
            "/cfg",
            undefined,
            (p) => {
                read.push(p);
                return Buffer.from(`${p}\n`);
            },
        );
        assert.deepEqual(read.sort(), ["/abs/u.key", "/cfg/ca.crt", "/cfg/tok", "/cfg/u.crt"]);
        assert.equal(c.token, "/cfg/tok");
    });

    it("an exec credential plugin is run as argv with its env, and its token used", () => {
        const script =
            "process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', status: { token: process.env.GREETING + '-' + process.argv[1] } }))";
        const c = connectionFrom(
            kubeconfig({ exec: { command: process.execPath, args: ["-e", script, "a b;c"], env: [{ name: "GREETING", value: "hi" }] } }),
            "/nowhere",
        );
        assert.equal(c.token, "hi-a b;c");
    });

    it("a missing context, cluster or server is named", () => {
        assert.throws(() => connectionFrom(kubeconfig({}), "/", "other"), /no context named "other"/);
        assert.throws(() => connectionFrom(kubeconfig({}, {}), "/"), /cluster c has no server/);
        assert.throws(() => connectionFrom("{}", "/"), /no current-context/);
    });

    it("kubeconfig contents are used as given; a path or $KUBECONFIG is read", () => {
        const dir = mkdtempSync(join(tmpdir(), "netplumb-kubeconfig-"));
        try {
            const file = join(dir, "config");
            writeFileSync(file, kubeconfig({ token: "x" }));
            assert.equal(loadKubeconfig(kubeconfig({ token: "x" })).text, kubeconfig({ token: "x" }));
            assert.deepEqual(loadKubeconfig(file), { text: kubeconfig({ token: "x" }), dir });
            assert.deepEqual(loadKubeconfig(undefined, { KUBECONFIG: `${file}:/other` }), { text: kubeconfig({ token: "x" }), dir });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the wait polls until ready, and when it never is, fails naming what and the last reason", async () => {
        const props = { what: "MetalLB", crds: ["ipaddresspools.metallb.io"], timeoutSeconds: 1, kubeconfig: kubeconfig({ token: "x" }) };
        let calls = 0;
        await waitUntilReady(props, () => Promise.resolve(++calls < 2 ? "not yet" : undefined));
        assert.equal(calls, 2);
        await assert.rejects(
            waitUntilReady({ ...props, timeoutSeconds: 0 }, () => Promise.resolve("its webhook does not answer yet (500: failed calling webhook)")),
            /MetalLB was not ready within 0 s: its webhook does not answer yet \(500: failed calling webhook\)/,
        );
    });
});

import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";

/** The files a test control plane runs with, all made by `makeClusterCredentials`. */
export interface ClusterCredentials {
    /** The certificate authority that signed the API server's certificate (PEM). */
    readonly caCert: string;
    readonly caKey: string;
    /** The API server's serving certificate and key, for its address and the in-cluster names. */
    readonly serverCert: string;
    readonly serverKey: string;
    /** Service-account token signing key and its public half. */
    readonly serviceAccountKey: string;
    readonly serviceAccountPublicKey: string;
    /** `--token-auth-file`: one static token in group system:masters. */
    readonly tokenFile: string;
    readonly token: string;
}

const openssl = (dir: string, args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });

/**
 * Makes a throwaway CA, a serving certificate for the API server at
 * `address` (valid two days), a service-account key pair and a static admin
 * token, in `dir`. Equivalent to `openssl req -x509 ...` for the CA, then
 * `openssl req -new` + `openssl x509 -req -CA ...` with a subjectAltName
 * extension file for the server.
 */
export function makeClusterCredentials(dir: string, address: string): ClusterCredentials {
    const path = (name: string) => join(dir, name);
    openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=netplumb-test-ca"]);
    openssl(dir, ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "apiserver.key", "-out", "apiserver.csr", "-subj", "/CN=kube-apiserver"]);
    const names = [`IP:${address}`, "IP:127.0.0.1", "DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc", "DNS:localhost"];
    writeFileSync(path("apiserver.ext"), `subjectAltName=${names.join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
    openssl(dir, [
        "x509",
        "-req",
        "-in",
        "apiserver.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "apiserver.crt",
        "-extfile",
        "apiserver.ext",
    ]);
    openssl(dir, ["genrsa", "-out", "sa.key", "2048"]);
    openssl(dir, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
    const token = randomBytes(16).toString("hex");
    writeFileSync(path("tokens.csv"), `${token},netplumb-test-admin,netplumb-test-admin,system:masters\n`, { mode: 0o600 });
    return {
        caCert: path("ca.crt"),
        caKey: path("ca.key"),
        serverCert: path("apiserver.crt"),
        serverKey: path("apiserver.key"),
        serviceAccountKey: path("sa.key"),
        serviceAccountPublicKey: path("sa.pub"),
        tokenFile: path("tokens.csv"),
        token,
    };
}

/** A kubeconfig for the admin token, trusting the test CA. */
export function kubeconfigFor(credentials: ClusterCredentials, server: string): string {
    const ca = readFileSync(credentials.caCert).toString("base64");
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "test", cluster: { server, "certificate-authority-data": ca } }],
        users: [{ name: "admin", user: { token: credentials.token } }],
        contexts: [{ name: "test", context: { cluster: "test", user: "admin" } }],
        "current-context": "test",
    });
}

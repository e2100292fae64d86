import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { request } from "https";
import { homedir } from "os";
import { dirname, isAbsolute, join, resolve } from "path";
import { parse } from "yaml";

/**
 * Just enough of a Kubernetes client for netplumb's readiness checks: the
 * connection a kubeconfig describes (its current context, or `context`) and
 * one JSON request at a time. Authentication as kubectl does it: a bearer
 * token or token file, a client certificate, or an exec credential plugin
 * (run as argv, never through a shell).
 */
export interface KubeConnection {
    readonly server: string;
    readonly ca?: Buffer;
    readonly cert?: Buffer;
    readonly key?: Buffer;
    readonly token?: string;
    readonly insecure?: boolean;
}

type Entry = Record<string, unknown>;
type Named = { name?: string } & Entry;

/** Reads a file named in a kubeconfig; relative paths are relative to the kubeconfig's folder, as in kubectl. */
export type FileReader = (path: string) => Buffer;

/** `kubeconfig` as given to a component (contents or a path), else $KUBECONFIG's first entry, else ~/.kube/config: its text and folder. */
export function loadKubeconfig(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): { text: string; dir: string } {
    if (kubeconfig !== undefined && /^\s*(apiVersion|kind|clusters|contexts|users|current-context|preferences)\s*:|^\s*\{/m.test(kubeconfig)) {
        return { text: kubeconfig, dir: process.cwd() };
    }
    const path = kubeconfig ?? (env.KUBECONFIG ?? "").split(":").find((p) => p !== "") ?? join(homedir(), ".kube", "config");
    return { text: readFileSync(path, "utf8"), dir: dirname(resolve(path)) };
}

/** The connection of `context` (default: the kubeconfig's current context). Throws naming what is missing. */
export function connectionFrom(text: string, dir: string, context?: string, readFile: FileReader = (p) => readFileSync(p)): KubeConnection {
    const config = (parse(text) ?? {}) as Entry;
    const contextName = context ?? (config["current-context"] as string | undefined);
    if (!contextName) throw new Error("the kubeconfig has no current-context; set one (kubectl config use-context NAME)");
    const ctx = entry(config, "contexts", "context", contextName);
    const cluster = entry(config, "clusters", "cluster", ctx.cluster as string);
    const user = ctx.user === undefined ? {} : entry(config, "users", "user", ctx.user as string);
    const file = (p: unknown) => (typeof p === "string" ? readFile(isAbsolute(p) ? p : join(dir, p)) : undefined);
    const data = (d: unknown) => (typeof d === "string" ? Buffer.from(d, "base64") : undefined);
    if (typeof cluster.server !== "string") throw new Error(`kubeconfig cluster ${String(ctx.cluster)} has no server`);
    const tokenFile = file(user.tokenFile);
    const connection: KubeConnection = {
        server: cluster.server.replace(/\/+$/, ""),
        ca: data(cluster["certificate-authority-data"]) ?? file(cluster["certificate-authority"]),
        insecure: cluster["insecure-skip-tls-verify"] === true,
        cert: data(user["client-certificate-data"]) ?? file(user["client-certificate"]),
        key: data(user["client-key-data"]) ?? file(user["client-key"]),
        token: typeof user.token === "string" ? user.token : tokenFile?.toString("utf8").trim(),
    };
    return user.exec === undefined ? connection : { ...connection, ...execCredential(user.exec as Entry) };
}

function entry(config: Entry, list: string, key: string, name: string): Entry {
    const found = ((config[list] as Named[] | undefined) ?? []).find((e) => e.name === name);
    if (found === undefined || typeof found[key] !== "object") throw new Error(`the kubeconfig has no ${key} named ${JSON.stringify(name)}`);
    return found[key] as Entry;
}

/** Runs a kubeconfig's exec credential plugin (argv, its `env` added) and takes the token or client certificate it prints. */
function execCredential(exec: Entry): Partial<KubeConnection> {
    const command = exec.command;
    if (typeof command !== "string") throw new Error("kubeconfig user exec has no command");
    const env = { ...process.env };
    for (const e of (exec.env as Array<{ name: string; value: string }> | undefined) ?? []) env[e.name] = e.value;
    const out = execFileSync(command, (exec.args as string[] | undefined) ?? [], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const status = ((JSON.parse(out) as Entry).status ?? {}) as Entry;
    const pem = (v: unknown) => (typeof v === "string" ? Buffer.from(v) : undefined);
    return {
        token: typeof status.token === "string" ? status.token : undefined,
        cert: pem(status.clientCertificateData),
        key: pem(status.clientKeyData),
    };
}

/** The answer to one request: HTTP status and the parsed JSON body (or the text when it is not JSON). */
export interface KubeResponse {
    readonly status: number;
    readonly body: Entry;
}

/** One request to the API server; rejects only when no answer came (refused, TLS failure, timeout after `timeoutMs`, default 10000). */
export function kubeRequest(c: KubeConnection, method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolvePromise, reject) => {
        const req = request(
            `${c.server}${path}`,
            {
                method,
                ca: c.ca,
                cert: c.cert,
                key: c.key,
                rejectUnauthorized: !c.insecure,
                timeout: timeoutMs,
                headers: {
                    accept: "application/json",
                    ...(payload === undefined ? {} : { "content-type": "application/json" }),
                    ...(c.token === undefined ? {} : { authorization: `Bearer ${c.token}` }),
                },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString("utf8")) }));
            },
        );
        req.on("timeout", () => req.destroy(new Error(`no answer from ${c.server} within ${timeoutMs / 1000} s`)));
        req.on("error", reject);
        req.end(payload);
    });
}

function parseBody(text: string): Entry {
    try {
        return JSON.parse(text) as Entry;
    } catch {
        return { message: text };
    }
}

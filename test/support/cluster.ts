import { execFileSync, spawn } from "child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { ClusterCredentials, kubeconfigFor, makeClusterCredentials } from "./cluster-certs";
import { ROOT } from "./engine";
import { ip, namespaces } from "./sandbox";

/** Where setup (scripts/setup-cluster.sh) puts the control plane, kwok and the controllers. */
export const CLUSTER_BIN = join(ROOT, ".tools", "cluster", "bin");
const KWOK_STAGES = join(ROOT, ".tools", "cluster", "kwok-stages");

/** True when setup has built every control-plane binary. */
export function hasClusterBinaries(): boolean {
    return ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"].every((b) => existsSync(join(CLUSTER_BIN, b)));
}

/** The node network inside the cluster's namespace (documentation range, never routed anywhere). */
const NODE_ADDRESS = "198.51.100.10";
/** Service and pod ranges of the test cluster (benchmark and documentation ranges). */
export const SERVICE_CIDR = "198.18.0.0/24";
export const POD_CIDR = "198.19.0.0/16";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real Kubernetes control plane for the cluster suites: etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler and kwok (simulated
 * nodes whose pods become Ready), started as processes inside a sandbox
 * namespace of their own, with certificates made for the run. Clients run in
 * that namespace too (`exec`), so nothing listens on this machine's network.
 * `stop()` ends every process in the namespace (`ip netns pids`, which lists
 * only what runs inside it), deletes the namespace and the run's files.
 */
export class TestCluster {
    readonly netns: string;
    readonly dir: string;
    readonly kubeconfig: string;
    readonly server = `https://${NODE_ADDRESS}:6443`;
    private credentials?: ClusterCredentials;

    constructor(readonly tag: string) {
        this.netns = `kc${tag}-node`;
        this.dir = join(ROOT, ".tools", "cluster", `run-${tag}`);
        this.kubeconfig = join(this.dir, "kubeconfig");
    }

    /** Starts everything and waits (within generous bounds) until the API server is ready and the nodes are Ready. */
    async start(nodes = ["node-1", "node-2"]): Promise<void> {
        mkdirSync(join(this.dir, "logs"), { recursive: true });
        this.makeNamespace();
        this.credentials = makeClusterCredentials(this.dir, NODE_ADDRESS);
        writeFileSync(this.kubeconfig, kubeconfigFor(this.credentials, this.server), { mode: 0o600 });
        this.startEtcd();
        this.startApiServer(this.credentials);
        await this.until("the API server is ready", () => this.tryKubectl(["get", "--raw", "/readyz"]) === "ok");
        this.startControllers(this.credentials);
        for (const name of nodes) this.kubectlApply(nodeObject(name));
        await this.until("every node is Ready", () => this.readyNodes() === nodes.length);
        await this.until("the default service account exists", () => this.tryKubectl(["get", "serviceaccount", "default", "-o", "name"]) !== undefined);
    }

    /** Runs `argv` inside the cluster's namespace (argv, no shell) and returns its standard output. */
    exec(argv: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
        return execFileSync("ip", ["netns", "exec", this.netns, ...argv], {
            encoding: "utf8",
            input: options.input,
            env: options.env ?? process.env,
            cwd: options.cwd,
            stdio: ["pipe", "pipe", "pipe"],
            maxBuffer: 64 * 1024 * 1024,
        });
    }

    /** `kubectl ARGS` against the test cluster. */
    kubectl(...args: string[]): string {
        return this.exec(["kubectl", "--kubeconfig", this.kubeconfig, ...args]);
    }

    /** `kubectl ARGS`, or undefined when it fails. */
    tryKubectl(args: string[]): string | undefined {
        try {
            return this.kubectl(...args).trim();
        } catch {
            return undefined;
        }
    }

    kubectlApply(object: unknown): void {
        this.exec(["kubectl", "--kubeconfig", this.kubeconfig, "apply", "-f", "-"], { input: JSON.stringify(object) });
    }

    /** Ends every process in the namespace, deletes it and the run's files. Safe to call twice, and after a failed start. */
    stop(): void {
        if (namespaces().includes(this.netns)) {
            for (const signal of ["SIGTERM", "SIGKILL"] as const) {
                for (const pid of this.pidsInside()) killQuietly(pid, signal);
                for (let i = 0; i < 100 && this.pidsInside().length > 0; i++) execFileSync("sleep", ["0.05"]);
            }
            ip("netns", "del", this.netns);
        }
        rmSync(this.dir, { recursive: true, force: true });
    }

    /** A process's log, for failure messages. */
    log(name: string): string {
        const file = join(this.dir, "logs", `${name}.log`);
        return existsSync(file) ? readFileSync(file, "utf8").slice(-4000) : "";
    }

    private pidsInside(): number[] {
        return execFileSync("ip", ["netns", "pids", this.netns], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
    }

    private makeNamespace(): void {
        ip("netns", "add", this.netns);
        ip("-n", this.netns, "link", "set", "lo", "up");
        // A veth pair with both ends inside: the node address is not loopback, which EndpointSlices (webhooks) reject.
        ip("-n", this.netns, "link", "add", "node0", "type", "veth", "peer", "name", "node1");
        ip("-n", this.netns, "address", "add", `${NODE_ADDRESS}/24`, "dev", "node0");
        ip("-n", this.netns, "link", "set", "node0", "up");
        ip("-n", this.netns, "link", "set", "node1", "up");
    }

    /** Starts `binary` from .tools/cluster/bin in the namespace, detached, logging to logs/<name>.log. */
    private startProcess(name: string, args: string[]): void {
        const log = openSync(join(this.dir, "logs", `${name}.log`), "a");
        const child = spawn("ip", ["netns", "exec", this.netns, join(CLUSTER_BIN, name), ...args], { detached: true, stdio: ["ignore", log, log] });
        child.unref();
    }

    private startEtcd(): void {
        this.startProcess("etcd", [
            "--name=test",
            `--data-dir=${join(this.dir, "etcd")}`,
            "--listen-client-urls=http://127.0.0.1:2379",
            "--advertise-client-urls=http://127.0.0.1:2379",
            "--listen-peer-urls=http://127.0.0.1:2380",
            "--initial-advertise-peer-urls=http://127.0.0.1:2380",
            "--initial-cluster=test=http://127.0.0.1:2380",
            "--log-level=warn",
        ]);
    }

    private startApiServer(c: ClusterCredentials): void {
        this.startProcess("kube-apiserver", [
            "--etcd-servers=http://127.0.0.1:2379",
            `--advertise-address=${NODE_ADDRESS}`,
            "--bind-address=0.0.0.0",
            "--secure-port=6443",
            `--tls-cert-file=${c.serverCert}`,
            `--tls-private-key-file=${c.serverKey}`,
            `--client-ca-file=${c.caCert}`,
            `--token-auth-file=${c.tokenFile}`,
            "--authorization-mode=AlwaysAllow",
            `--service-cluster-ip-range=${SERVICE_CIDR}`,
            "--service-account-issuer=https://kubernetes.default.svc",
            `--service-account-key-file=${c.serviceAccountPublicKey}`,
            `--service-account-signing-key-file=${c.serviceAccountKey}`,
            "--enable-aggregator-routing=true",
            "--profiling=false",
        ]);
    }

    private startControllers(c: ClusterCredentials): void {
        this.startProcess("kube-controller-manager", [
            `--kubeconfig=${this.kubeconfig}`,
            "--leader-elect=false",
            "--secure-port=0",
            `--service-account-private-key-file=${c.serviceAccountKey}`,
            `--root-ca-file=${c.caCert}`,
            "--use-service-account-credentials=false",
            "--allocate-node-cidrs=true",
            `--cluster-cidr=${POD_CIDR}`,
            `--service-cluster-ip-range=${SERVICE_CIDR}`,
        ]);
        this.startProcess("kube-scheduler", [`--kubeconfig=${this.kubeconfig}`, "--leader-elect=false", "--secure-port=0"]);
        const stages = ["node-initialize", "node-heartbeat", "pod-ready", "pod-complete", "pod-delete"].map(
            (s) => `--config=${join(KWOK_STAGES, `${s}.yaml`)}`,
        );
        this.startProcess("kwok", [`--kubeconfig=${this.kubeconfig}`, "--manage-all-nodes=true", `--cidr=${POD_CIDR.replace("/16", "/24")}`, ...stages]);
    }

    private readyNodes(): number {
        const out = this.tryKubectl(["get", "nodes", "-o", "jsonpath={.items[*].status.conditions[?(@.type=='Ready')].status}"]);
        return (out ?? "").split(/\s+/).filter((s) => s === "True").length;
    }

    /** Polls `ready` every 200 ms; fails after `bound` ms (generous: it guards against a hang, not a slow machine) with the logs. */
    private async until(what: string, ready: () => boolean, bound = 180_000): Promise<void> {
        for (let waited = 0; waited < bound; waited += 200) {
            if (ready()) return;
            await pause(200);
        }
        throw new Error(
            `test cluster: ${what} did not happen within ${bound / 1000} s\n${["etcd", "kube-apiserver", "kwok"].map((n) => `--- ${n}\n${this.log(n)}`).join("\n")}`,
        );
    }
}

function nodeObject(name: string) {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", type: "kwok" } },
        spec: {},
    };
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(pid, signal);
    } catch {
        // already gone
    }
}

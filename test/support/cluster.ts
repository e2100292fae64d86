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

/** True when setup has also built the controllers (MetalLB's controller, Traefik). */
export function hasControllerBinaries(): boolean {
    return hasClusterBinaries() && ["metallb-controller", "traefik"].every((b) => existsSync(join(CLUSTER_BIN, b)));
}

/** Where the test cluster's Traefik runs: its namespace and Service (the Ingress component's release "traefik"). */
export const TRAEFIK_NAMESPACE = "traefik";
/** Traefik's entry point for HTTP inside the cluster's namespace, which the Gateway's listener names. */
export const TRAEFIK_WEB_PORT = 8000;

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

    /**
     * Starts everything and waits (within generous bounds) until the API
     * server is ready and the nodes are Ready. With `controllers`, MetalLB's
     * controller and Traefik run too, under a supervisor that restarts them
     * (they exit until their CRDs are installed, as their pods would crash
     * and restart on a real node).
     */
    async start(nodes = ["node-1", "node-2"], options: { controllers?: boolean } = {}): Promise<void> {
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
        if (options.controllers) {
            this.startMetallb();
            this.startTraefik(this.credentials);
        }
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

    /**
     * Every object the API server lists, as `kind -> sorted namespace/name`
     * (events, leases and the API server's own bookkeeping left out), to
     * compare the cluster before an install and after its destroy.
     */
    objectsByKind(): Map<string, string[]> {
        const volatile = /^(events|leases|componentstatuses)(\.|$)/;
        const kinds = this.kubectl("api-resources", "--verbs=list", "-o", "name")
            .split("\n")
            .filter((k) => k !== "" && !volatile.test(k));
        const list = JSON.parse(this.kubectl("get", kinds.join(","), "--all-namespaces", "-o", "json")) as {
            items: Array<{ kind: string; metadata: { name: string; namespace?: string } }>;
        };
        const byKind = new Map<string, string[]>();
        for (const item of list.items) {
            const names = byKind.get(item.kind) ?? [];
            names.push(`${item.metadata.namespace ?? ""}/${item.metadata.name}`);
            byKind.set(item.kind, names);
        }
        for (const names of byKind.values()) names.sort();
        return new Map([...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)));
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
        // kwok gives pods addresses from the pod network; delivered locally, the API server's calls to a
        // webhook's endpoint (a pod address and port) reach the controller process listening here.
        ip("-n", this.netns, "route", "add", "local", POD_CIDR, "dev", "lo");
    }

    /** Starts `binary` from .tools/cluster/bin in the namespace, detached, logging to logs/<name>.log; `supervised` restarts it when it exits. */
    private startProcess(name: string, args: string[], options: { supervised?: boolean; env?: NodeJS.ProcessEnv } = {}): void {
        const log = openSync(join(this.dir, "logs", `${name}.log`), "a");
        const command = [join(CLUSTER_BIN, name), ...args];
        const argv = options.supervised ? [process.execPath, join(__dirname, "supervise.js"), ...command] : command;
        const child = spawn("ip", ["netns", "exec", this.netns, ...argv], { detached: true, stdio: ["ignore", log, log], env: options.env ?? process.env });
        child.unref();
    }

    /**
     * MetalLB's controller: assigns LoadBalancer addresses from the pools and
     * serves the validating webhook on :9443 once its certificate, which its
     * rotator keeps in the Secret metallb-webhook-cert, is in its cert folder
     * (a pod has it mounted; here mount-secret.js copies it, as the kubelet would).
     */
    private startMetallb(): void {
        // Its webhook server reads the certificate from $TMPDIR/k8s-webhook-server/serving-certs, where controller-runtime looks by default.
        const tmp = join(this.dir, "metallb-tmp");
        const certs = join(tmp, "k8s-webhook-server", "serving-certs");
        const mount = spawn(
            "ip",
            [
                "netns",
                "exec",
                this.netns,
                process.execPath,
                join(__dirname, "mount-secret.js"),
                this.kubeconfig,
                "metallb-system",
                "metallb-webhook-cert",
                certs,
            ],
            { detached: true, stdio: "ignore" },
        );
        mount.unref();
        this.startProcess(
            "metallb-controller",
            ["--namespace=metallb-system", `--cert-dir=${certs}`, "--port=7472", "--webhook-mode=enabled", "--log-level=info"],
            { supervised: true, env: { ...process.env, KUBECONFIG: this.kubeconfig, TMPDIR: tmp } },
        );
    }

    /** Traefik with its Gateway API provider: the `web` entry point on :8000, status addresses from its Service. */
    private startTraefik(c: ClusterCredentials): void {
        const gateway = "--providers.kubernetesgateway";
        this.startProcess(
            "traefik",
            [
                `--entryPoints.web.address=:${TRAEFIK_WEB_PORT}`,
                `${gateway}=true`,
                `${gateway}.endpoint=${this.server}`,
                `${gateway}.token=${c.token}`,
                `${gateway}.certauthfilepath=${c.caCert}`,
                `${gateway}.statusaddress.service.name=traefik`,
                `${gateway}.statusaddress.service.namespace=${TRAEFIK_NAMESPACE}`,
                "--log.level=INFO",
            ],
            { supervised: true },
        );
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
            // Without the watch cache a CRD deleted seconds after its creation (a quick install and destroy) is not left
            // Terminating: the CRD finalizer otherwise fails once with "storage is (re)initializing" and does not retry.
            "--watch-cache=false",
            // As kubeadm sets it: CNI agents (calico-node) run privileged.
            "--allow-privileged=true",
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
            `test cluster: ${what} did not happen within ${bound / 1000} s\n${["etcd", "kube-apiserver", "kwok", "metallb-controller", "traefik"].map((n) => `--- ${n}\n${this.log(n)}`).join("\n")}`,
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

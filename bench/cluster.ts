/**
 * `npm run bench:cluster`: examples/cluster on the test cluster (with the
 * real MetalLB controller and Traefik), --runs R times (default 3), each in
 * a fresh stack: `pulumi up`, a no-change `preview`, `refresh`, `destroy`.
 * Prints medians (min–max) in seconds and the number of Kubernetes objects
 * the stack manages; writes bench/results/cluster.json. The program is
 * type-checked as users run it (PULUMI_NODEJS_TRANSPILE_ONLY=false).
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { chartMirror } from "../test/support/charts";
import { POD_CIDR, SERVICE_CIDR, TestCluster } from "../test/support/cluster";
import { ClusterProject } from "../test/support/cluster-project";
import { ROOT } from "../test/support/engine";
import { stats } from "./report";

const runs = Number(process.argv.includes("--runs") ? process.argv[process.argv.indexOf("--runs") + 1] : 3);
const tag = Math.random().toString(36).slice(2, 5);

function timed(project: ClusterProject, ...args: string[]): number {
    const start = process.hrtime.bigint();
    project.ok(...args);
    return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
    const mirror = chartMirror();
    if (mirror === undefined) throw new Error("no chart mirror (shared/charts beside the repository, or NETPLUMB_CHART_MIRROR)");
    const cluster = new TestCluster(`b${tag}`);
    const times: Record<"up" | "preview" | "refresh" | "destroy", number[]> = { up: [], preview: [], refresh: [], destroy: [] };
    let objects = 0;
    try {
        await cluster.start(["node-1", "node-2"], { controllers: true });
        for (let run = 0; run < runs; run++) {
            const project = new ClusterProject(cluster, "examples/cluster", "netplumb-cluster", `bench-${tag}-${run}`, { pack: true });
            try {
                const config = {
                    chartMirror: mirror,
                    podCidr: POD_CIDR,
                    serviceCidr: SERVICE_CIDR,
                    nodeAddresses: '["198.51.100.10"]',
                    pool: '["203.0.113.200-203.0.113.209"]',
                };
                for (const [key, value] of Object.entries(config)) project.ok("config", "set", key, value);
                times.up.push(timed(project, "up", "--yes", "--skip-preview"));
                const state = JSON.parse(project.ok("stack", "export")) as { deployment: { resources?: Array<{ type: string }> } };
                objects = (state.deployment.resources ?? []).filter(
                    (r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && !r.type.startsWith("kubernetes:yaml"),
                ).length;
                times.preview.push(timed(project, "preview", "--expect-no-changes"));
                times.refresh.push(timed(project, "refresh", "--yes", "--skip-preview"));
                times.destroy.push(timed(project, "destroy", "--yes", "--skip-preview"));
            } finally {
                project.dispose();
            }
        }
    } finally {
        cluster.stop();
    }
    const result = { runs, kubernetesObjects: objects, seconds: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)])) };
    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    writeFileSync(join(ROOT, "bench", "results", "cluster.json"), `${JSON.stringify(result, null, 2)}\n`);
    for (const [step, s] of Object.entries(result.seconds)) console.log(`${step}: ${s.median.toFixed(1)} s (${s.min.toFixed(1)}–${s.max.toFixed(1)})`);
    console.log(`${objects} Kubernetes objects, ${runs} runs`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});

import { strict as assert } from "assert";
import { existsSync } from "fs";
import { join } from "path";
import { TestCluster } from "../support/cluster";
import { ClusterProject, requireChartSuite } from "../support/cluster-project";
import { ROOT } from "../support/engine";
import { requireOrSkip, runTag } from "../support/suite";

const ISTIOCTL = join(ROOT, ".tools", "extended", "bin", "istioctl");

/** A stand-in for Istio's ingress gateway as its chart installs it: a Deployment whose pods carry the label Gateways select, and its Service (port 80 to the proxy's 8080). */
const INGRESS_GATEWAY = {
    apiVersion: "v1",
    kind: "List",
    items: [
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "istio-ingressgateway", namespace: "istio-system" },
            spec: { selector: { istio: "ingressgateway" }, ports: [{ name: "http2", port: 80, targetPort: 8080 }] },
        },
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "istio-ingressgateway", namespace: "istio-system" },
            spec: {
                selector: { matchLabels: { istio: "ingressgateway" } },
                template: {
                    metadata: { labels: { istio: "ingressgateway", app: "istio-ingressgateway" } },
                    spec: { containers: [{ name: "istio-proxy", image: "docker.io/istio/proxyv2:1.30.3", ports: [{ containerPort: 8080 }] }] },
                },
            },
        },
    ],
};

/** One finding of `istioctl analyze -o json`. */
interface AnalyzerMessage {
    code: string;
    level: string;
    message?: string;
    origin?: string;
    documentationUrl?: string;
}

/**
 * An independent check of what IstioMesh applies: Istio's own analyzer
 * (`istioctl analyze`, built from istio.io/istio by scripts/setup-extended.sh)
 * reads the live objects of examples/mesh from the test cluster, with a
 * stand-in for Istio's ingress gateway pods (no control plane runs here, so
 * the workloads' pods carry no sidecar: IST0103 warnings about them are
 * expected and are not about netplumb's objects). It must
 * find nothing wrong with netplumb's objects; and, to show it would, a
 * VirtualService naming a subset no rule defines, applied behind netplumb's
 * back with kubectl, must be reported. `npm run test:extended`; its verdict
 * goes in the issue's closing note.
 */
describe("extended: istioctl analyze over examples/mesh on the test cluster", function () {
    this.timeout(20 * 60 * 1000);
    const tag = runTag();
    const cluster = new TestCluster(tag);
    let project: ClusterProject | undefined;

    const analyze = (): AnalyzerMessage[] => {
        let out: string;
        try {
            out = cluster.exec([
                ISTIOCTL,
                "analyze",
                "--kubeconfig",
                cluster.kubeconfig,
                "--all-namespaces",
                "--output",
                "json",
                "--failure-threshold",
                "Error",
            ]);
        } catch (error) {
            // Exit code 79 means "analysis found issues at or above the threshold"; its JSON is still on stdout.
            out = (error as { stdout?: string }).stdout ?? "";
        }
        return JSON.parse(out.trim() === "" ? "[]" : out) as AnalyzerMessage[];
    };
    const podsOfGateway = () => cluster.tryKubectl(["-n", "istio-system", "get", "pods", "-l", "istio=ingressgateway", "-o", "name"]) ?? "";
    const about = (messages: AnalyzerMessage[], namespace: string) =>
        messages.filter((m) => (m.origin ?? "").includes(` ${namespace}/`) || (m.origin ?? "").includes(`.${namespace}`));

    before(async function () {
        const mirror = requireChartSuite(this);
        requireOrSkip(this, existsSync(ISTIOCTL), "istioctl is not built: run `bash scripts/setup-extended.sh`");
        await cluster.start(["node-1"]);
        project = new ClusterProject(cluster, "examples/mesh", "netplumb-mesh", `analyze-${tag}`, { pack: true });
        project.ok("config", "set", "chartMirror", mirror);
        project.ok("up", "--yes", "--skip-preview");
        // What installing Istio's ingress gateway would add: pods labelled istio=ingressgateway (kwok runs them), which the Gateway's selector names.
        cluster.exec(["kubectl", "--kubeconfig", cluster.kubeconfig, "apply", "-f", "-"], { input: JSON.stringify(INGRESS_GATEWAY) });
        for (let i = 0; i < 120 && podsOfGateway() === ""; i++) await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.notEqual(podsOfGateway(), "", "kwok started no ingress gateway pod within 120 s");
    });

    after(() => {
        cluster.tryKubectl(["-n", "istio-system", "delete", "deployment,service", "istio-ingressgateway", "--ignore-not-found"]);
        project?.dispose();
        cluster.stop();
    });

    it("finds no error and no warning about netplumb's Gateway, VirtualService, DestinationRule or ServiceEntry", () => {
        const messages = analyze();
        console.log(
            `      istioctl analyze: ${messages.length} message(s): ${messages.map((m) => `${m.level} ${m.code} ${m.origin ?? ""}`).join("; ") || "none"}`,
        );
        assert.deepEqual(
            messages.filter((m) => m.level === "Error"),
            [],
        );
        const ours = about(messages, "bookinfo").filter((m) => /Gateway|VirtualService|DestinationRule|ServiceEntry/.test(m.origin ?? ""));
        assert.deepEqual(ours, []);
    });

    it("reports a subset no DestinationRule defines when such a VirtualService is applied behind netplumb's back (the analyzer is not blind)", () => {
        const bad = {
            apiVersion: "networking.istio.io/v1",
            kind: "VirtualService",
            metadata: { name: "unchecked", namespace: "bookinfo" },
            spec: { hosts: ["productpage"], http: [{ route: [{ destination: { host: "productpage", subset: "v3" } }] }] },
        };
        cluster.exec(["kubectl", "--kubeconfig", cluster.kubeconfig, "apply", "-f", "-"], { input: JSON.stringify(bad) });
        try {
            const found = analyze().filter((m) => (m.origin ?? "").includes("unchecked"));
            console.log(`      on the unchecked VirtualService: ${found.map((m) => `${m.level} ${m.code}: ${m.message ?? ""}`).join("; ")}`);
            assert.ok(
                found.some((m) => m.code === "IST0101"),
                "IST0101 ReferencedResourceNotFound",
            );
        } finally {
            cluster.exec(["kubectl", "--kubeconfig", cluster.kubeconfig, "delete", "virtualservice", "-n", "bookinfo", "unchecked"]);
        }
    });
});

import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { CHART_DEFAULTS, ChartName, chartSourceError, resolveChart } from "../../sdk/model/cluster/charts";
import { chartMirror } from "../support/charts";
import { requireOrSkip } from "../support/suite";

/** The mirror folder of each default (`<folder>: <project> <tag> (...)` lines of SOURCES.txt). */
const FOLDERS: Record<ChartName, string> = {
    tigeraOperator: "tigera-operator-3.31.7",
    calicoManifest: "calico-manifest-3.31.7",
    flannel: "kube-flannel-0.28.9",
    metallb: "metallb-0.15.2",
    gatewayApiCrds: "gateway-api-crds-1.4.0",
    traefik: "traefik-39.0.7",
    ingressNginx: "ingress-nginx-4.15.1",
    istioBase: "istio-base-1.30.3",
    linkerdCrds: "linkerd-crds-edge-26.8.3",
};

describe("cluster: default charts, held against the upstream mirror", () => {
    it("every default names the project and tag the mirror was taken from (SOURCES.txt)", function () {
        const mirror = chartMirror();
        requireOrSkip(this, mirror !== undefined, "the chart mirror (shared/charts) is not beside the repository; set NETPLUMB_CHART_MIRROR");
        const sources = readFileSync(join(mirror!, "SOURCES.txt"), "utf8");
        for (const [name, folder] of Object.entries(FOLDERS) as Array<[ChartName, string]>) {
            const line = sources.split("\n").find((l) => l.startsWith(`${folder}: `));
            assert.ok(line, `SOURCES.txt has no line for ${folder}`);
            const { project, tag } = CHART_DEFAULTS[name].upstream;
            assert.ok(line.startsWith(`${folder}: ${project} ${tag} (`), `${name}: default ${project} ${tag}, mirror says: ${line}`);
        }
    });

    it("every chart default's name matches the mirrored Chart.yaml, and its version where the chart records one", function () {
        const mirror = chartMirror();
        requireOrSkip(this, mirror !== undefined, "the chart mirror (shared/charts) is not beside the repository; set NETPLUMB_CHART_MIRROR");
        for (const name of ["tigeraOperator", "flannel", "metallb", "traefik", "ingressNginx", "istioBase", "linkerdCrds"] as const) {
            const chart = readFileSync(join(mirror!, FOLDERS[name], "Chart.yaml"), "utf8");
            assert.match(chart, new RegExp(`^name: "?${CHART_DEFAULTS[name].chart}"?$`, "m"), name);
            // Calico's, Istio's and Linkerd's chart sources leave the version unset (their releases set it); the others carry it.
            if (!["tigeraOperator", "istioBase", "linkerdCrds"].includes(name))
                assert.match(chart, new RegExp(`^version: ${CHART_DEFAULTS[name].version}$`, "m"), name);
        }
    });

    it("a local path or mirror replaces the repository; an unsupported version fails naming the supported ones", () => {
        assert.deepEqual(resolveChart("metallb"), { repository: "https://metallb.github.io/metallb", chart: "metallb", version: "0.15.2" });
        assert.deepEqual(resolveChart("metallb", { path: "/srv/charts/metallb" }), { path: "/srv/charts/metallb", version: "0.15.2" });
        assert.deepEqual(resolveChart("traefik", { repository: "oci://registry.example.test/charts" }), {
            repository: "oci://registry.example.test/charts",
            chart: "traefik",
            version: "39.0.7",
        });
        assert.match(chartSourceError("metallb", { version: "0.14.0" }) ?? "", /metallb version "0\.14\.0" is not supported; use 0\.15\.2/);
        assert.match(chartSourceError("flannel", { path: " " }) ?? "", /an empty path names no chart/);
        assert.equal(chartSourceError("traefik", {}), undefined);
    });
});

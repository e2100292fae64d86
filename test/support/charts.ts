import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { ROOT } from "./engine";

/**
 * The read-only mirror of the upstream charts (shared/charts beside the
 * repository, see its README): `NETPLUMB_CHART_MIRROR` when set, else
 * `<repository>/../shared/charts`, else `/work/shared/charts`. Read by the
 * test harness only, never by the library: tests point components at it as an
 * air-gapped user points at a local mirror. Undefined when none is there.
 */
export function chartMirror(): string | undefined {
    const candidates = [process.env.NETPLUMB_CHART_MIRROR, resolve(ROOT, "..", "shared", "charts"), "/work/shared/charts"];
    return candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, "SOURCES.txt")));
}

/**
 * Linkerd's CRD chart from the mirror, made installable. Upstream's chart
 * folder depends on its sibling chart `partials` (`file://../partials`),
 * which the published tarball bundles but the mirror (a copy of the folder)
 * does not hold. This copies the mirror's folder to .tools/charts (never
 * into the repository) and adds a `partials` subchart defining the one
 * template the CRD chart includes, `partials.annotations.created-by`, as an
 * annotation written here. Returns the chart folder.
 */
export function linkerdCrdsChart(mirror: string): string {
    const folder = "linkerd-crds-edge-26.8.3";
    const chart = join(ROOT, ".tools", "charts", folder);
    rmSync(chart, { recursive: true, force: true });
    cpSync(join(mirror, folder), chart, { recursive: true });
    chmodTree(chart);
    const partials = join(chart, "charts", "partials");
    mkdirSync(join(partials, "templates"), { recursive: true });
    writeFileSync(
        join(partials, "Chart.yaml"),
        "apiVersion: v2\nname: partials\nversion: 0.1.0\ndescription: netplumb's test stand-in for Linkerd's partials chart\n",
    );
    writeFileSync(
        join(partials, "templates", "_created-by.tpl"),
        '{{- define "partials.annotations.created-by" -}}\nlinkerd.io/created-by: netplumb-tests\n{{- end -}}\n',
    );
    return chart;
}

/** Makes a copied read-only tree writable by its owner (the mirror's files are read-only). */
function chmodTree(dir: string): void {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) chmodTree(path);
        else chmodSync(path, 0o644);
    }
}

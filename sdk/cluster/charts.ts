import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartName, ChartSource, chartSourceError, resolveChart } from "../model/cluster/charts";

/** Values: plain objects merged key by key, `over` winning; anything else in `over` replaces. */
export type Values = Record<string, unknown>;

const isObject = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** `base` with `over` merged in, as Helm merges `-f` files: objects key by key, everything else replaced. */
export function mergeValues(base: Values, over: Values = {}): Values {
    const merged: Values = { ...base };
    for (const [key, value] of Object.entries(over)) merged[key] = isObject(value) && isObject(merged[key]) ? mergeValues(merged[key], value) : value;
    return merged;
}

/**
 * A helm.v4.Chart's arguments for chart `name` from `source` (default: the
 * upstream repository at the tested version; a local folder or `oci://`
 * mirror instead). Fails (at preview) on an unsupported version.
 */
export function chartArgs(
    name: ChartName,
    source: ChartSource | undefined,
    property: string,
    namespace: string,
    values: Values,
    owner: pulumi.Resource,
): k8s.helm.v4.ChartArgs {
    failOnSource(name, source, property, owner);
    const chart = resolveChart(name, source);
    if (chart.path !== undefined) return { chart: chart.path, namespace, values };
    const oci = chart.repository!.startsWith("oci://");
    return {
        chart: oci ? `${chart.repository!.replace(/\/+$/, "")}/${chart.chart!}` : chart.chart!,
        version: chart.version,
        ...(oci ? {} : { repositoryOpts: { repo: chart.repository } }),
        namespace,
        values,
    };
}

/**
 * The manifest file (or glob) for `name` from `source`: the upstream URL
 * (`<repository>/<chart>`) by default; a local `path` naming a .yaml file is
 * used as it is, a folder as `<path>/<inFolder>`. Fails (at preview) on an
 * unsupported version, naming `property`.
 */
export function manifestFile(name: ChartName, source: ChartSource | undefined, property: string, inFolder: string, owner: pulumi.Resource): string {
    failOnSource(name, source, property, owner);
    const chart = resolveChart(name, source);
    if (chart.path === undefined) return `${chart.repository!}/${chart.chart!}`;
    return /\.ya?ml$/.test(chart.path) ? chart.path : `${chart.path.replace(/\/+$/, "")}/${inFolder}`;
}

/** Stops preview with one message (no stack trace) when `source` cannot be used for chart `name`. */
function failOnSource(name: ChartName, source: ChartSource | undefined, property: string, owner: pulumi.Resource): void {
    const problem = chartSourceError(name, source);
    if (problem !== undefined) throw new pulumi.ResourceError(`${property}: ${problem}`, owner, true);
}

/** Throws one ResourceError listing every failure, so preview stops before anything is applied. */
export function failPreview(component: string, name: string, failures: ReadonlyArray<{ property: string; reason: string }>, resource: pulumi.Resource): void {
    if (failures.length === 0) return;
    throw new pulumi.ResourceError(`${component} ${name}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`, resource, true);
}

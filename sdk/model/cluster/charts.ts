import { show } from "../failures";

/**
 * Where a cluster component's chart (or manifest) comes from. The defaults
 * are the upstream repositories at pinned versions, as users on the internet
 * have them; an air-gapped user points `path` at a local copy (a chart
 * folder or manifest file) or `repository` at an OCI mirror instead.
 */
export interface ChartSource {
    /** Helm repository URL, or an `oci://` registry path. */
    readonly repository?: string;
    /** The chart's name in that repository. */
    readonly chart?: string;
    /** The chart version (one of the supported versions). */
    readonly version?: string;
    /** A local chart folder or manifest file, used instead of the repository. */
    readonly path?: string;
}

/** A default chart: the upstream repository, chart name and the version netplumb is tested with. */
export interface ChartDefault {
    readonly repository: string;
    readonly chart: string;
    readonly version: string;
    /** Versions accepted in `version`; the first is the default. */
    readonly supported: readonly string[];
    /** Where upstream publishes it (the GitHub project and tag of the release), for the mirror check. */
    readonly upstream: { readonly project: string; readonly tag: string };
}

/** The charts and manifests the cluster components install, at the versions they are tested with. */
export const CHART_DEFAULTS = {
    tigeraOperator: {
        repository: "https://docs.tigera.io/calico/charts",
        chart: "tigera-operator",
        version: "v3.31.7",
        supported: ["v3.31.7"],
        upstream: { project: "github.com/projectcalico/calico", tag: "v3.31.7" },
    },
    calicoManifest: {
        repository: "https://raw.githubusercontent.com/projectcalico/calico/v3.31.7/manifests",
        chart: "calico.yaml",
        version: "v3.31.7",
        supported: ["v3.31.7"],
        upstream: { project: "github.com/projectcalico/calico", tag: "v3.31.7" },
    },
    flannel: {
        repository: "https://flannel-io.github.io/flannel",
        chart: "flannel",
        version: "v0.28.9",
        supported: ["v0.28.9"],
        upstream: { project: "github.com/flannel-io/flannel", tag: "v0.28.9" },
    },
    metallb: {
        repository: "https://metallb.github.io/metallb",
        chart: "metallb",
        version: "0.15.2",
        supported: ["0.15.2"],
        upstream: { project: "github.com/metallb/metallb", tag: "v0.15.2" },
    },
    gatewayApiCrds: {
        repository: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.0",
        chart: "standard-install.yaml",
        version: "v1.4.0",
        supported: ["v1.4.0"],
        upstream: { project: "github.com/kubernetes-sigs/gateway-api", tag: "v1.4.0" },
    },
    traefik: {
        repository: "https://traefik.github.io/charts",
        chart: "traefik",
        version: "39.0.7",
        supported: ["39.0.7"],
        upstream: { project: "github.com/traefik/traefik-helm-chart", tag: "v39.0.7" },
    },
    ingressNginx: {
        repository: "https://kubernetes.github.io/ingress-nginx",
        chart: "ingress-nginx",
        version: "4.15.1",
        supported: ["4.15.1"],
        upstream: { project: "github.com/kubernetes/ingress-nginx", tag: "helm-chart-4.15.1" },
    },
    istioBase: {
        repository: "https://istio-release.storage.googleapis.com/charts",
        chart: "base",
        version: "1.30.3",
        supported: ["1.30.3"],
        upstream: { project: "github.com/istio/istio", tag: "1.30.3" },
    },
    linkerdCrds: {
        repository: "https://helm.linkerd.io/edge",
        chart: "linkerd-crds",
        version: "2026.8.3",
        supported: ["2026.8.3"],
        upstream: { project: "github.com/linkerd/linkerd2", tag: "edge-26.8.3" },
    },
} as const satisfies Record<string, ChartDefault>;

/** The name of a chart netplumb installs, as its defaults are keyed. */
export type ChartName = keyof typeof CHART_DEFAULTS;

/** The source a component installs from: the user's choice over the default. */
export function resolveChart(name: ChartName, source: ChartSource = {}): ChartSource & { readonly version: string } {
    const defaults = CHART_DEFAULTS[name];
    if (source.path !== undefined) return { path: source.path, version: source.version ?? defaults.version };
    return { repository: source.repository ?? defaults.repository, chart: source.chart ?? defaults.chart, version: source.version ?? defaults.version };
}

/** Returns why `source` cannot be used for chart `name` (an unsupported version, an empty path), or undefined. */
export function chartSourceError(name: ChartName, source: ChartSource = {}): string | undefined {
    const defaults = CHART_DEFAULTS[name];
    if (source.version !== undefined && !(defaults.supported as readonly string[]).includes(source.version)) {
        return `${defaults.chart} version ${show(source.version)} is not supported; use ${defaults.supported.join(" or ")}`;
    }
    if (source.path !== undefined && source.path.trim() === "") return `an empty path names no chart; give the folder of a local copy of ${defaults.chart}`;
    return undefined;
}

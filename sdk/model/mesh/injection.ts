import { Failures, show } from "../failures";
import { dns1123LabelError } from "../cluster/labels";

/**
 * Sidecar injection of a namespace: "enabled" or "disabled", or with Istio
 * a control-plane revision (`{ revision: "1-30" }`, the label
 * `istio.io/rev=1-30` instead of `istio-injection`).
 */
export type Injection = "enabled" | "disabled" | { readonly revision: string };

/** A namespace the mesh component labels for injection; netplumb creates it unless `existing`, in which case it only patches the label. */
export interface MeshNamespaceInput {
    readonly injection: Injection;
    /** The namespace exists already (made elsewhere): patch its label or annotation only, and take it back off on destroy. Default false. */
    readonly existing?: boolean;
}

/** Istio's namespace label for `injection`: `istio-injection=enabled|disabled`, or `istio.io/rev=<revision>` (`kubectl label namespace NS istio-injection=enabled`). */
export function istioNamespaceLabels(injection: Injection): Record<string, string> {
    return typeof injection === "string" ? { "istio-injection": injection } : { "istio.io/rev": injection.revision };
}

/** Linkerd's namespace annotation for `injection`: `linkerd.io/inject=enabled|disabled` (`kubectl annotate namespace NS linkerd.io/inject=enabled`). */
export function linkerdNamespaceAnnotations(injection: "enabled" | "disabled"): Record<string, string> {
    return { "linkerd.io/inject": injection };
}

/**
 * Pod template metadata that turns Istio's sidecar on or off for one
 * workload, whatever its namespace says: the label
 * `sidecar.istio.io/inject: "true"|"false"` (the annotation of that name is
 * deprecated by Istio in favour of the label). Spread it into a pod
 * template's `metadata.labels`.
 */
export function istioSidecar(inject: boolean): Record<string, string> {
    return { "sidecar.istio.io/inject": inject ? "true" : "false" };
}

/** Pod template annotations that turn Linkerd's proxy on or off for one workload: `linkerd.io/inject: enabled|disabled`. */
export function linkerdProxy(inject: boolean): Record<string, string> {
    return { "linkerd.io/inject": inject ? "enabled" : "disabled" };
}

/** Checks the namespaces to label: names, and injection values the mesh understands (`revisions` false: Linkerd, which has none). */
export function checkMeshNamespaces(namespaces: Readonly<Record<string, MeshNamespaceInput>>, revisions: boolean, path = "namespaces"): Failures {
    const failures = new Failures();
    for (const [name, ns] of Object.entries(namespaces)) {
        failures.check(`${path}.${name}`, dns1123LabelError(name));
        const injection = ns.injection;
        if (typeof injection === "object" && injection !== null && revisions)
            failures.check(`${path}.${name}.injection.revision`, dns1123LabelError(injection.revision));
        else if (injection !== "enabled" && injection !== "disabled")
            failures.add(`${path}.${name}.injection`, `${show(injection)} is not "enabled" or "disabled"${revisions ? ", or { revision }" : ""}`);
    }
    return failures;
}

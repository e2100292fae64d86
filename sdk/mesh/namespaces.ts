import * as pulumi from "@pulumi/pulumi";
import { MeshNamespaceInput } from "../model/mesh/injection";
import { kubernetes, owned } from "../cluster/kubernetes";

/** The injection metadata of one namespace, as a mesh spells it. */
export type InjectionMetadata = { labels?: Record<string, string>; annotations?: Record<string, string> };

/**
 * The namespaces a mesh component labels for injection: each is created
 * with its label or annotation, or, when `existing`, patched by server-side
 * apply (`k8s.core.v1.NamespacePatch`): only that field is ours, and destroy
 * takes it back off without deleting the namespace.
 */
export function meshNamespaces(
    owner: pulumi.Resource,
    name: string,
    component: string,
    namespaces: Readonly<Record<string, MeshNamespaceInput>>,
    metadataFor: (ns: MeshNamespaceInput) => InjectionMetadata,
): pulumi.Resource[] {
    const k8s = kubernetes(component);
    return Object.entries(namespaces).map(([namespace, ns]) => {
        const metadata = { name: namespace, ...metadataFor(ns) };
        const resourceName = `${name}-namespace-${namespace}`;
        return ns.existing
            ? new k8s.core.v1.NamespacePatch(resourceName, { metadata: owned(metadata) }, { parent: owner })
            : new k8s.core.v1.Namespace(resourceName, { metadata: owned(metadata) }, { parent: owner });
    });
}

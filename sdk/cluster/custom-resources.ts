import * as pulumi from "@pulumi/pulumi";
import { KubernetesObject } from "../model/cluster/kubernetes-object";
import { kubernetes, owned } from "./kubernetes";

/** `<prefix>-<kind>-<namespace>-<name>` (lower-case kind; no namespace part for cluster-scoped objects): one Pulumi name per object. */
export function objectResourceName(prefix: string, object: KubernetesObject): string {
    const namespace = object.metadata.namespace ? `${object.metadata.namespace}-` : "";
    return `${prefix}-${object.kind.toLowerCase()}-${namespace}${object.metadata.name}`;
}

/**
 * Applies each object as a `k8s.apiextensions.CustomResource` child of
 * `owner`, owned outright (server-side apply takes edited fields back), after
 * `dependsOn` (the readiness gate of the CRDs). Destroy deletes them before
 * what they depend on. Equivalent to `kubectl apply --server-side -f`.
 */
export function applyCustomResources(
    owner: pulumi.Resource,
    component: string,
    objects: readonly KubernetesObject[],
    resourceName: (object: KubernetesObject) => string,
    dependsOn: pulumi.Input<pulumi.Resource>[],
): pulumi.CustomResource[] {
    const k8s = kubernetes(component);
    return objects.map(
        (object) =>
            new k8s.apiextensions.CustomResource(
                resourceName(object),
                // A deep copy: the provider must not share arrays with the compiled input.
                {
                    apiVersion: object.apiVersion,
                    kind: object.kind,
                    metadata: owned({ ...object.metadata }),
                    spec: JSON.parse(JSON.stringify(object.spec)) as Record<string, unknown>,
                },
                { parent: owner, dependsOn },
            ),
    );
}

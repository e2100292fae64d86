/** A compiled Kubernetes object: plain data, as the model's compilers return it (namespace absent for cluster-scoped kinds). */
export interface KubernetesObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string };
    readonly spec: Record<string, unknown>;
}

import type * as k8s from "@pulumi/kubernetes";

/**
 * `@pulumi/kubernetes`, loaded when a cluster component is first made: it is an
 * optional peer dependency, so programs that manage only host networking do
 * not need it installed.
 */
export function kubernetes(component: string): typeof k8s {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require("@pulumi/kubernetes") as typeof k8s;
    } catch {
        throw new Error(`${component} needs @pulumi/kubernetes (tested with 4.25.0): npm install @pulumi/kubernetes`);
    }
}

/**
 * Metadata of an object netplumb owns outright, with Pulumi's
 * `pulumi.com/patchForce` annotation: server-side apply then takes the fields
 * back from whoever edited them (`kubectl edit`, `kubectl patch`), so `up`
 * undoes drift that `refresh` found instead of failing on a field conflict.
 */
export function owned<T extends object>(metadata: T): T & { annotations: Record<string, string> } {
    const annotations = (metadata as { annotations?: Record<string, string> }).annotations;
    return { ...metadata, annotations: { ...annotations, "pulumi.com/patchForce": "true" } };
}

/** Pod security labels for a namespace whose pods need host networking (MetalLB's speaker, CNI agents). */
export function privileged(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ["enforce", "audit", "warn"]) labels[`pod-security.kubernetes.io/${mode}`] = "privileged";
    return labels;
}

import * as pulumi from "@pulumi/pulumi";
import { ReadinessInput } from "../model/cluster/readiness";
import { NetplumbResource } from "../resources/base";

/** Where the readiness check finds the API server: the same kubeconfig the `k8s.Provider` uses. */
export interface ClusterConnectionArgs {
    /** A kubeconfig's contents or path, as `k8s.Provider`'s `kubeconfig` takes it. Default: $KUBECONFIG, else ~/.kube/config. Kept secret in state. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** The kubeconfig context. Default: its current context. */
    readonly context?: pulumi.Input<string>;
}

/**
 * Waits, on `up`, until a controller is ready for its custom resources: its
 * CRDs Established and its validating webhook answering a server-side dry
 * run of a probe object (one request a second, up to `timeoutSeconds`,
 * default 300). Custom resources that depend on it are applied only then.
 * Touches nothing in the cluster; preview and destroy do not wait.
 *
 * Equivalent to `kubectl wait --for condition=established crd/NAME` and
 * retrying `kubectl apply --dry-run=server -f probe.yaml` until it stops
 * failing with "failed calling webhook".
 */
export class ClusterReadiness extends NetplumbResource {
    /** How long the last `up` waited, in seconds. */
    declare public readonly readySeconds: pulumi.Output<number>;

    constructor(name: string, args: ReadinessInput & ClusterConnectionArgs, opts?: pulumi.CustomResourceOptions) {
        const kubeconfig = args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig);
        super("cluster-readiness", "ClusterReadiness", name, { ...args, kubeconfig, readySeconds: undefined }, opts);
    }
}

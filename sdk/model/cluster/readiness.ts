/**
 * When a controller is ready for its custom resources: its CRDs are
 * established and its validating webhook answers. Applying a MetalLB pool
 * before that fails with "failed calling webhook
 * ipaddresspoolvalidationwebhook.metallb.io", MetalLB's most reported install
 * failure; these functions read the API server's answers, the provider
 * (providers/cluster-readiness.ts) asks the questions.
 */

/** What to wait for. */
export interface ReadinessInput {
    /** For messages, e.g. "MetalLB". */
    readonly what: string;
    /** CRD names that must be Established, e.g. `ipaddresspools.metallb.io`. */
    readonly crds: readonly string[];
    /** An object sent as a server-side dry run (`POST <path>?dryRun=All`): the webhook must answer it. */
    readonly probe?: { readonly path: string; readonly object: Record<string, unknown> };
    /** How long to wait in all, in seconds. Default 300. */
    readonly timeoutSeconds?: number;
}

/** A response as the provider got it. */
export interface ApiAnswer {
    readonly status: number;
    readonly body: Record<string, unknown>;
}

/** True when a CRD's status has condition Established=True (`kubectl wait --for condition=established crd/NAME`). */
export function crdEstablished(answer: ApiAnswer): boolean {
    if (answer.status !== 200) return false;
    const conditions = (answer.body.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
    return conditions.some((c) => c.type === "Established" && c.status === "True");
}

/**
 * Why a dry-run answer shows the webhook is not serving yet, or undefined
 * when it answered. A webhook that denies the probe did answer; the API
 * server's own "failed calling webhook" (the endpoint refuses, has no
 * address yet, or presents a certificate its CA bundle does not sign) and a
 * resource type it does not know yet do not.
 */
export function webhookNotReady(answer: ApiAnswer): string | undefined {
    const message = typeof answer.body.message === "string" ? answer.body.message : "";
    if (answer.status >= 200 && answer.status < 300) return undefined;
    if (/admission webhook .* denied the request/.test(message)) return undefined;
    return `${answer.status}: ${message || "no message"}`;
}

/** Default bound on the wait, in seconds. */
export const READINESS_TIMEOUT_SECONDS = 300;

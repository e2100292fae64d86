import { ApiAnswer, READINESS_TIMEOUT_SECONDS, ReadinessInput, crdEstablished, webhookNotReady } from "../sdk/model/cluster/readiness";
import { KubeConnection, connectionFrom, kubeRequest, loadKubeconfig } from "./kube-api";

/** What ClusterReadiness waits for, and where the API server is (a kubeconfig's contents or path; default $KUBECONFIG, ~/.kube/config). */
export type Props = ReadinessInput & { kubeconfig?: string; context?: string };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why `props` is not ready yet on the server behind `c`, or undefined when it is. */
export async function notReady(c: KubeConnection, props: ReadinessInput): Promise<string | undefined> {
    const ask = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
        try {
            return await kubeRequest(c, method, path, body);
        } catch (error) {
            return { status: 0, body: { message: (error as Error).message } };
        }
    };
    for (const crd of props.crds) {
        const answer = await ask("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(crd)}`);
        if (!crdEstablished(answer))
            return `CRD ${crd} is not established yet (${answer.status}${answer.status === 0 ? `: ${String(answer.body.message)}` : ""})`;
    }
    if (props.probe === undefined) return undefined;
    const reason = webhookNotReady(await ask("POST", `${props.probe.path}?dryRun=All`, props.probe.object));
    return reason === undefined ? undefined : `its webhook does not answer yet (${reason})`;
}

/** Polls `notReady` once a second until it returns undefined; rejects after the timeout naming the last reason. */
export async function waitUntilReady(props: Props, check: (c: KubeConnection, p: ReadinessInput) => Promise<string | undefined> = notReady): Promise<number> {
    const { text, dir } = loadKubeconfig(props.kubeconfig);
    const connection = connectionFrom(text, dir, props.context);
    const bound = (props.timeoutSeconds ?? READINESS_TIMEOUT_SECONDS) * 1000;
    const started = Date.now();
    for (;;) {
        const reason = await check(connection, props);
        if (reason === undefined) return (Date.now() - started) / 1000;
        if (Date.now() - started >= bound) {
            throw new Error(`${props.what} was not ready within ${bound / 1000} s: ${reason}. Is its controller running? (kubectl get pods -A)`);
        }
        await pause(1000);
    }
}

import type * as pulumi from "@pulumi/pulumi";
import "./engine-watch";
import { Props, waitUntilReady } from "./readiness-wait";

/**
 * Dynamic provider for ClusterReadiness: create and update wait until the
 * named CRDs are Established and the probe's server-side dry run is answered
 * by the webhook (polling once a second, up to `timeoutSeconds`); read and
 * delete touch nothing. Equivalent to `kubectl wait --for condition=established
 * crd/NAME` followed by `kubectl apply --dry-run=server -f probe.yaml` until it
 * stops failing with "failed calling webhook".
 */
function outputs(inputs: Props, seconds: number): Props & { readySeconds: number } {
    return { ...inputs, readySeconds: Math.round(seconds * 10) / 10 };
}

const provider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news: Props) => Promise.resolve({ inputs: news }),
    diff: (_id, olds: Props, news: Props) => {
        const keys = ["what", "crds", "probe", "timeoutSeconds", "context"] as const;
        const changed = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
        return Promise.resolve({ changes: changed.length > 0, replaces: [], deleteBeforeReplace: false });
    },
    create: async (inputs: Props) => ({
        id: `ready-${inputs.what.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
        outs: outputs(inputs, await waitUntilReady(inputs)),
    }),
    update: async (_id, _olds, news: Props) => ({ outs: outputs(news, await waitUntilReady(news)) }),
    read: (id: string, props: Props) => Promise.resolve({ id, props }),
    delete: () => Promise.resolve(),
};

export = provider;

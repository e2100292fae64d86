import type * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "crypto";
import { stackIdError } from "../sdk/model/ownership";
import "./engine-watch";

/**
 * Dynamic provider for StackIdentity: create draws the stack id and records
 * the project and stack names of the first `up`; nothing ever changes it
 * afterwards (diff reports no change, so a renamed stack keeps its first
 * names and id), and nothing on the host is touched.
 */
type Props = Record<string, unknown>;

function names(inputs: Props): { project: string; stack: string } {
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    return { project: text(inputs.project), stack: text(inputs.stack) };
}

const provider: pulumi.dynamic.ResourceProvider = {
    check: (_olds, news: Props) => Promise.resolve({ inputs: names(news) }),
    diff: () => Promise.resolve({ changes: false }),
    create: (inputs: Props) => {
        const stackId = randomBytes(6).toString("hex");
        return Promise.resolve({ id: stackId, outs: { ...names(inputs), stackId } });
    },
    read: (id: string, props: Props) => {
        if (stackIdError(props.stackId) !== undefined) return Promise.reject(new Error(`stack identity ${id} has no valid stackId in its state`));
        return Promise.resolve({ id, props });
    },
    delete: () => Promise.resolve(),
};

export = provider;

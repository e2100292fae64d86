import { show } from "../failures";

/** Labels as Kubernetes keeps them: key to value. */
export type Labels = Readonly<Record<string, string>>;

/** One requirement of a label selector (`matchExpressions`). */
export interface LabelRequirement {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: readonly string[];
}

/** A Kubernetes label selector; `{}` selects everything. */
export interface LabelSelector {
    readonly matchLabels?: Labels;
    readonly matchExpressions?: readonly LabelRequirement[];
}

/** The label every namespace carries with its own name (Kubernetes 1.22 and later). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** True when `labels` satisfy `selector` (every matchLabels pair and every expression), as the API server decides. */
export function selects(selector: LabelSelector, labels: Labels): boolean {
    const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    return pairs && (selector.matchExpressions ?? []).every((r) => satisfies(r, labels));
}

function satisfies(requirement: LabelRequirement, labels: Labels): boolean {
    const present = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
        case "In":
            return present && values.includes(labels[requirement.key]);
        case "NotIn":
            return !present || !values.includes(labels[requirement.key]);
        case "Exists":
            return present;
        case "DoesNotExist":
            return !present;
    }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Returns why `name` is not a DNS-1123 label (namespace, policy, tier names), or undefined. */
export function dns1123LabelError(name: unknown): string | undefined {
    if (typeof name === "string" && name.length <= 63 && DNS1123_LABEL.test(name)) return undefined;
    return `${show(name)} is not a DNS-1123 label; use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Returns why `labels` cannot be used as Kubernetes labels (key: optional DNS prefix, '/', name of at most 63; value of at most 63), or undefined. */
export function labelsError(labels: unknown): string | undefined {
    if (typeof labels !== "object" || labels === null || Array.isArray(labels)) return `${show(labels)} is not a map of labels such as { app: "web" }`;
    for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
        const slash = key.lastIndexOf("/");
        const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
        const name = slash >= 0 ? key.slice(slash + 1) : key;
        const keyOk = name.length <= 63 && LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && LABEL_PREFIX.test(prefix)));
        if (!keyOk)
            return `label key ${show(key)} is not valid; use a name of at most 63 letters, digits, '-', '_' or '.', optionally after a DNS prefix and '/'`;
        if (typeof value !== "string" || value.length > 63 || !LABEL_VALUE.test(value)) {
            return `label ${key}=${show(value)} has an invalid value; use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
        }
    }
    return undefined;
}

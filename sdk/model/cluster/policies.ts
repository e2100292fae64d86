import { Failures, show } from "../failures";
import { Labels, NAMESPACE_NAME_LABEL, dns1123LabelError, labelsError, selects } from "./labels";
import { NetworkPolicyObject, PodRef, PolicyPeer, PolicyPort, PolicyProtocol } from "./network-policy";

/** A group of pods that policies name: the pods of `namespace` whose labels include `podSelector`. */
export interface TierInput {
    readonly namespace: string;
    /** Labels the tier's pods carry, e.g. `{ tier: "backend" }`. `{}`: every pod of the namespace. */
    readonly podSelector: Labels;
}

/** Who may talk to whom: `from` tier (or "ingress-controller") to `to` tier on these ports. */
export interface AllowInput {
    readonly from: string;
    readonly to: string;
    /** Ports of the `to` tier, e.g. `[{ port: 8080 }]` (protocol TCP by default). */
    readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol?: PolicyProtocol }>;
}

/** Typed policy intent, compiled to NetworkPolicy objects by `compilePolicies`. */
export interface NetworkPoliciesInput {
    /** Namespaces that deny all ingress by default (one `default-deny-ingress` policy each). */
    readonly namespaces: readonly string[];
    /** Also deny egress by default in those namespaces, DNS to the cluster's DNS pods excepted. Default false. */
    readonly denyEgress?: boolean;
    /** The cluster DNS pods egress may reach on port 53. Default `{ namespace: "kube-system", podSelector: { "k8s-app": "kube-dns" } }`. */
    readonly dns?: TierInput;
    /** Named groups of pods, e.g. `frontend`, `backend`, `data`: DNS-1123 names of at most 50 characters. */
    readonly tiers: Readonly<Record<string, TierInput>>;
    /** The allowed connections; everything else into (and, with denyEgress, out of) the namespaces is denied. */
    readonly allow: readonly AllowInput[];
    /** The ingress controller's pods, usable as `from: "ingress-controller"`. Default: none. */
    readonly ingressController?: TierInput;
}

/** The name `from` takes for the ingress controller. */
export const INGRESS_CONTROLLER = "ingress-controller";
const DEFAULT_DNS: TierInput = { namespace: "kube-system", podSelector: { "k8s-app": "kube-dns" } };
const PROTOCOLS: readonly PolicyProtocol[] = ["TCP", "UDP", "SCTP"];

/** Validates the intent: names, labels, ports, and that every `from`/`to` names a declared tier in a declared namespace. */
export function checkPolicies(input: NetworkPoliciesInput, path = ""): Failures {
    const failures = new Failures();
    const at = (property: string) => (path ? `${path}.${property}` : property);
    input.namespaces.forEach((ns, i) => failures.check(at(`namespaces[${i}]`), dns1123LabelError(ns)));
    const tier = (property: string, t: TierInput, governed: boolean) => {
        failures.check(`${property}.namespace`, dns1123LabelError(t.namespace));
        failures.check(`${property}.podSelector`, labelsError(t.podSelector));
        if (governed && !input.namespaces.includes(t.namespace)) {
            failures.add(
                `${property}.namespace`,
                `namespace ${show(t.namespace)} is not one of namespaces (${input.namespaces.join(", ")}); add it there or move the tier`,
            );
        }
    };
    for (const [name, t] of Object.entries(input.tiers)) {
        const error = dns1123LabelError(name) ?? (name.length > 50 ? `tier name ${show(name)} is longer than 50 characters` : undefined);
        failures.check(at(`tiers.${name}`), error ?? (name === INGRESS_CONTROLLER ? `${show(name)} is reserved for ingressController` : undefined));
        tier(at(`tiers.${name}`), t, true);
    }
    if (input.ingressController) tier(at("ingressController"), input.ingressController, false);
    if (input.dns) tier(at("dns"), input.dns, false);
    input.allow.forEach((a, i) => checkAllow(input, a, at(`allow[${i}]`), failures));
    return failures;
}

function checkAllow(input: NetworkPoliciesInput, a: AllowInput, property: string, failures: Failures): void {
    const known = Object.keys(input.tiers);
    const sources = input.ingressController ? [...known, INGRESS_CONTROLLER] : known;
    if (!sources.includes(a.from))
        failures.add(`${property}.from`, `${show(a.from)} is not a declared tier; use one of ${sources.join(", ") || "(none declared)"}`);
    if (!known.includes(a.to)) failures.add(`${property}.to`, `${show(a.to)} is not a declared tier; use one of ${known.join(", ") || "(none declared)"}`);
    if (a.ports.length === 0) failures.add(`${property}.ports`, "no port given; list the ports of the `to` tier, e.g. [{ port: 8080 }]");
    a.ports.forEach((p, j) => {
        if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)
            failures.add(`${property}.ports[${j}].port`, `${show(p.port)} is not a port; use 1 to 65535`);
        if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol))
            failures.add(`${property}.ports[${j}].protocol`, `${show(p.protocol)} is not TCP, UDP or SCTP`);
    });
}

function peer(t: TierInput): PolicyPeer {
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: t.namespace } }, podSelector: { matchLabels: t.podSelector } };
}

function ports(list: AllowInput["ports"]): PolicyPort[] {
    return list.map((p) => ({ protocol: p.protocol ?? "TCP", port: p.port }));
}

function policy(name: string, namespace: string, spec: NetworkPolicyObject["spec"]): NetworkPolicyObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "netplumb" } },
        spec,
    };
}

/** The tier `name` stands for (the ingress controller included). */
function tierOf(input: NetworkPoliciesInput, name: string): TierInput {
    return name === INGRESS_CONTROLLER ? input.ingressController! : input.tiers[name];
}

/**
 * The NetworkPolicy objects for valid intent (see `checkPolicies`), in a stable
 * order: per namespace `default-deny-ingress` (and, with denyEgress,
 * `default-deny-egress` and `allow-dns`); per tier that receives traffic
 * `allow-to-<tier>`, one ingress rule per allowed source; with denyEgress, per
 * tier that sends traffic `allow-from-<tier>`, one egress rule per destination.
 */
export function compilePolicies(input: NetworkPoliciesInput): NetworkPolicyObject[] {
    const dns = input.dns ?? DEFAULT_DNS;
    const result: NetworkPolicyObject[] = [];
    for (const ns of input.namespaces) {
        result.push(policy("default-deny-ingress", ns, { podSelector: {}, policyTypes: ["Ingress"] }));
        if (input.denyEgress) {
            result.push(policy("default-deny-egress", ns, { podSelector: {}, policyTypes: ["Egress"] }));
            const dnsPorts: PolicyPort[] = [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
            ];
            result.push(policy("allow-dns", ns, { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [peer(dns)], ports: dnsPorts }] }));
        }
    }
    for (const name of Object.keys(input.tiers).sort()) {
        const incoming = input.allow.filter((a) => a.to === name);
        if (incoming.length === 0) continue;
        const t = input.tiers[name];
        const ingress = incoming.map((a) => ({ from: [peer(tierOf(input, a.from))], ports: ports(a.ports) }));
        result.push(policy(`allow-to-${name}`, t.namespace, { podSelector: { matchLabels: t.podSelector }, policyTypes: ["Ingress"], ingress }));
    }
    if (input.denyEgress) {
        const senders = [...Object.keys(input.tiers).sort(), ...(input.ingressController ? [INGRESS_CONTROLLER] : [])];
        for (const name of senders) {
            const t = tierOf(input, name);
            const outgoing = input.allow.filter((a) => a.from === name);
            if (outgoing.length === 0 || !input.namespaces.includes(t.namespace)) continue;
            const egress = outgoing.map((a) => ({ to: [peer(input.tiers[a.to])], ports: ports(a.ports) }));
            result.push(policy(`allow-from-${name}`, t.namespace, { podSelector: { matchLabels: t.podSelector }, policyTypes: ["Egress"], egress }));
        }
    }
    return result;
}

/** True when `pod` belongs to tier `t`. */
export function inTier(t: TierInput, pod: PodRef): boolean {
    return pod.namespace === t.namespace && selects({ matchLabels: t.podSelector }, pod.labels);
}

/**
 * What the intent means, read directly (no policies): the oracle the
 * compiled policies are tested against, and what `netplumb check` will probe.
 */
export function intentAllows(input: NetworkPoliciesInput, c: { from: PodRef; to: PodRef; port: number; protocol: PolicyProtocol }): boolean {
    const covers = (a: AllowInput) =>
        inTier(tierOf(input, a.from), c.from) &&
        inTier(input.tiers[a.to], c.to) &&
        a.ports.some((p) => p.port === c.port && (p.protocol ?? "TCP") === c.protocol);
    const ingressOk = !input.namespaces.includes(c.to.namespace) || input.allow.some(covers);
    const toDns = inTier(input.dns ?? DEFAULT_DNS, c.to) && c.port === 53 && (c.protocol === "UDP" || c.protocol === "TCP");
    const egressOk = !input.denyEgress || !input.namespaces.includes(c.from.namespace) || toDns || input.allow.some(covers);
    return ingressOk && egressOk;
}

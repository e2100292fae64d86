import { LabelSelector, Labels, NAMESPACE_NAME_LABEL, selects } from "./labels";

/**
 * The parts of `networking.k8s.io/v1` NetworkPolicy that netplumb writes and
 * evaluates (no `ipBlock`, no `endPort`): the objects the NetworkPolicies
 * component applies, and what the pure evaluator below reads.
 */
export type PolicyProtocol = "TCP" | "UDP" | "SCTP";

/** A port of a NetworkPolicy rule: protocol and number. */
export interface PolicyPort {
    /** Default TCP, as in the API. */
    readonly protocol?: PolicyProtocol;
    readonly port: number;
}

/** A peer of a NetworkPolicy rule: pods and namespaces by label. */
export interface PolicyPeer {
    readonly podSelector?: LabelSelector;
    readonly namespaceSelector?: LabelSelector;
}

/** A Kubernetes NetworkPolicy object as netplumb compiles it. */
export interface NetworkPolicyObject {
    readonly apiVersion: "networking.k8s.io/v1";
    readonly kind: "NetworkPolicy";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Labels };
    readonly spec: {
        readonly podSelector: LabelSelector;
        readonly policyTypes: ReadonlyArray<"Ingress" | "Egress">;
        readonly ingress?: ReadonlyArray<{ readonly from?: readonly PolicyPeer[]; readonly ports?: readonly PolicyPort[] }>;
        readonly egress?: ReadonlyArray<{ readonly to?: readonly PolicyPeer[]; readonly ports?: readonly PolicyPort[] }>;
    };
}

/** A pod as the evaluator sees it: where it is and its labels. */
export interface PodRef {
    readonly namespace: string;
    readonly labels: Labels;
}

/** One connection attempt: from a pod to a pod on a port. */
export interface Connection {
    readonly from: PodRef;
    readonly to: PodRef;
    readonly port: number;
    readonly protocol: PolicyProtocol;
}

/** Namespaces' labels; a namespace not listed carries only its name label. */
export type NamespaceLabels = Readonly<Record<string, Labels>>;

function namespaceLabels(namespaces: NamespaceLabels, name: string): Labels {
    return { ...(namespaces[name] ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

/** True when `peer`, written in a policy of namespace `policyNamespace`, matches `pod`. */
function peerMatches(peer: PolicyPeer, pod: PodRef, policyNamespace: string, namespaces: NamespaceLabels): boolean {
    if (peer.namespaceSelector === undefined) {
        return pod.namespace === policyNamespace && selects(peer.podSelector ?? {}, pod.labels);
    }
    return selects(peer.namespaceSelector, namespaceLabels(namespaces, pod.namespace)) && selects(peer.podSelector ?? {}, pod.labels);
}

function portMatches(ports: readonly PolicyPort[] | undefined, c: Connection): boolean {
    return ports === undefined || ports.length === 0 || ports.some((p) => p.port === c.port && (p.protocol ?? "TCP") === c.protocol);
}

function ruleAdmits(
    peers: readonly PolicyPeer[] | undefined,
    ports: readonly PolicyPort[] | undefined,
    peer: PodRef,
    ns: string,
    c: Connection,
    namespaces: NamespaceLabels,
) {
    const peerOk = peers === undefined || peers.length === 0 || peers.some((p) => peerMatches(p, peer, ns, namespaces));
    return peerOk && portMatches(ports, c);
}

/**
 * True when the policies let `c` through, by the API's semantics: a pod
 * selected by no policy of a direction is not isolated in it (everything
 * passes); a selected pod admits only what some selecting policy's rule
 * admits; a connection needs the source's egress and the destination's
 * ingress. (Replies of an admitted connection always pass.)
 */
export function allows(policies: readonly NetworkPolicyObject[], c: Connection, namespaces: NamespaceLabels = {}): boolean {
    const selecting = (pod: PodRef, type: "Ingress" | "Egress") =>
        policies.filter((p) => p.metadata.namespace === pod.namespace && p.spec.policyTypes.includes(type) && selects(p.spec.podSelector, pod.labels));
    const ingress = selecting(c.to, "Ingress");
    const ingressOk =
        ingress.length === 0 ||
        ingress.some((p) => (p.spec.ingress ?? []).some((r) => ruleAdmits(r.from, r.ports, c.from, p.metadata.namespace, c, namespaces)));
    const egress = selecting(c.from, "Egress");
    const egressOk =
        egress.length === 0 || egress.some((p) => (p.spec.egress ?? []).some((r) => ruleAdmits(r.to, r.ports, c.to, p.metadata.namespace, c, namespaces)));
    return ingressOk && egressOk;
}

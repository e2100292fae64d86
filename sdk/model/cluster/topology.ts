import { defaultDnsAddress } from "./addressing";
import { INGRESS_CONTROLLER, NetworkPoliciesInput } from "./policies";

/**
 * A cluster network's shape as a plain object (ClusterNetwork's `topology`,
 * exported as a stack output): what `netplumb diagram` draws. Stable field
 * names: tools read it. `kind` tells it from a lab's topology.
 */
export interface ClusterTopology {
    readonly kind: "cluster";
    readonly cluster: string;
    readonly podCidr: string;
    readonly serviceCidr: string;
    readonly dnsServiceAddress: string;
    readonly nodeCidr?: string;
    readonly nodeAddresses: readonly string[];
    /** The CNI plugin and, for Calico, its pool and encapsulation. */
    readonly cni?: { readonly plugin: string; readonly pool?: string; readonly encapsulation?: string };
    /** MetalLB's pools by name and how they are announced. */
    readonly loadBalancer?: { readonly mode: "l2" | "bgp"; readonly pools: Readonly<Record<string, readonly string[]>> };
    readonly ingress?: {
        readonly controller: string;
        readonly namespace: string;
        readonly addressPool?: string;
        readonly gateway?: { readonly name: string; readonly listeners: readonly string[] };
        readonly routes: ReadonlyArray<{ readonly name: string; readonly namespace: string; readonly backends: readonly string[] }>;
    };
    /** Policy tiers (`namespace`, selector text) and the allowed connections between them. */
    readonly policies?: {
        readonly namespaces: readonly string[];
        readonly tiers: Readonly<Record<string, string>>;
        readonly allow: ReadonlyArray<{ readonly from: string; readonly to: string; readonly ports: string }>;
    };
}

/** What clusterTopology reads: ClusterNetwork's plain inputs. */
export interface ClusterTopologyInput {
    readonly podCidr: string;
    readonly serviceCidr: string;
    readonly dnsServiceAddress?: string;
    readonly nodeCidr?: string;
    readonly nodeAddresses?: readonly string[];
    readonly cni?: {
        readonly calico?: { readonly poolCidr?: string; readonly encapsulation?: string; readonly install?: string };
        readonly flannel?: { readonly backend?: string };
        readonly cilium?: object;
    };
    readonly loadBalancer?: { readonly mode?: "l2" | "bgp"; readonly pools: Readonly<Record<string, readonly string[]>> };
    readonly ingress?: {
        readonly controller?: string;
        readonly namespace?: string;
        readonly addressPool?: string;
        readonly gateway?: {
            readonly name: string;
            readonly listeners: ReadonlyArray<{ readonly name: string; readonly port: number; readonly protocol?: string }>;
        };
        readonly routes?: ReadonlyArray<{
            readonly name: string;
            readonly namespace: string;
            readonly rules: ReadonlyArray<{
                readonly pathPrefix?: string;
                readonly backends: ReadonlyArray<{ readonly service: string; readonly port: number }>;
            }>;
        }>;
    };
    readonly policies?: NetworkPoliciesInput;
}

function cniOf(cni: ClusterTopologyInput["cni"], podCidr: string): ClusterTopology["cni"] {
    if (cni?.calico)
        return {
            plugin: cni.calico.install === "manifest" ? "calico (manifest)" : "calico",
            pool: cni.calico.poolCidr ?? podCidr,
            encapsulation: cni.calico.encapsulation ?? (cni.calico.install === "manifest" ? "IPIP" : "VXLAN"),
        };
    if (cni?.flannel) return { plugin: "flannel", encapsulation: cni.flannel.backend ?? "vxlan" };
    if (cni?.cilium) return { plugin: "cilium" };
    return undefined;
}

function selectorText(labels: Readonly<Record<string, string>>): string {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    return pairs.length ? pairs.join(",") : "all pods";
}

/** The topology of a ClusterNetwork from its inputs (valid ones: it is built after the checks pass). */
export function clusterTopology(cluster: string, input: ClusterTopologyInput): ClusterTopology {
    const ingress = input.ingress;
    const ingressNamespace = ingress?.namespace ?? ingress?.controller ?? "traefik";
    const policies = input.policies;
    const tiers: Record<string, string> = {};
    for (const [name, tier] of Object.entries(policies?.tiers ?? {})) tiers[name] = `${tier.namespace}: ${selectorText(tier.podSelector)}`;
    if (policies?.allow.some((a) => a.from === INGRESS_CONTROLLER)) tiers[INGRESS_CONTROLLER] = `${ingressNamespace}: the controller's pods`;
    return {
        kind: "cluster",
        cluster,
        podCidr: input.podCidr,
        serviceCidr: input.serviceCidr,
        dnsServiceAddress: input.dnsServiceAddress ?? defaultDnsAddress(input.serviceCidr),
        ...(input.nodeCidr ? { nodeCidr: input.nodeCidr } : {}),
        nodeAddresses: [...(input.nodeAddresses ?? [])],
        ...(input.cni ? { cni: cniOf(input.cni, input.podCidr) } : {}),
        ...(input.loadBalancer ? { loadBalancer: { mode: input.loadBalancer.mode ?? "l2", pools: input.loadBalancer.pools } } : {}),
        ...(ingress
            ? {
                  ingress: {
                      controller: ingress.controller ?? "traefik",
                      namespace: ingressNamespace,
                      ...(ingress.addressPool ? { addressPool: ingress.addressPool } : {}),
                      ...(ingress.gateway
                          ? {
                                gateway: {
                                    name: ingress.gateway.name,
                                    listeners: ingress.gateway.listeners.map((l) => `${l.name} ${l.protocol ?? "HTTP"}:${l.port}`),
                                },
                            }
                          : {}),
                      routes: (ingress.routes ?? []).map((r) => ({
                          name: r.name,
                          namespace: r.namespace,
                          backends: r.rules.flatMap((rule) => rule.backends.map((b) => `${rule.pathPrefix ?? "/"} -> ${b.service}:${b.port}`)),
                      })),
                  },
              }
            : {}),
        ...(policies
            ? {
                  policies: {
                      namespaces: [...policies.namespaces],
                      tiers,
                      allow: policies.allow.map((a) => ({
                          from: a.from,
                          to: a.to,
                          ports: a.ports.map((p) => `${(p.protocol ?? "TCP").toLowerCase()}/${p.port}`).join(" "),
                      })),
                  },
              }
            : {}),
    };
}

import { IPv4, IPv6, collapseIPv6Number } from "ip-num";
import { ipAddressError } from "../addresses";
import { Failures, show } from "../failures";
import { AddressRange, checkDisjoint, cidrError, cidrRange, holds, poolEntryError, poolEntryRange, within } from "./cidrs";
import { dns1123LabelError } from "./labels";

/** A cluster's address plan, as ClusterNetwork and its parts take it. */
export interface ClusterAddressing {
    /** The pods' network (`--cluster-cidr`), e.g. "10.244.0.0/16". Absent: not checked (a part that does not know it). */
    readonly podCidr?: string;
    /** The services' network (`--service-cluster-ip-range`), e.g. "10.96.0.0/12". Absent: not checked. */
    readonly serviceCidr?: string;
    /** The cluster DNS Service's address. Default: the tenth address of serviceCidr, as kubeadm picks it. */
    readonly dnsServiceAddress?: string;
    /** The nodes' network, e.g. "192.168.10.0/24". Default: none (not checked). */
    readonly nodeCidr?: string;
    /** The nodes' own addresses: no load-balancer pool may hand one out. Default none. */
    readonly nodeAddresses?: readonly string[];
    /** Load-balancer pools by name: CIDRs or `first-last` ranges. Default none. */
    readonly pools?: Readonly<Record<string, readonly string[]>>;
    /** Calico IPPools' CIDRs: each inside podCidr. Default: podCidr itself. */
    readonly ipPools?: readonly string[];
}

/** The DNS Service address kubeadm picks: the tenth address of the service network. */
export function defaultDnsAddress(serviceCidr: string): string {
    const r = cidrRange(serviceCidr);
    return addressText(r.family, r.first + 10n);
}

function addressText(family: 4 | 6, value: bigint): string {
    return family === 4 ? new IPv4(value).toString() : collapseIPv6Number(new IPv6(value).toString());
}

/**
 * Checks a cluster's addresses before anything is applied: every CIDR valid,
 * pod, service and node networks and every pool pairwise disjoint (pools may
 * lie in the node network, as L2 advertisement needs), the DNS address inside
 * the service network, no pool holding a node address, every IPPool inside
 * the pod network, pool names DNS-1123. Failures name the property, the
 * value and the fix.
 */
export function checkAddressing(input: ClusterAddressing, path = ""): Failures {
    const failures = new Failures();
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const cidr = (property: string, text: string | undefined): AddressRange | undefined => {
        if (text === undefined) return undefined;
        const error = cidrError(text);
        failures.check(at(property), error);
        return error === undefined ? cidrRange(text) : undefined;
    };
    const pods = cidr("podCidr", input.podCidr);
    const services = cidr("serviceCidr", input.serviceCidr);
    const nodes = cidr("nodeCidr", input.nodeCidr);
    const named = [
        { property: at("podCidr"), range: pods },
        { property: at("serviceCidr"), range: services },
        { property: at("nodeCidr"), range: nodes },
    ].filter((n): n is { property: string; range: AddressRange } => n.range !== undefined);
    checkDisjoint(named, failures);
    checkDns(input, services, failures, at);
    (input.nodeAddresses ?? []).forEach((a, i) => failures.check(at(`nodeAddresses[${i}]`), ipAddressError(a)));
    const poolRanges = checkPools(input, failures, at);
    checkDisjoint([...named.filter((n) => n.range !== nodes), ...poolRanges], failures);
    (input.ipPools ?? []).forEach((text, i) => {
        const range = cidr(`ipPools[${i}]`, text);
        if (range && pods && !within(range, pods))
            failures.add(at(`ipPools[${i}]`), `${show(text)} is not inside podCidr (${input.podCidr}); Calico's IPPools must lie in the cluster's pod network`);
    });
    return failures;
}

function checkDns(input: ClusterAddressing, services: AddressRange | undefined, failures: Failures, at: (p: string) => string): void {
    if (input.dnsServiceAddress === undefined) return;
    const error = ipAddressError(input.dnsServiceAddress);
    failures.check(at("dnsServiceAddress"), error);
    if (error === undefined && services && !holds(services, input.dnsServiceAddress)) {
        failures.add(
            at("dnsServiceAddress"),
            `${show(input.dnsServiceAddress)} is outside serviceCidr (${input.serviceCidr}); the DNS Service's address must be a service address`,
        );
    }
}

function checkPools(input: ClusterAddressing, failures: Failures, at: (p: string) => string) {
    const ranges: Array<{ property: string; range: AddressRange }> = [];
    for (const [name, entries] of Object.entries(input.pools ?? {})) {
        failures.check(at(`pools.${name}`), dns1123LabelError(name));
        entries.forEach((text, i) => {
            const property = at(`pools.${name}[${i}]`);
            const error = poolEntryError(text);
            failures.check(property, error);
            if (error !== undefined) return;
            const range = poolEntryRange(text);
            ranges.push({ property, range });
            for (const node of input.nodeAddresses ?? []) {
                if (ipAddressError(node) === undefined && holds(range, node)) {
                    failures.add(property, `${show(text)} holds node address ${node}; a load balancer would hand it out: exclude it from the pool`);
                }
            }
        });
    }
    return ranges;
}

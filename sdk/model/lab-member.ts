import { ipAddressError, canonicalIp, parseInterfaceAddress } from "./addresses";
import { checkAllocation } from "./allocation-check";
import { CheckResult } from "./checks";
import { Failures } from "./failures";
import { EgressPolicy, FirewallSpec, checkEgress, nftNameError, portError } from "./firewall";
import { HostSpec, checkHost } from "./host-spec";
import { hostnameErrorOf } from "./hostname";
import { InputReader } from "./inputs";
import { AllocationSpec } from "./ipam";
import { LabPortForward } from "./lab";
import { mtuError, stableMac } from "./link-properties";
import { interfaceNameError, namespaceNameError } from "./names";
import { ChainPlan, planFirewall } from "./nft-script";
import { planPortForward, protocolError } from "./port-forward";
import { ResolvConfSpec, hostnameError } from "./resolv";
import { ManagedSpec, NamespaceSpec, VethPairSpec } from "./specs";

/**
 * One lab member as one resource: its namespace, its address from the lab's
 * pool, a veth pair from the bridge into the namespace with a default route
 * via the gateway, its egress/ingress policy chains in netplumb's nftables
 * table and its resolv.conf. One resource instead of five keeps the engine's
 * per-resource cost (and its per-step state writes) down, while preview still
 * names the property that changes (`~ egress`, `~ nameservers`, `~ mtu`).
 */
export interface LabMemberSpec extends AllocationSpec {
    /** The member's network namespace. */
    readonly namespace: string;
    /** The veth end on the bridge, in the lab's host namespace. */
    readonly hostInterface: string;
    /** The veth end inside the member's namespace. */
    readonly interface: string;
    readonly bridge: string;
    /** MTU of both veth ends; undefined: the kernel default (1500). */
    readonly mtu?: number;
    /** netplumb's nftables table of the stack (inet and bridge families). */
    readonly table: string;
    /** Prefix of the member's chains in that table. */
    readonly chains: string;
    readonly egress: EgressPolicy;
    readonly ingress: EgressPolicy;
    /** /etc/netns/<namespace>/resolv.conf; none given (and no search): no file is written. */
    readonly nameservers: readonly string[];
    readonly search: readonly string[];
    /** Host ports forwarded to the member (DNAT chains in the same table). */
    readonly portForwards: readonly LabPortForward[];
    /** Port forwards match traffic arriving on this interface; undefined: any traffic to the host's own addresses. */
    readonly uplink?: string;
    /**
     * The host whose store (/var/lib/netplumb/ipam) hands out the address:
     * one per layer-2 segment, so members of a segment that spans hosts never
     * hold one address twice. Undefined: the member's own host.
     */
    readonly addressStore?: HostSpec;
}

/** What create observed and delete needs: the address held and what resolv.conf replaced. */
export interface LabMemberState extends LabMemberSpec {
    readonly allocated: string;
    readonly previousResolvConf?: string;
    readonly createdDirectory?: boolean;
    /** Set by refresh when a part is missing or differs in a way no input shows. */
    readonly drift?: string;
}

/** Validates LabMember inputs; the allocation half is AddressAllocation's own check. */
export function checkLabMember(raw: Record<string, unknown>): CheckResult<LabMemberSpec> {
    const allocation = checkAllocation(raw);
    const failures = new Failures();
    allocation.failures.forEach((f) => failures.add(f.property, f.reason));
    const r = new InputReader(raw, "", failures);
    const nameservers = r.strings("nameservers", ipAddressError);
    if (nameservers.length > 3) failures.add("nameservers", `${nameservers.length} nameservers given; the resolver uses at most 3`);
    failures.check("member", hostnameErrorOf(raw.member, "member name"));
    const spec: LabMemberSpec = {
        ...allocation.spec,
        namespace: r.string("namespace", namespaceNameError) ?? "",
        hostInterface: r.string("hostInterface", interfaceNameError) ?? "",
        interface: r.string("interface", interfaceNameError) ?? "",
        bridge: r.string("bridge", interfaceNameError) ?? "",
        mtu: r.number("mtu", (v) => mtuError(v, false)),
        table: r.string("table", nftNameError) ?? "",
        chains: r.string("chains", nftNameError) ?? "",
        egress: checkEgress(raw.egress, "egress", failures),
        ingress: checkEgress(raw.ingress, "ingress", failures),
        nameservers: nameservers.map((n) => (ipAddressError(n) === undefined ? canonicalIp(n) : n)),
        search: r.strings("search", hostnameError),
        portForwards: checkForwards(raw.portForwards, failures),
        uplink: r.optionalString("uplink", interfaceNameError),
        addressStore: raw.addressStore === undefined || raw.addressStore === null ? undefined : checkHost(raw.addressStore, "addressStore", failures),
    };
    return { spec, failures: failures.all };
}

function checkForwards(raw: unknown, failures: Failures): LabPortForward[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
        failures.add("portForwards", `portForwards must be a list such as [{ hostPort: 8080, port: 80, protocol: "tcp" }]`);
        return [];
    }
    return raw.map((entry, i) => {
        const r = new InputReader((entry ?? {}) as Record<string, unknown>, `portForwards[${i}]`, failures);
        const protocol = r.optionalString("protocol", protocolError);
        return { hostPort: r.number("hostPort", portError) ?? 0, port: r.number("port", portError) ?? 0, protocol: (protocol ?? "tcp") as "tcp" | "udp" };
    });
}

/** A member's chains in the stack's table (host namespace), as a chain owner's spec. */
export interface MemberRules extends ManagedSpec {
    readonly table: string;
    readonly chains: readonly ChainPlan[];
}

/** The nftables chains of a member: its egress/ingress policy and one DNAT pair per port forward. */
export function memberChains(spec: LabMemberSpec, firewall: FirewallSpec, allocated: string): ChainPlan[] {
    const forwards = spec.portForwards.flatMap((pf) =>
        planPortForward({
            host: spec.host,
            owner: spec.owner,
            adopt: spec.adopt,
            table: spec.table,
            chains: `${spec.chains}_pf_${pf.protocol ?? "tcp"}_${pf.hostPort}`,
            protocol: pf.protocol ?? "tcp",
            hostPort: pf.hostPort,
            inInterface: spec.uplink,
            toAddress: allocated,
            toPort: pf.port,
            fromHost: true,
        }),
    );
    return [...planFirewall(firewall), ...forwards];
}

/** The member's address claim, as AddressAllocation's spec: what every other part needs first. */
export function memberAllocation(spec: LabMemberSpec): AllocationSpec {
    return {
        host: spec.addressStore ?? spec.host,
        owner: spec.owner,
        adopt: spec.adopt,
        resumed: spec.resumed,
        pool: spec.pool,
        subnet: spec.subnet,
        gateway: spec.gateway,
        member: spec.member,
        address: spec.address,
    };
}

/**
 * The MAC of the member's interface, pinned (a locally administered address
 * derived from its owner, namespace and interface) so the bridge port guard
 * can bind the port to it.
 */
export function memberMac(spec: Pick<LabMemberSpec, "owner" | "namespace" | "interface">): string {
    return stableMac(`${spec.owner}/${spec.namespace}/${spec.interface}`);
}

/** The member's other parts, holding `allocated`, as the specs of the kernel operations that build them. */
export function memberParts(spec: LabMemberSpec, allocated: string) {
    const managed = { host: spec.host, owner: spec.owner, adopt: spec.adopt, resumed: spec.resumed };
    const prefixLength = parseInterfaceAddress(spec.subnet).prefixLength;
    const namespace: NamespaceSpec = { ...managed, name: spec.namespace };
    const mac = memberMac(spec);
    const veth: VethPairSpec = {
        ...managed,
        a: { name: spec.hostInterface, bridge: spec.bridge, addresses: [], mtu: spec.mtu },
        b: { name: spec.interface, namespace: spec.namespace, addresses: [`${allocated}/${prefixLength}`], gateway: spec.gateway, mtu: spec.mtu, mac },
    };
    const firewall: FirewallSpec = {
        ...managed,
        table: spec.table,
        chains: spec.chains,
        bridge: spec.bridge,
        masquerade: [],
        members: [{ name: spec.member, address: allocated, egress: spec.egress, ingress: spec.ingress, port: { name: spec.hostInterface, mac } }],
    };
    const resolv: ResolvConfSpec | undefined =
        spec.nameservers.length > 0 || spec.search.length > 0
            ? { ...managed, namespace: spec.namespace, nameservers: spec.nameservers, search: spec.search, options: [] }
            : undefined;
    const rules: MemberRules = { ...managed, table: spec.table, chains: memberChains(spec, firewall, allocated) };
    return { namespace, veth, rules, resolv };
}

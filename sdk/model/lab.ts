import { canonicalIp, interfaceAddressError, ipAddressError, parseInterfaceAddress } from "./addresses";
import { Failure, Failures, show } from "./failures";
import { EgressPolicy, checkEgress, nftNameError } from "./firewall";
import { checkPool, defaultGateway, subnetOf } from "./ipam";
import { boundedInterfaceName, interfaceNameError, namespaceNameError } from "./names";
import { hostnameErrorOf } from "./hostname";
import { checkShaping } from "./shaping";
import { AttachmentInput, AttachmentPlan, checkAttachment, checkBridgeOnly, unenforcedPolicies } from "./attachment";

/** A port on the host forwarded to a member. */
export interface LabPortForward {
    readonly hostPort: number;
    readonly port: number;
    readonly protocol?: "tcp" | "udp";
}

/** One member of a lab, as the user declares it. */
export interface LabMemberInput {
    /** Explicit address; default: the lowest free one in the bridge subnet. */
    readonly address?: string;
    /** Traffic towards the outside: "allow" (default), "deny" or an allow-list. */
    readonly egress?: EgressPolicy;
    /** What other members may start towards this one: "allow" (default), "deny" or an allow-list. */
    readonly ingress?: EgressPolicy;
    readonly portForwards?: readonly LabPortForward[];
    /** Per-member DNS overrides. */
    readonly dns?: { readonly nameservers?: readonly string[]; readonly search?: readonly string[] };
    /**
     * Token-bucket shaping of what the member sends (`egress`) and receives
     * (`ingress`), applied on its host-side veth end (a TrafficShaping), e.g.
     * `{ egress: { rate: "10mbit" } }`. Default: not shaped.
     */
    readonly shaping?: MemberShaping;
    /**
     * How the member joins the network (Docker's drivers): `"bridge"`
     * (default), `"overlay"` (the same, in a MultiHostLab), `"none"`,
     * `"host"`, `{ container: "<member>" }`, `{ macvlan: { parent, mode, address, gateway } }` or `{ ipvlan: … }`. See AttachmentInput.
     */
    readonly attachment?: AttachmentInput;
}

/** A member's shaping: each direction as TrafficShaping takes it (rate, burst, latency, delay, jitter, loss). */
export interface MemberShaping {
    readonly egress?: ShapingRate;
    readonly ingress?: ShapingRate;
}

/** One direction's shaping: `rate` in bits per second or tc's notation ("10mbit"); the rest as TrafficShaping's defaults. */
export interface ShapingRate {
    readonly rate: number | string;
    readonly burst?: number;
    readonly latency?: number;
    readonly delay?: number;
    readonly jitter?: number;
    readonly loss?: number;
}

/** A lab as the user declares it (plain values: the plan is made at construction). */
export interface LabInput {
    readonly bridge: { readonly name: string; readonly cidr: string; readonly gateway?: string; readonly mtu?: number };
    /** The uplink interface, or "auto": whatever is not the bridge (the host's default route). Default "auto". */
    readonly uplink?: string;
    /** Masquerade the lab subnet out of the uplink. Default true. */
    readonly nat?: boolean;
    readonly dns?: { readonly nameservers: readonly string[]; readonly search?: readonly string[]; readonly hosts?: boolean };
    readonly members: Readonly<Record<string, LabMemberInput>>;
    /** Prefix of the members' namespace names. Default: the lab's name and "-". */
    readonly namespacePrefix?: string;
    /** Other subnets declared in the stack, which the bridge subnet must not overlap. */
    readonly otherSubnets?: readonly string[];
}

/** One member of a lab as planned: names, interfaces, policies, DNS, chains and attachment. */
export interface MemberPlan {
    readonly name: string;
    readonly namespace: string;
    /** The host-side veth end (on the bridge). */
    readonly hostInterface: string;
    /** The member-side veth end. */
    readonly interface: string;
    readonly address?: string;
    readonly egress: EgressPolicy;
    readonly ingress: EgressPolicy;
    readonly portForwards: readonly LabPortForward[];
    readonly nameservers: readonly string[];
    readonly search: readonly string[];
    /** nftables chain prefix of this member's rules. */
    readonly chains: string;
    /** Shaping of the member's traffic, as declared (undefined: none). */
    readonly shaping?: MemberShaping;
    /** How it joins the network; only `bridge` members have a veth, an address in the subnet and chains. */
    readonly attachment: AttachmentPlan;
}

/** A lab as planned: bridge, subnet, gateway, MTU, uplink, NAT and members. */
export interface LabPlan {
    readonly bridge: string;
    readonly subnet: string;
    readonly prefixLength: number;
    readonly gateway: string;
    readonly mtu?: number;
    readonly uplink?: string;
    readonly nat: boolean;
    readonly hosts: boolean;
    readonly members: readonly MemberPlan[];
    /** Sentences for preview: what the lab declares that it cannot enforce (see unenforcedPolicies). */
    readonly warnings: readonly string[];
}

function checkPortForwards(list: readonly LabPortForward[], path: string, failures: Failures): void {
    list.forEach((pf, i) => {
        for (const key of ["hostPort", "port"] as const) {
            const v = pf[key];
            if (!Number.isInteger(v) || v < 1 || v > 65535) failures.add(`${path}[${i}].${key}`, `${key} ${show(v)} is not a whole number from 1 to 65535`);
        }
        if (pf.protocol !== undefined && pf.protocol !== "tcp" && pf.protocol !== "udp") {
            failures.add(`${path}[${i}].protocol`, `protocol ${show(pf.protocol)} cannot be forwarded; use "tcp" or "udp"`);
        }
    });
}

/** Why the given namespace prefix cannot start a namespace name, or undefined (also when none is given). */
function namespacePrefixError(input: LabInput): string | undefined {
    if (input.namespacePrefix === undefined) return undefined;
    const problem = namespaceNameError(`${input.namespacePrefix}x`);
    return problem && `namespace prefix ${show(input.namespacePrefix)} cannot start a namespace name: use letters, digits, '-', '_' or '.', such as "lab-"`;
}

function planMember(lab: string, input: LabInput, name: string, failures: Failures): MemberPlan {
    const m = input.members[name] ?? {};
    const path = `members.${name}`;
    failures.check(`${path}`, hostnameErrorOf(name, "member name"));
    const namespace = `${input.namespacePrefix ?? `${lab}-`}${name}`;
    // A bad prefix is reported once, as the property the user typed (see planLab), not as every member's namespace.
    if (namespacePrefixError(input) === undefined) failures.check(`${path}.namespace`, namespaceNameError(namespace));
    if (m.address !== undefined) failures.check(`${path}.address`, ipAddressError(m.address));
    checkPortForwards(m.portForwards ?? [], `${path}.portForwards`, failures);
    if (m.shaping !== undefined) checkMemberShaping(m.shaping, `${path}.shaping`, failures);
    (m.dns?.nameservers ?? []).forEach((n, i) => failures.check(`${path}.dns.nameservers[${i}]`, ipAddressError(n)));
    const attachment = checkAttachment(m.attachment, name, Object.keys(input.members), failures);
    checkBridgeOnly(attachment, m, name, failures);
    return {
        name,
        namespace,
        hostInterface: boundedInterfaceName(`v${namespace}`),
        interface: "eth0",
        address: m.address !== undefined && ipAddressError(m.address) === undefined ? canonicalIp(m.address) : m.address,
        egress: checkEgress(m.egress, `${path}.egress`, failures),
        ingress: checkEgress(m.ingress, `${path}.ingress`, failures),
        portForwards: m.portForwards ?? [],
        nameservers: m.dns?.nameservers ?? input.dns?.nameservers ?? [],
        search: m.dns?.search ?? input.dns?.search ?? [],
        chains: `${lab}_${name}`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 56),
        shaping: m.shaping,
        attachment,
    };
}

/** A member may share the namespace of a member that has one of its own (not a host or another container member). */
function checkContainerTargets(members: readonly MemberPlan[], failures: Failures): void {
    for (const m of members) {
        if (m.attachment.kind !== "container") continue;
        const target = members.find((t) => t.name === (m.attachment as { of: string }).of);
        if (target && (target.attachment.kind === "host" || target.attachment.kind === "container")) {
            failures.add(
                `members.${m.name}.attachment.container`,
                `${target.name} has no namespace of its own (it is attached as ${target.attachment.kind}); name a member with one`,
            );
        }
    }
}

/**
 * Checks a member's shaping as TrafficShaping will (its egress is the
 * host-side end's inbound traffic, its ingress the outbound), reporting each
 * failure under the member's own words (`members.red.shaping.egress.rate`).
 */
function checkMemberShaping(shaping: MemberShaping, path: string, failures: Failures): void {
    if (shaping.egress === undefined && shaping.ingress === undefined) {
        failures.add(path, 'neither egress nor ingress is given: shape at least one, e.g. { egress: { rate: "10mbit" } }');
        return;
    }
    const raw = { owner: "netplumb:lab/check@000000000000/m", host: {}, adopt: false, interface: "check0", inbound: shaping.egress, outbound: shaping.ingress };
    for (const f of checkShaping(raw).failures) {
        failures.add(`${path}.${f.property.replace(/^inbound/, "egress").replace(/^outbound/, "ingress")}`, f.reason);
    }
}

function checkHostPortsUnique(members: readonly MemberPlan[], failures: Failures): void {
    const used = new Map<string, string>();
    for (const m of members) {
        m.portForwards.forEach((pf, i) => {
            const key = `${pf.protocol ?? "tcp"}/${pf.hostPort}`;
            const other = used.get(key);
            if (other)
                failures.add(`members.${m.name}.portForwards[${i}].hostPort`, `host port ${key} is already forwarded to ${show(other)}; use another host port`);
            used.set(key, m.name);
        });
    }
}

/**
 * Works out a lab from its declaration without touching Pulumi or the host:
 * names, the gateway, each member's namespace, interfaces, policy and DNS.
 * Returns every problem found, each naming the property, the value and the fix.
 */
export function planLab(lab: string, input: LabInput): { plan: LabPlan; failures: readonly Failure[] } {
    const failures = new Failures();
    failures.check("bridge.name", interfaceNameError(input.bridge.name));
    failures.check("bridge.cidr", interfaceAddressError(input.bridge.cidr));
    if (input.uplink !== undefined && input.uplink !== "auto") failures.check("uplink", interfaceNameError(input.uplink));
    (input.dns?.nameservers ?? []).forEach((n, i) => failures.check(`dns.nameservers[${i}]`, ipAddressError(n)));
    failures.check("name", nftNameError(`lab_${lab}`.replace(/-/g, "_")));
    const cidrOk = interfaceAddressError(input.bridge.cidr) === undefined;
    const subnet = cidrOk ? subnetOf(input.bridge.cidr) : input.bridge.cidr;
    const gateway = input.bridge.gateway ?? (cidrOk ? defaultGateway(subnet) : "");
    if (input.bridge.gateway !== undefined) failures.check("bridge.gateway", ipAddressError(input.bridge.gateway));
    failures.check("namespacePrefix", namespacePrefixError(input));
    const members = Object.keys(input.members)
        .sort()
        .map((name) => planMember(lab, input, name, failures));
    checkHostPortsUnique(members, failures);
    checkContainerTargets(members, failures);
    if (cidrOk && ipAddressError(gateway) === undefined) {
        const requests = members.map((m) => ({ member: m.name, address: m.address }));
        for (const f of checkPool({ subnet, gateway }, requests, input.otherSubnets ?? [])) {
            failures.add(f.property === "gateway" ? "bridge.gateway" : f.property === "subnet" ? "bridge.cidr" : f.property, f.reason);
        }
    }
    const plan: LabPlan = {
        bridge: input.bridge.name,
        subnet,
        prefixLength: cidrOk ? parseInterfaceAddress(input.bridge.cidr).prefixLength : 0,
        gateway: gateway && ipAddressError(gateway) === undefined ? canonicalIp(gateway) : gateway,
        mtu: input.bridge.mtu,
        uplink: input.uplink === "auto" ? undefined : input.uplink,
        nat: input.nat ?? true,
        hosts: input.dns?.hosts ?? false,
        members,
        warnings: Object.keys(input.members)
            .sort()
            .flatMap((name) => unenforcedPolicies(members.find((m) => m.name === name)!.attachment, input.members[name] ?? {}, name)),
    };
    return { plan, failures: failures.all };
}

import { ipAddressError } from "./addresses";
import { Failure, Failures, show } from "./failures";
import { LabInput, LabMemberInput, LabPlan, MemberPlan, planLab } from "./lab";
import { VXLAN_PORT, overheadFor, overlayMtuError } from "./vxlan";

/** A member of a multi-host lab: a LabNetwork member plus the host it lives on. */
export interface PlacedMemberInput extends LabMemberInput {
    /** The name of the host (a key of `hosts`) the member's namespace lives on. */
    readonly host: string;
}

/** The overlay joining the hosts' bridges into one layer-2 segment. */
export interface OverlayInput {
    /** VXLAN network identifier, 1-16777215. */
    readonly vni: number;
    /** UDP port. Default 4789. */
    readonly port?: number;
    /** MTU of the underlay between the hosts. Default 1500. */
    readonly underlayMtu?: number;
}

/** The parts of a multi-host lab that are plain data (hosts' connections are Pulumi inputs, checked by each resource). */
export interface MultiHostLabInput extends Omit<LabInput, "members"> {
    /** Each host's underlay address (the tunnel's source and what the others send to), by host name. */
    readonly underlay: Readonly<Record<string, string>>;
    /** The host holding the gateway address, NAT, the uplink and the forward policy of members elsewhere. Default: the first host name in sorted order. */
    readonly gatewayHost?: string;
    readonly overlay: OverlayInput;
    readonly members: Readonly<Record<string, PlacedMemberInput>>;
}

/** A multi-host lab's plan: the one lab plan (one subnet, one pool) and where each member lives. */
export interface MultiHostPlan {
    readonly lab: LabPlan;
    readonly hosts: readonly string[];
    readonly gatewayHost: string;
    /** Member name → host name. */
    readonly placement: ReadonlyMap<string, string>;
    readonly vni: number;
    readonly port: number;
    readonly underlayMtu: number;
}

const HOST_NAME = /^[a-z][a-z0-9-]{0,30}$/;

function checkHosts(input: MultiHostLabInput, failures: Failures): string[] {
    const hosts = Object.keys(input.underlay ?? {}).sort();
    if (hosts.length === 0) failures.add("hosts", 'a multi-host lab needs at least one host, e.g. { a: { host: { ssh: … }, underlay: "198.51.100.11" } }');
    for (const h of hosts) {
        if (!HOST_NAME.test(h))
            failures.add(`hosts.${h}`, `host name ${show(h)} must be lowercase letters, digits and '-', starting with a letter, at most 31 characters`);
        failures.check(`hosts.${h}.underlay`, ipAddressError(input.underlay[h]));
    }
    const seen = new Map<string, string>();
    for (const h of hosts) {
        const other = seen.get(input.underlay[h]);
        if (other !== undefined)
            failures.add(`hosts.${h}.underlay`, `underlay ${show(input.underlay[h])} is also host ${show(other)}'s; each host needs its own`);
        seen.set(input.underlay[h], h);
    }
    if (input.gatewayHost !== undefined && !hosts.includes(input.gatewayHost)) {
        failures.add("gatewayHost", `${show(input.gatewayHost)} is not one of the hosts (${hosts.join(", ")}); name one of them`);
    }
    return hosts;
}

function checkOverlay(input: MultiHostLabInput, hosts: readonly string[], failures: Failures): { port: number; underlayMtu: number; mtu: number } {
    const overlay = input.overlay ?? ({} as OverlayInput);
    const { vni, port = VXLAN_PORT, underlayMtu = 1500 } = overlay;
    if (!Number.isInteger(vni) || vni < 1 || vni > 16777215) failures.add("overlay.vni", `VNI ${show(vni)} is not a whole number from 1 to 16777215`);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        failures.add("overlay.port", `port ${show(port)} is not a whole number from 1 to 65535; VXLAN's is 4789`);
    if (!Number.isInteger(underlayMtu) || underlayMtu < 1280 || underlayMtu > 65535) {
        failures.add("overlay.underlayMtu", `underlay MTU ${show(underlayMtu)} is not a whole number from 1280 to 65535`);
    }
    const sample = hosts.map((h) => input.underlay[h]).find((a) => ipAddressError(a) === undefined) ?? "0.0.0.0";
    const mtu = input.bridge?.mtu ?? underlayMtu - overheadFor(sample);
    for (const h of hosts) {
        if (ipAddressError(input.underlay[h]) !== undefined) continue;
        const error = overlayMtuError(mtu, underlayMtu, input.underlay[h]);
        if (error !== undefined) failures.add("bridge.mtu", `${error} (host ${h}'s underlay is ${input.underlay[h]})`);
    }
    return { port, underlayMtu, mtu };
}

/**
 * Validates a multi-host lab and plans it: the hosts and their underlay
 * addresses, the overlay (VNI, port, and the segment's MTU, which defaults
 * to the underlay's minus VXLAN's overhead and must fit it), each member's
 * host, and the lab itself as one LabNetwork plan (one subnet, one address
 * pool, names unique across hosts).
 */
export function planMultiHost(lab: string, input: MultiHostLabInput): { plan: MultiHostPlan; failures: readonly Failure[] } {
    const failures = new Failures();
    const hosts = checkHosts(input, failures);
    const { port, underlayMtu, mtu } = checkOverlay(input, hosts, failures);
    const placement = new Map<string, string>();
    const members: Record<string, LabMemberInput> = {};
    for (const [name, member] of Object.entries(input.members ?? {})) {
        const { host, ...rest } = member ?? ({} as PlacedMemberInput);
        if (!hosts.includes(host))
            failures.add(`members.${name}.host`, `${show(host)} is not one of the hosts (${hosts.join(", ")}); name the host the member lives on`);
        placement.set(name, host);
        members[name] = rest;
    }
    const { underlay: _underlay, gatewayHost, overlay: _overlay, ...labInput } = input;
    const planned = planLab(lab, { ...labInput, bridge: { ...input.bridge, mtu }, members });
    for (const f of planned.failures) failures.add(f.property, f.reason);
    for (const m of planned.plan.members) {
        if (m.attachment.kind !== "container") continue;
        const shared = placement.get(m.attachment.of);
        if (shared !== undefined && placement.get(m.name) !== shared) {
            failures.add(`members.${m.name}.host`, `${m.name} shares ${m.attachment.of}'s namespace, which is on ${shared}; place it on ${shared}`);
        }
    }
    const plan: MultiHostPlan = {
        lab: planned.plan,
        hosts,
        gatewayHost: gatewayHost ?? hosts[0] ?? "",
        placement,
        vni: input.overlay?.vni,
        port,
        underlayMtu,
    };
    return { plan, failures: failures.all };
}

/** The members that live on `host`. */
export function membersOn(plan: MultiHostPlan, host: string): MemberPlan[] {
    return plan.lab.members.filter((m) => plan.placement.get(m.name) === host);
}

import { HostSpec } from "../sdk/model/host-spec";
import { AddressSpec, RouteSpec, SysctlSpec, VethPairSpec } from "../sdk/model/specs";

/**
 * Resource ids: readable paths naming where the object lives,
 * `<namespace or host>/<kind>/<name>`. Ids are informational; every
 * operation works from the recorded properties.
 */
function where(host: HostSpec, namespace?: string): string {
    const machine = host.ssh ? `${host.ssh.host}:` : "";
    return `${machine}${namespace ?? host.netns ?? "host"}`;
}

export function linkId(s: { host: HostSpec; namespace?: string; name: string }): string {
    return `${where(s.host, s.namespace)}/link/${s.name}`;
}

export function shapingId(s: { host: HostSpec; namespace?: string; interface: string }): string {
    return `${where(s.host, s.namespace)}/tc/${s.interface}`;
}

export function vethId(s: VethPairSpec): string {
    return `${where(s.host, s.a.namespace)}/veth/${s.a.name}`;
}

export function addressId(s: AddressSpec): string {
    return `${where(s.host, s.namespace)}/addr/${s.interface}/${s.address}`;
}

export function routeId(s: RouteSpec): string {
    return `${where(s.host, s.namespace)}/route/${s.destination}${s.metric !== undefined ? `/${s.metric}` : ""}`;
}

export function sysctlId(s: SysctlSpec): string {
    return `${where(s.host, s.namespace)}/sysctl/${s.key}`;
}

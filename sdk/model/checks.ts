import {
    canonicalDestination,
    canonicalIp,
    familyOf,
    interfaceAddressError,
    ipAddressError,
    parseInterfaceAddress,
    subnetContains,
    destinationError,
} from "./addresses";
import { Failure, Failures, show } from "./failures";
import { checkHost, isUnknown } from "./host-spec";
import { InputReader } from "./inputs";
import { macError, metricError, mtuError, stableMac, sysctlKeyError, sysctlValueError } from "./link-properties";
import { interfaceNameError, namespaceNameError } from "./names";
import { ownerTagError } from "./ownership";
import { AddressSpec, BridgeSpec, ManagedSpec, NamespaceSpec, RouteSpec, SysctlSpec, VethEndSpec, VethPairSpec, canonicalAddresses } from "./specs";

/** The outcome of validating one resource's inputs. */
export interface CheckResult<T> {
    readonly spec: T;
    readonly failures: readonly Failure[];
}

/** Raw resource inputs, before a check. */
export type Raw = Record<string, unknown>;

/** Reads the fields every host-level resource has: host, owner tag, adopt. */
export function readManaged(r: InputReader): ManagedSpec {
    return {
        host: checkHost(r.value("host"), r.path("host"), r.failures),
        owner: r.string("owner", ownerTagError) ?? "",
        adopt: r.boolean("adopt", false),
    };
}

function done<T>(spec: T, failures: Failures): CheckResult<T> {
    return { spec, failures: failures.all };
}

/** Keeps only known, valid addresses, canonicalised and sorted. */
export function addresses(list: string[]): string[] {
    const valid = list.filter((a) => !isUnknown(a) && interfaceAddressError(a) === undefined);
    return valid.length === list.length ? canonicalAddresses(valid) : list;
}

function hasIpv6(list: readonly string[]): boolean {
    return list.some((a) => interfaceAddressError(a) === undefined && parseInterfaceAddress(a).family === 6);
}

/** Validates NetworkNamespace inputs. */
export function checkNamespace(raw: Raw): CheckResult<NamespaceSpec> {
    const r = new InputReader(raw, "", new Failures());
    const spec = { ...readManaged(r), name: r.string("name", namespaceNameError) ?? "" };
    return done(spec, r.failures);
}

/** Validates Bridge inputs (MTU bounds depend on whether IPv6 addresses are present). */
export function checkBridge(raw: Raw): CheckResult<BridgeSpec> {
    const r = new InputReader(raw, "", new Failures());
    const list = addresses(r.strings("addresses", interfaceAddressError));
    const managedFields = readManaged(r);
    const name = r.string("name", interfaceNameError) ?? "";
    const spec: BridgeSpec = {
        ...managedFields,
        name,
        mac: r.optionalString("mac", macError)?.toLowerCase() ?? stableMac(`${managedFields.owner}/${name}`),
        namespace: r.optionalString("namespace", namespaceNameError),
        mtu: r.number("mtu", (v) => mtuError(v, hasIpv6(list))),
        addresses: list,
        up: r.boolean("up", true),
        stp: r.boolean("stp", false),
    };
    return done(spec, r.failures);
}

function checkVethEnd(r: InputReader): VethEndSpec {
    const list = addresses(r.strings("addresses", interfaceAddressError));
    const gateway = r.optionalString("gateway", ipAddressError);
    const addressesKnown = !isUnknown(r.value("addresses")) && list.every((a) => !isUnknown(a));
    if (gateway !== undefined && !isUnknown(gateway) && ipAddressError(gateway) === undefined && addressesKnown) {
        gatewayInSubnet(r, gateway, list);
    }
    return {
        name: r.string("name", interfaceNameError) ?? "",
        namespace: r.optionalString("namespace", namespaceNameError),
        bridge: r.optionalString("bridge", interfaceNameError),
        addresses: list,
        mtu: r.number("mtu", (v) => mtuError(v, hasIpv6(list))),
        mac: r.optionalString("mac", macError)?.toLowerCase(),
        gateway: gateway !== undefined && !isUnknown(gateway) ? canonicalIp(gateway) : gateway,
    };
}

function gatewayInSubnet(r: InputReader, gateway: string, list: readonly string[]): void {
    const parsed = list.filter((a) => interfaceAddressError(a) === undefined).map(parseInterfaceAddress);
    if (!parsed.some((a) => subnetContains(a, gateway))) {
        const subnets = parsed.length ? parsed.map((a) => `${a.address}/${a.prefixLength}`).join(", ") : "none";
        r.failures.add(
            r.path("gateway"),
            `gateway ${show(gateway)} is not inside this end's subnets (${subnets}); ` + `use an address of the same subnet, such as the bridge's address`,
        );
    }
}

/** Validates VethPair inputs: both ends, distinct names within one namespace. */
export function checkVethPair(raw: Raw): CheckResult<VethPairSpec> {
    const r = new InputReader(raw, "", new Failures());
    const spec: VethPairSpec = { ...readManaged(r), a: checkVethEnd(r.object("a")), b: checkVethEnd(r.object("b")) };
    if (spec.a.name === spec.b.name && spec.a.namespace === spec.b.namespace && spec.a.name !== "") {
        r.failures.add("b.name", `both ends are named ${show(spec.a.name)} in the same namespace; give the ends different names`);
    }
    if (spec.a.bridge !== undefined && spec.b.bridge !== undefined && spec.a.namespace === spec.b.namespace && spec.a.bridge === spec.b.bridge) {
        r.failures.add("b.bridge", `both ends join bridge ${show(spec.a.bridge)}; a veth pair joining a bridge to itself makes a loop`);
    }
    return done(spec, r.failures);
}

/** Validates Address inputs. */
export function checkAddress(raw: Raw): CheckResult<AddressSpec> {
    const r = new InputReader(raw, "", new Failures());
    const address = r.string("address", interfaceAddressError) ?? "";
    const spec: AddressSpec = {
        ...readManaged(r),
        interface: r.string("interface", interfaceNameError) ?? "",
        namespace: r.optionalString("namespace", namespaceNameError),
        address: interfaceAddressError(address) === undefined ? canonicalAddresses([address])[0] : address,
    };
    return done(spec, r.failures);
}

/** Validates Route inputs: a destination, and a gateway and/or a device of the same family. */
export function checkRoute(raw: Raw): CheckResult<RouteSpec> {
    const r = new InputReader(raw, "", new Failures());
    const destination = r.string("destination", destinationError) ?? "";
    const via = r.optionalString("via", ipAddressError);
    const device = r.optionalString("device", interfaceNameError);
    if (!r.has("via") && !r.has("device")) {
        r.failures.add("via", `a route needs a gateway ("via") or a device ("device"), or both; neither was given`);
    }
    const known = (v?: string) => v !== undefined && !isUnknown(v);
    if (known(via) && ipAddressError(via) === undefined && destination !== "default" && destinationError(destination) === undefined) {
        if (familyOf(via!) !== parseInterfaceAddress(destination).family) {
            r.failures.add(
                "via",
                `gateway ${show(via)} is IPv${familyOf(via!)} but destination ${show(destination)} is not; use a gateway of the destination's family`,
            );
        }
    }
    const spec: RouteSpec = {
        ...readManaged(r),
        namespace: r.optionalString("namespace", namespaceNameError),
        destination: known(destination) && destinationError(destination) === undefined ? canonicalDestination(destination) : destination,
        via: known(via) && ipAddressError(via) === undefined ? canonicalIp(via!) : via,
        device,
        metric: r.number("metric", metricError),
    };
    return done(spec, r.failures);
}

/** Validates Sysctl inputs. */
export function checkSysctl(raw: Raw): CheckResult<SysctlSpec> {
    const r = new InputReader(raw, "", new Failures());
    const value = r.value("value");
    const spec: SysctlSpec = {
        ...readManaged(r),
        namespace: r.optionalString("namespace", namespaceNameError),
        key: r.string("key", sysctlKeyError) ?? "",
        value: typeof value === "number" ? String(value) : (r.string("value", sysctlValueError) ?? ""),
    };
    return done(spec, r.failures);
}

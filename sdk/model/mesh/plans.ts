import { Failure, show } from "../failures";
import { MeshNamespaceInput, checkMeshNamespaces } from "./injection";
import {
    CanaryInput,
    DestinationRuleInput,
    MeshObject,
    ServiceEntryInput,
    VirtualServiceInput,
    canary,
    checkCanary,
    checkDestinationRule,
    checkServiceEntry,
    checkVirtualService,
    compileDestinationRule,
    compileServiceEntry,
    compileVirtualService,
} from "./istio";
import { IstioGatewayInput, checkGatewayBindings, checkIstioGateway, compileIstioGateway } from "./istio-gateway";
import {
    MeshSplitInput,
    ServiceProfileInput,
    TrafficSplitInput,
    checkMeshSplit,
    checkServiceProfile,
    checkTrafficSplit,
    compileMeshSplit,
    compileServiceProfile,
    translateTrafficSplit,
} from "./linkerd";

/** Istio's traffic configuration as one plan: checked together, so routes are held against the rules and gateways declared beside them. */
export interface IstioMeshInput {
    /** Namespaces to label for sidecar injection, by name. */
    readonly namespaces?: Readonly<Record<string, MeshNamespaceInput>>;
    readonly gateways?: readonly IstioGatewayInput[];
    readonly virtualServices?: readonly VirtualServiceInput[];
    readonly destinationRules?: readonly DestinationRuleInput[];
    readonly serviceEntries?: readonly ServiceEntryInput[];
    /** Canaries, each becoming a VirtualService and DestinationRule named after its service. */
    readonly canaries?: readonly CanaryInput[];
}

/** The plan's VirtualServices and DestinationRules with the canaries' pairs added, each with the property path it came from. */
function istioRouting(input: IstioMeshInput): { vs: Array<[VirtualServiceInput, string]>; dr: Array<[DestinationRuleInput, string]> } {
    const pairs = (input.canaries ?? []).map((c, i) => ({ ...canary(c), path: `canaries[${i}]` }));
    return {
        vs: [
            ...(input.virtualServices ?? []).map((v, i): [VirtualServiceInput, string] => [v, `virtualServices[${i}]`]),
            ...pairs.map((p): [VirtualServiceInput, string] => [p.virtualService, p.path]),
        ],
        dr: [
            ...(input.destinationRules ?? []).map((d, i): [DestinationRuleInput, string] => [d, `destinationRules[${i}]`]),
            ...pairs.map((p): [DestinationRuleInput, string] => [p.destinationRule, p.path]),
        ],
    };
}

/** Failures for objects of one kind declared twice under one namespace and name (the second one's path is named). */
function duplicates(kind: string, objects: ReadonlyArray<[{ readonly name: string; readonly namespace: string }, string]>): Failure[] {
    const seen = new Map<string, string>();
    const failures: Failure[] = [];
    for (const [object, path] of objects) {
        const key = `${object.namespace}/${object.name}`;
        const first = seen.get(key);
        if (first !== undefined)
            failures.push({ property: `${path}.name`, reason: `${kind} ${show(key)} is declared by ${first} too; give one of them another name` });
        else seen.set(key, path);
    }
    return failures;
}

/** Every failure of an Istio plan: each object's own checks, subsets against the rules, VirtualServices against their gateways, duplicate names. */
export function checkIstioMesh(input: IstioMeshInput): readonly Failure[] {
    const { vs, dr } = istioRouting(input);
    const rules = dr.map(([d]) => d);
    const gateways = input.gateways ?? [];
    return [
        ...checkMeshNamespaces(input.namespaces ?? {}, true).all,
        ...gateways.flatMap((g, i) => checkIstioGateway(g, `gateways[${i}]`).all),
        ...(input.canaries ?? []).flatMap((c, i) => checkCanary(c, `canaries[${i}]`).all),
        ...vs.flatMap(([v, path]) => checkVirtualService(v, rules, path).all),
        ...(input.destinationRules ?? []).flatMap((d, i) => checkDestinationRule(d, `destinationRules[${i}]`).all),
        ...(input.serviceEntries ?? []).flatMap((s, i) => checkServiceEntry(s, `serviceEntries[${i}]`).all),
        ...checkGatewayBindings(vs, gateways).all,
        ...duplicates(
            "Gateway",
            gateways.map((g, i) => [g, `gateways[${i}]`]),
        ),
        ...duplicates("VirtualService", vs),
        ...duplicates("DestinationRule", dr),
        ...duplicates(
            "ServiceEntry",
            (input.serviceEntries ?? []).map((s, i) => [s, `serviceEntries[${i}]`]),
        ),
    ];
}

/** The Istio objects of a valid plan, gateways first. */
export function compileIstioMesh(input: IstioMeshInput): MeshObject[] {
    const { vs, dr } = istioRouting(input);
    return [
        ...(input.gateways ?? []).map(compileIstioGateway),
        ...dr.map(([d]) => compileDestinationRule(d)),
        ...vs.map(([v]) => compileVirtualService(v)),
        ...(input.serviceEntries ?? []).map(compileServiceEntry),
    ];
}

/** Linkerd's traffic configuration as one plan. */
export interface LinkerdMeshInput {
    /** Namespaces to annotate for proxy injection, by name. */
    readonly namespaces?: Readonly<Record<string, MeshNamespaceInput & { readonly injection: "enabled" | "disabled" }>>;
    readonly serviceProfiles?: readonly ServiceProfileInput[];
    /** Weighted splits, applied as Gateway API HTTPRoutes whose parent is the Service. */
    readonly splits?: readonly MeshSplitInput[];
    /** SMI TrafficSplits (archived upstream), taken as input only and applied as the equivalent HTTPRoutes; preview says so. */
    readonly trafficSplits?: readonly TrafficSplitInput[];
}

/** Every failure of a Linkerd plan, including splits and TrafficSplits that would make the same HTTPRoute. */
export function checkLinkerdMesh(input: LinkerdMeshInput): readonly Failure[] {
    const splits = input.splits ?? [];
    const trafficSplits = input.trafficSplits ?? [];
    return [
        ...checkMeshNamespaces(input.namespaces ?? {}, false).all,
        ...(input.serviceProfiles ?? []).flatMap((p, i) => checkServiceProfile(p, `serviceProfiles[${i}]`).all),
        ...splits.flatMap((s, i) => checkMeshSplit(s, `splits[${i}]`).all),
        ...trafficSplits.flatMap((t, i) => checkTrafficSplit(t, `trafficSplits[${i}]`).all),
        ...duplicates(
            "ServiceProfile",
            (input.serviceProfiles ?? []).map((p, i) => [{ name: p.service, namespace: p.namespace }, `serviceProfiles[${i}]`]),
        ),
        ...duplicates("HTTPRoute", [
            ...splits.map((s, i): [MeshSplitInput | TrafficSplitInput, string] => [s, `splits[${i}]`]),
            ...trafficSplits.map((t, i): [TrafficSplitInput, string] => [t, `trafficSplits[${i}]`]),
        ]),
    ];
}

/** The Linkerd objects of a valid plan: ServiceProfiles, then HTTPRoutes (TrafficSplits translated). */
export function compileLinkerdMesh(input: LinkerdMeshInput): MeshObject[] {
    return [
        ...(input.serviceProfiles ?? []).map(compileServiceProfile),
        ...(input.splits ?? []).map(compileMeshSplit),
        ...(input.trafficSplits ?? []).map((t) => compileMeshSplit(translateTrafficSplit({ ...t, port: t.port! }))),
    ];
}

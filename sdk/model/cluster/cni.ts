import { Failures, show } from "../failures";
import { cidrError, cidrRange, within } from "./cidrs";

/** Calico's pod traffic between nodes: VXLAN, IP-in-IP, either only across subnets, or none (routed). */
export type CalicoEncapsulation = "VXLAN" | "VXLANCrossSubnet" | "IPIP" | "IPIPCrossSubnet" | "None";
const ENCAPSULATIONS: readonly CalicoEncapsulation[] = ["VXLAN", "VXLANCrossSubnet", "IPIP", "IPIPCrossSubnet", "None"];

/** Calico through the tigera-operator: one Installation with its IPv4 pool. */
export interface CalicoInput {
    /** The cluster's pod network (`--cluster-cidr`). */
    readonly podCidr: string;
    /** The pool Calico hands out; must lie inside podCidr. Default: podCidr itself. */
    readonly poolCidr?: string;
    /** Default "VXLAN" (works on any underlay; IPIP needs protocol 4 allowed between nodes). */
    readonly encapsulation?: CalicoEncapsulation;
    /** Pod interface MTU, bytes. Default: Calico's auto-detection (underlay minus encapsulation overhead). */
    readonly mtu?: number;
    /** The eBPF dataplane instead of iptables. Default false. Needs a 5.3+ kernel with BTF on the nodes. */
    readonly bpf?: boolean;
    /** Per-node block size of the pool (prefix length). Default 26 (64 addresses per block). */
    readonly blockSize?: number;
    /** Masquerade pod traffic leaving the pool. Default true. */
    readonly natOutgoing?: boolean;
}

/** Flannel through its chart. */
export interface FlannelInput {
    readonly podCidr: string;
    /** "vxlan" (default) or "host-gw" (nodes on one layer-2 network only). */
    readonly backend?: "vxlan" | "host-gw";
    /** Pod interface MTU, bytes. Default: the external interface's, less VXLAN's 50 bytes. */
    readonly mtu?: number;
}

function checkMtu(mtu: number | undefined, property: string, failures: Failures): void {
    if (mtu !== undefined && (!Number.isInteger(mtu) || mtu < 576 || mtu > 9000)) {
        failures.add(property, `${show(mtu)} is not a usable pod MTU; use 576 to 9000 bytes (1450 for VXLAN over a 1500-byte network)`);
    }
}

/** Checks Calico's inputs: CIDRs, the pool inside the pod network, encapsulation, MTU, block size. */
export function checkCalico(input: CalicoInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("podCidr"), cidrError(input.podCidr));
    if (input.poolCidr !== undefined) {
        failures.check(at("poolCidr"), cidrError(input.poolCidr));
        if (failures.ok && !within(cidrRange(input.poolCidr), cidrRange(input.podCidr))) {
            failures.add(
                at("poolCidr"),
                `${show(input.poolCidr)} is not inside podCidr (${input.podCidr}); Calico's IPPool must lie in the cluster's pod network`,
            );
        }
    }
    if (input.encapsulation !== undefined && !ENCAPSULATIONS.includes(input.encapsulation)) {
        failures.add(at("encapsulation"), `${show(input.encapsulation)} is not one of ${ENCAPSULATIONS.join(", ")}`);
    }
    checkMtu(input.mtu, at("mtu"), failures);
    const block = input.blockSize;
    if (block !== undefined && (!Number.isInteger(block) || block < 20 || block > 32)) {
        failures.add(at("blockSize"), `${show(block)} is not a block size Calico accepts for IPv4; use a prefix length from 20 to 32 (default 26)`);
    }
    return failures;
}

/**
 * The operator's `Installation` (operator.tigera.io/v1, named `default`) for
 * valid input: the IPv4 pool with its encapsulation, NAT and block size, the
 * MTU when given, and the dataplane (`BPF` or `Iptables`).
 */
export function calicoInstallation(input: CalicoInput): Record<string, unknown> {
    const pool = {
        name: "default-ipv4-ippool",
        cidr: input.poolCidr ?? input.podCidr,
        encapsulation: input.encapsulation ?? "VXLAN",
        natOutgoing: input.natOutgoing === false ? "Disabled" : "Enabled",
        blockSize: input.blockSize ?? 26,
        nodeSelector: "all()",
    };
    return {
        apiVersion: "operator.tigera.io/v1",
        kind: "Installation",
        metadata: { name: "default" },
        spec: {
            calicoNetwork: { ipPools: [pool], ...(input.mtu !== undefined ? { mtu: input.mtu } : {}), linuxDataplane: input.bpf ? "BPF" : "Iptables" },
        },
    };
}

/** Checks Flannel's inputs. */
export function checkFlannel(input: FlannelInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("podCidr"), cidrError(input.podCidr));
    if (input.backend !== undefined && input.backend !== "vxlan" && input.backend !== "host-gw") {
        failures.add(at("backend"), `${show(input.backend)} is neither "vxlan" nor "host-gw"`);
    }
    checkMtu(input.mtu, at("mtu"), failures);
    return failures;
}

/** The Flannel chart's values for valid input (`podCidr`, `flannel.backend`, `flannel.mtu`). */
export function flannelValues(input: FlannelInput): Record<string, unknown> {
    return { podCidr: input.podCidr, flannel: { backend: input.backend ?? "vxlan", ...(input.mtu !== undefined ? { mtu: input.mtu } : {}) } };
}

/**
 * The tigera-operator chart's values for valid input: its `installation`
 * (rendered by the chart as the `Installation` named `default`, which the
 * operator turns into the IPPool) with the spec of `calicoInstallation`.
 */
export function calicoOperatorValues(input: CalicoInput): Record<string, unknown> {
    return { installation: { enabled: true, ...(calicoInstallation(input).spec as Record<string, unknown>) } };
}

type EnvVar = { name: string; value?: string; valueFrom?: unknown };
/** An object of Calico's manifest, as far as the patch reads it. */
export type ManifestObject = { kind?: string; metadata?: { name?: string }; data?: Record<string, string>; spec?: unknown };

/**
 * Calico's single manifest (`calico.yaml`) set as data instead of with
 * `sed`: in the `calico-node` DaemonSet, `CALICO_IPV4POOL_CIDR` (the pool),
 * `CALICO_IPV4POOL_IPIP` / `CALICO_IPV4POOL_VXLAN` (the encapsulation),
 * `CALICO_IPV4POOL_BLOCK_SIZE` and `CALICO_IPV4POOL_NAT_OUTGOING`; in the
 * `calico-config` ConfigMap, `veth_mtu` when an MTU is given and, for VXLAN,
 * `calico_backend: vxlan` (BIRD's probes dropped). Other objects are returned
 * as they are. The manifest's own default encapsulation, IPIP, is kept when
 * none is given. The manifest's dataplane is iptables: `bpf`
 * needs the operator (checked by `checkCalicoManifest`).
 */
export function patchCalicoManifest(object: ManifestObject, input: CalicoInput): ManifestObject {
    const encapsulation = input.encapsulation ?? "IPIP";
    const vxlan = encapsulation.startsWith("VXLAN");
    if (object.kind === "ConfigMap" && object.metadata?.name === "calico-config") {
        const data: Record<string, string> = { ...object.data };
        if (input.mtu !== undefined) data.veth_mtu = String(input.mtu);
        if (vxlan) data.calico_backend = "vxlan";
        return { ...object, data };
    }
    if (object.kind !== "DaemonSet" || object.metadata?.name !== "calico-node") return object;
    const mode = (kind: "IPIP" | "VXLAN") => (encapsulation === kind ? "Always" : encapsulation === `${kind}CrossSubnet` ? "CrossSubnet" : "Never");
    const wanted: Record<string, string> = {
        CALICO_IPV4POOL_CIDR: input.poolCidr ?? input.podCidr,
        CALICO_IPV4POOL_IPIP: mode("IPIP"),
        CALICO_IPV4POOL_VXLAN: mode("VXLAN"),
        CALICO_IPV4POOL_BLOCK_SIZE: String(input.blockSize ?? 26),
        CALICO_IPV4POOL_NAT_OUTGOING: String(input.natOutgoing !== false),
    };
    const copy = JSON.parse(JSON.stringify(object)) as { spec: { template: { spec: { containers: CalicoContainer[] } } } };
    for (const container of copy.spec.template.spec.containers.filter((c) => c.name === "calico-node")) {
        const env = (container.env ?? []).filter((e) => !(e.name in wanted));
        container.env = [...env, ...Object.entries(wanted).map(([name, value]) => ({ name, value }))];
        // Without BGP there is no BIRD to probe (upstream's instructions for VXLAN with this manifest).
        if (vxlan) for (const probe of [container.livenessProbe, container.readinessProbe]) dropBirdChecks(probe);
    }
    return copy;
}

type CalicoContainer = { name: string; env?: EnvVar[]; livenessProbe?: Probe; readinessProbe?: Probe };
type Probe = { exec?: { command?: string[] } };

function dropBirdChecks(probe: Probe | undefined): void {
    if (probe?.exec?.command) probe.exec.command = probe.exec.command.filter((arg) => arg !== "-bird-ready" && arg !== "-bird-live");
}

/** Checks Calico's inputs for the manifest install: as `checkCalico`, and no eBPF dataplane (the operator's switch). */
export function checkCalicoManifest(input: CalicoInput, path = ""): Failures {
    const failures = checkCalico(input, path);
    if (input.bpf) failures.add(path ? `${path}.bpf` : "bpf", 'the eBPF dataplane is switched on through the operator; use install: "operator"');
    return failures;
}

/** Cilium through its chart: values-level support, not tested here (Cilium does not build on these machines). */
export interface CiliumInput {
    readonly podCidr: string;
    /** "vxlan" (default), "geneve", or "native" routing. */
    readonly routing?: "vxlan" | "geneve" | "native";
    /** Replace kube-proxy with Cilium's eBPF service handling. Default false. */
    readonly kubeProxyReplacement?: boolean;
}

/** Checks Cilium's inputs. */
export function checkCilium(input: CiliumInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("podCidr"), cidrError(input.podCidr));
    if (input.routing !== undefined && !["vxlan", "geneve", "native"].includes(input.routing))
        failures.add(at("routing"), `${show(input.routing)} is not "vxlan", "geneve" or "native"`);
    return failures;
}

/** The Cilium chart's values (cluster-pool IPAM with the pod network, routing mode, kube-proxy replacement). */
export function ciliumValues(input: CiliumInput): Record<string, unknown> {
    const routing = input.routing ?? "vxlan";
    return {
        ipam: { mode: "cluster-pool", operator: { clusterPoolIPv4PodCIDRList: [input.podCidr] } },
        routingMode: routing === "native" ? "native" : "tunnel",
        ...(routing === "native" ? { ipv4NativeRoutingCIDR: input.podCidr, autoDirectNodeRoutes: true } : { tunnelProtocol: routing }),
        kubeProxyReplacement: input.kubeProxyReplacement === true,
    };
}

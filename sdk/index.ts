/**
 * netplumb: Linux container networking as Pulumi resources.
 *
 * Resources: NetworkNamespace, Bridge, VethPair, Address, Route, Sysctl.
 * Every resource takes an optional `host` (`{}` for this machine, or
 * `{ netns: "name" }` to use a namespace as the host) and `adopt`.
 */
export { NetworkNamespace, NetworkNamespaceArgs } from "./resources/namespace";
export { Bridge, BridgeArgs } from "./resources/bridge";
export { VethPair, VethPairArgs, VethEndArgs } from "./resources/veth";
export { Address, AddressArgs } from "./resources/address";
export { Route, RouteArgs } from "./resources/route";
export { Sysctl, SysctlArgs } from "./resources/sysctl";
export { Vxlan, VxlanArgs } from "./resources/vxlan";
export { Macvlan, MacvlanArgs, Ipvlan, IpvlanArgs, SublinkArgs } from "./resources/sublink";
export { TrafficShaping, TrafficShapingArgs, DirectionShapingArgs } from "./resources/shaping";
export { CniNetwork, CniNetworkArgs } from "./resources/cni-network";
export { CniAttachment, CniAttachmentArgs, CniNetworkRefArgs } from "./resources/cni-attachment";
export {
    cniPresets,
    CniPlugin,
    CniIpam,
    CniRoute,
    HostLocalIpam,
    HostLocalRange,
    StaticIpam,
    BridgePlugin,
    MacvlanPlugin,
    LoopbackPlugin,
    PortmapPlugin,
    FirewallPlugin,
    BandwidthPlugin,
    TuningPlugin,
    OtherPlugin,
} from "./model/cni-plugins";
export { VxlanOverlay, VxlanOverlayArgs, OverlayHostArgs } from "./components/vxlan-overlay";
export { HostSpec } from "./model/host-spec";
export { HostInput, ManagedArgs, SshInput } from "./resources/common";
export { SshSpec } from "./model/ssh-spec";
export { ownerTag, parseOwnerTag, OwnerTagParts } from "./model/ownership";
export { StackIdentity } from "./resources/stack-identity";
export { Firewall, FirewallArgs, FirewallMemberArgs } from "./resources/firewall";
export { PortForward, PortForwardArgs } from "./resources/port-forward";
export { ResolvConf, ResolvConfArgs } from "./resources/resolv";
export { AddressAllocation, AddressAllocationArgs } from "./resources/allocation";
export { LabMember, LabMemberArgs } from "./resources/lab-member";
export { LabMembers, LabMembersArgs, LabMembersEntry } from "./resources/lab-members";
export type { MemberEntry, MemberEntryState, SharedKey } from "./model/lab-members";
export type { LabMemberSpec, LabMemberState } from "./model/lab-member";
export { SandboxServices, SandboxServicesArgs } from "./resources/services";
export { LabNetwork, LabNetworkArgs, LabMemberOutputs } from "./components/lab-network";
export { MultiHostLab, MultiHostLabArgs, LabHostArgs } from "./components/multi-host-lab";
export { Sandbox, SandboxArgs } from "./components/sandbox";
export { LabTopology, TopologyMember } from "./components/topology";
export { checkLab, formatMatrix, matrixPasses, CheckOptions } from "./tools/check";
export { doctorLab, formatReport, DoctorOptions, DoctorReport, Finding, Evidence, SkippedCheck, DiagnosisId, StackOwners, Flow } from "./tools/doctor";
export type { Probe } from "./sandbox/probe";
export { MatrixCell, egressAllows, expectedMatrix } from "./tools/expectations";
export { toMermaid, toSvg } from "./tools/diagram";
export { stackTableName } from "./model/firewall";
export * as model from "./model";
export { NetworkPolicies, NetworkPoliciesArgs } from "./cluster/network-policies";
export { LoadBalancer, LoadBalancerArgs } from "./cluster/load-balancer";
export { ClusterReadiness, ClusterConnectionArgs } from "./cluster/readiness";
export { Ingress, IngressArgs } from "./cluster/ingress";
export { Cni, CniArgs } from "./cluster/cni";
export { ClusterNetwork, ClusterNetworkArgs, Connection, WithoutPodCidr } from "./cluster/cluster-network";
export type { Values } from "./cluster/charts";
export { IstioMesh, IstioMeshArgs, Canary, CanaryArgs } from "./mesh/istio";
export { LinkerdMesh, LinkerdMeshArgs } from "./mesh/linkerd";
export { MeshCrdsArgs } from "./mesh/crd-chart";
export { istioSidecar, linkerdProxy } from "./model/mesh/injection";

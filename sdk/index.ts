/**
 * netplumb: Linux container networking as Pulumi resources.
 *
 * Resources: NetworkNamespace, Bridge, VethPair, Address, Route, Sysctl.
 * Every resource takes an optional `host` ({} for this machine, or
 * `{ netns: "name" }` to use a namespace as the host) and `adopt`.
 */
export { NetworkNamespace, NetworkNamespaceArgs } from "./resources/namespace";
export { Bridge, BridgeArgs } from "./resources/bridge";
export { VethPair, VethPairArgs, VethEndArgs } from "./resources/veth";
export { Address, AddressArgs } from "./resources/address";
export { Route, RouteArgs } from "./resources/route";
export { Sysctl, SysctlArgs } from "./resources/sysctl";
export { HostSpec } from "./model/host-spec";
export { HostInput, ManagedArgs } from "./resources/common";
export { ownerTag } from "./model/ownership";
export * as model from "./model";

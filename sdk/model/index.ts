/** The pure model layer: validation, names and diffs, usable without Pulumi or a host. */
export * from "./addresses";
export * from "./checks";
export * from "./diff";
export * from "./failures";
export * from "./host-spec";
export * from "./link-properties";
export * from "./names";
export * from "./observed";
export * from "./ownership";
export * from "./specs";
export * from "./firewall";
export * from "./ipam";
export * from "./lab";
export * from "./nft-script";
export * from "./port-forward";
export * from "./resolv";
export * as cluster from "./cluster";
export * as mesh from "./mesh";

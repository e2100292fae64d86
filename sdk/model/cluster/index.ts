/** The cluster half's pure model: address plans, label selectors, NetworkPolicy intent, its compiler and evaluator. */
export * from "./addressing";
export * from "./cidrs";
export * from "./labels";
export * from "./network-policy";
export * from "./policies";
export * from "./load-balancer";
export * from "./charts";
export * from "./cni";
export * from "./gateway";
export * from "./readiness";
export * from "./ingress";
export * from "./topology";
export * from "./kubernetes-object";

/** The service mesh's pure model: Istio's and Linkerd's routing objects, their checks and compilers, injection, the canary helper. */
export * from "./istio";
export * from "./istio-gateway";
export * from "./injection";
export * from "./linkerd";
export * from "./plans";

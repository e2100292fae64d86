/** The service mesh's pure model: Istio's routing objects, their checks and compilers, the canary helper. */
export * from "./istio";

import { PortForwardSpec, planPortForward } from "../model/port-forward";
import { WithDrift, chainOwner } from "./chain-resource";

/** A port forward's outputs: its spec, plus drift found by refresh. */
export type PortForwardState = WithDrift<PortForwardSpec>;

const lifecycle = chainOwner<PortForwardSpec>(planPortForward);

/**
 * Adds the DNAT chains in one transaction. Equivalent to: `nft -f -` with
 * `add chain inet T C_prerouting { type nat hook prerouting priority dstnat; }`,
 * `add rule inet T C_prerouting iifname "wan0" tcp dport 8080 dnat ip to 192.0.2.10:80`.
 */
export const createPortForward = lifecycle.create;
/** The spec, with `drift` when the live chains differ. */
export const readPortForward = lifecycle.read;
/** Replaces the rules atomically (ports, addresses, interface change in place). */
export const updatePortForward = lifecycle.update;
/** Deletes the chains, and the table when it is then empty. */
export const deletePortForward = lifecycle.delete;
/** Rewrites the chains under a new owner tag (their rules' comments). */
export const retagPortForward = lifecycle.retag;

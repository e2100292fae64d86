import { FirewallSpec } from "../model/firewall";
import { planFirewall } from "../model/nft-script";
import { WithDrift, chainOwner } from "./chain-resource";

/** A firewall's outputs: its spec, plus a description of drift when refresh found any. */
export type FirewallState = WithDrift<FirewallSpec>;

const lifecycle = chainOwner<FirewallSpec>(planFirewall);

/**
 * Creates the firewall's chains (forward egress policy, masquerade) in the
 * stack's table in one transaction. Equivalent to: `[ip netns exec NS] nft -f -`
 * with `add table inet T; add chain inet T C_forward {...}; flush chain ...; add rule ...`.
 */
export const createFirewall = lifecycle.create;
/** The spec with `drift` set when rules were removed or added behind Pulumi's back. */
export const readFirewall = lifecycle.read;
/** Re-applies the chains atomically: the owner's old rules go and the new ones come in one transaction. */
export const updateFirewall = lifecycle.update;
/** Deletes the chains, and the table when it is then empty. */
export const deleteFirewall = lifecycle.delete;
/** Rewrites the chains under a new owner tag (their rules' comments). */
export const retagFirewall = lifecycle.retag;

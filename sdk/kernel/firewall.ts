import { targetFor } from "../host/target";
import { FirewallSpec } from "../model/firewall";
import { planFirewall } from "../model/nft-script";
import { applyChains, assertChainsClaimable, describeDrift, readTable, removeChains } from "./nft";

/** A firewall's outputs: its spec, plus a description of drift when `read` found any. */
export interface FirewallState extends FirewallSpec {
    /** Set by read when the live chains differ from the spec; never an input. */
    readonly drift?: string;
}

/**
 * Creates the firewall's chains (forward policy, masquerade) in the stack's
 * table in one transaction. Equivalent to: `[ip netns exec NS] nft -f -` with
 * `add table inet T; add chain inet T C_forward {...}; flush chain ...; add rule ...`.
 */
export async function createFirewall(spec: FirewallSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const chains = planFirewall(spec);
    assertChainsClaimable(await readTable(target, spec.table), chains, spec.owner, spec.adopt);
    await applyChains(target, spec.table, spec.owner, chains);
}

/** The spec with `drift` set when rules were removed or added behind Pulumi's back; undefined when the namespace is gone. */
export async function readFirewall(spec: FirewallState): Promise<FirewallState | undefined> {
    const target = targetFor(spec.host, spec.namespace);
    const { drift: _previous, ...rest } = spec;
    const drift = describeDrift(await readTable(target, spec.table), spec.table, planFirewall(rest), spec.owner);
    return drift === undefined ? rest : { ...rest, drift };
}

/** Re-applies the chains atomically: the owner's old rules go, the new ones come, in one transaction. */
export async function updateFirewall(previous: FirewallState, spec: FirewallSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const chains = planFirewall(spec);
    const stale = planFirewall(previous).filter((old) => !chains.some((c) => c.name === old.name));
    await applyChains(target, spec.table, spec.owner, chains);
    if (stale.length > 0 || previous.table !== spec.table) await removeChains(target, previous.table, stale);
}

/** Deletes the firewall's chains, and the table when it is then empty. */
export async function deleteFirewall(spec: FirewallState): Promise<void> {
    await removeChains(targetFor(spec.host, spec.namespace), spec.table, planFirewall(spec));
}

import { targetFor } from "../host/target";
import { PortForwardSpec } from "../model/port-forward";
import { planPortForward } from "../model/port-forward";
import { applyChains, assertChainsClaimable, describeDrift, readTable, removeChains } from "./nft";

/** A port forward's outputs: its spec, plus drift found by read. */
export interface PortForwardState extends PortForwardSpec {
    readonly drift?: string;
}

/**
 * Adds the DNAT chains in one transaction. Equivalent to: `nft -f -` with
 * `add chain inet T C_prerouting { type nat hook prerouting priority dstnat; }`,
 * `add rule inet T C_prerouting iifname "wan0" tcp dport 8080 dnat ip to 192.0.2.10:80`.
 */
export async function createPortForward(spec: PortForwardSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    const chains = planPortForward(spec);
    assertChainsClaimable(await readTable(target, spec.table), chains, spec.owner, spec.adopt);
    await applyChains(target, spec.table, spec.owner, chains);
}

/** The spec, with `drift` when the live chains differ. */
export async function readPortForward(spec: PortForwardState): Promise<PortForwardState | undefined> {
    const { drift: _previous, ...rest } = spec;
    const drift = describeDrift(await readTable(targetFor(spec.host, spec.namespace), spec.table), spec.table, planPortForward(rest), spec.owner);
    return drift === undefined ? rest : { ...rest, drift };
}

/** Replaces the rules atomically (ports, addresses, interface change in place). */
export async function updatePortForward(_previous: PortForwardState, spec: PortForwardSpec): Promise<void> {
    await applyChains(targetFor(spec.host, spec.namespace), spec.table, spec.owner, planPortForward(spec));
}

/** Deletes the chains, and the table when it is then empty. */
export async function deletePortForward(spec: PortForwardState): Promise<void> {
    await removeChains(targetFor(spec.host, spec.namespace), spec.table, planPortForward(spec));
}

import { targetFor } from "../host/target";
import { HostSpec } from "../model/host-spec";
import { ChainPlan } from "../model/nft-script";
import { applyChains, assertChainsClaimable, createChains, describeDrift, readChains, removeChains } from "./nft";

/** What every resource that owns chains in netplumb's table has. */
export interface ChainOwnerSpec {
    readonly host: HostSpec;
    readonly owner: string;
    readonly adopt: boolean;
    readonly namespace?: string;
    readonly table: string;
}

/** Outputs add `drift` when read finds the live chains differ from the plan. */
export type WithDrift<S> = S & { readonly drift?: string };

/**
 * The lifecycle of a resource that owns a set of chains in netplumb's
 * nftables table (Firewall, PortForward): create and update are one
 * `nft -f -` transaction each (a first create needs no read of the table,
 * which grows with every member; only chains that exist already are read
 * and checked for ownership); read reports drift; delete removes the chains
 * and, when nothing else is left in it, the table.
 */
export function chainOwner<S extends ChainOwnerSpec>(plan: (spec: S) => ChainPlan[]) {
    const target = (spec: S) => targetFor(spec.host, spec.namespace);
    return {
        create: async (spec: S): Promise<void> => {
            const chains = plan(spec);
            if (await createChains(target(spec), spec.table, spec.owner, chains)) return;
            assertChainsClaimable(await readChains(target(spec), spec.table, chains), chains, spec.owner, spec.adopt);
            await applyChains(target(spec), spec.table, spec.owner, chains);
        },
        read: async (state: WithDrift<S>): Promise<WithDrift<S> | undefined> => {
            const { drift: _previous, ...rest } = state;
            const spec = rest as unknown as S;
            const drift = describeDrift(await readChains(target(spec), spec.table, plan(spec)), plan(spec), spec.owner);
            return drift === undefined ? spec : { ...spec, drift };
        },
        update: async (previous: WithDrift<S>, spec: S): Promise<void> => {
            const chains = plan(spec);
            const stale = plan(previous).filter((old) => !chains.some((c) => c.family === old.family && c.name === old.name));
            await applyChains(target(spec), spec.table, spec.owner, chains);
            if (stale.length > 0) await removeChains(target(previous), previous.table, previous.owner, stale);
        },
        /** Rewrites the chains under `owner` after checking each rule carries the previous tag (or already the new one). */
        retag: async (previous: WithDrift<S>, owner: string): Promise<void> => {
            const chains = plan(previous);
            assertChainsClaimable(await readChains(target(previous), previous.table, chains), chains, [previous.owner, owner], false);
            await applyChains(target(previous), previous.table, owner, chains);
        },
        delete: async (state: WithDrift<S>): Promise<void> => {
            await removeChains(target(state), state.table, state.owner, plan(state));
        },
    };
}

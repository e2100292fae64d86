import { CommandError, isKind } from "../host/errors";
import { Target } from "../host/target";
import { ChainPlan, applyScript, createScript, familiesOf, removeScript } from "../model/nft-script";
import { ruleComment } from "../model/firewall";
import { OwnershipError } from "./ownership";

interface NftObject {
    chain?: { name: string; table: string };
    rule?: { chain: string; comment?: string };
}

/** What the kernel holds of a table: rule comments per chain. */
export type TableState = Map<string, Array<string | undefined>>;

/**
 * Only these chains, one `nft -j list chain FAMILY TABLE CHAIN` each: what a
 * resource needs to check its own chains, without reading a table that grows
 * with every member. A missing chain (or table) is absent from the map.
 */
export async function readChains(target: Target, table: string, chains: readonly Pick<ChainPlan, "family" | "name">[]): Promise<TableState> {
    const state: TableState = new Map();
    for (const chain of chains) {
        const live = await listed(target, ["list", "chain", chain.family, table, chain.name]);
        for (const [name, comments] of live ?? []) state.set(name, comments);
    }
    return state;
}

/** Chains and their rules' comments from `nft -j LIST...`; undefined when the table or chain does not exist. */
async function listed(target: Target, list: readonly string[]): Promise<TableState | undefined> {
    try {
        const out = await target.exec(["nft", "-j", ...list]);
        const objects = (JSON.parse(out.stdout) as { nftables: NftObject[] }).nftables;
        const state: TableState = new Map();
        for (const o of objects) {
            if (o.chain) state.set(o.chain.name, state.get(o.chain.name) ?? []);
            if (o.rule) state.set(o.rule.chain, [...(state.get(o.rule.chain) ?? []), o.rule.comment]);
        }
        return state;
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
}

/**
 * Fails when one of these chains holds rules that carry another owner's
 * comment (someone else's chains of the same name), unless adopting.
 * `owner` may list several tags (a re-tag accepts the old and the new one).
 */
export function assertChainsClaimable(state: TableState | undefined, chains: readonly ChainPlan[], owner: string | readonly string[], adopt: boolean): void {
    const comments = (typeof owner === "string" ? [owner] : owner).map(ruleComment);
    for (const chain of chains) {
        const foreign = (state?.get(chain.name) ?? []).filter((c) => c === undefined || !comments.includes(c));
        if (foreign.length > 0 && !adopt) {
            throw new OwnershipError(
                `nftables chain ${chain.name} already holds ${foreign.length} rule(s) not owned by this resource; choose another name or set adopt: true`,
            );
        }
    }
}

/**
 * Describes how the live chains differ from the plan, or undefined when they
 * match: each chain must exist and hold exactly the planned number of rules,
 * all carrying this owner's comment.
 */
export function describeDrift(state: TableState, chains: readonly ChainPlan[], owner: string): string | undefined {
    const comment = ruleComment(owner);
    const problems = chains.flatMap((chain) => {
        const live = state.get(chain.name);
        if (live === undefined) return [`chain ${chain.name} is missing`];
        const ours = live.filter((c) => c === comment).length;
        return ours === chain.rules.length && live.length === ours ? [] : [`chain ${chain.name} holds ${live.length} rule(s), expected ${chain.rules.length}`];
    });
    return problems.length ? problems.join("; ") : undefined;
}

/** Applies the chains in one atomic `nft -f -` transaction. */
export async function applyChains(target: Target, table: string, owner: string, chains: readonly ChainPlan[]): Promise<void> {
    await inTableOrder(target, table, () => target.nftScript(applyScript(table, owner, chains)));
}

/**
 * Creates the chains fresh in one transaction; false (and nothing changed:
 * the transaction is atomic) when nft refuses it because one of them exists
 * already ("File exists", or "Operation not supported" for a base chain over
 * a regular one). The caller then takes the careful path. Any other error is
 * thrown. Equivalent to: `nft -f -` with `create chain inet T C { ... }; add rule ...`.
 */
export async function createChains(target: Target, table: string, owner: string, chains: readonly ChainPlan[]): Promise<boolean> {
    return inTableOrder(target, table, async () => {
        try {
            await target.nftScript(createScript(table, owner, chains));
            return true;
        } catch (error) {
            if (isKind(error, "Exists") || (error instanceof CommandError && /Operation not supported/.test(error.result.stderr))) return false;
            throw error;
        }
    });
}

/**
 * The chains that are provably this owner's: they exist and every rule in
 * them carries the owner's comment (netplumb's chains are never empty).
 */
export function ownedChains<C extends Pick<ChainPlan, "name">>(state: TableState, chains: readonly C[], owner: string): C[] {
    const comment = ruleComment(owner);
    return chains.filter((chain) => {
        const rules = state.get(chain.name);
        return rules !== undefined && rules.length > 0 && rules.every((c) => c === comment);
    });
}

/**
 * Deletes those of these chains that carry only this owner's rules (a chain
 * of the same name holding anyone else's rules stays), in one transaction;
 * then the table when no chain is left in it. Serialised per table with
 * every create of chains in it, so a member created in parallel in the same
 * run never loses its chains to a table deleted from under it. A table or
 * namespace that is already gone is success.
 */
export async function removeChains(target: Target, table: string, owner: string, chains: readonly ChainPlan[]): Promise<void> {
    await inTableOrder(target, table, async () => {
        const live = await readChains(target, table, chains);
        const ours = ownedChains(live, chains, owner);
        if (ours.length > 0) {
            try {
                await target.nftScript(removeScript(table, ours));
            } catch (error) {
                if (isKind(error, "NotFound")) return;
                throw error;
            }
        }
        for (const family of familiesOf(chains)) {
            if ((await chainCount(target, family, table)) === 0) await deleteTable(target, family, table);
        }
    });
}

/** The queue of table-changing operations per host namespace and table, in this process. */
const tableQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier create or removal of chains in the same
 * table (on the same host namespace) has finished. All of a stack's
 * resources share one provider process, and the engine serialises runs of
 * one stack, so ordering within the process is enough.
 */
export function inTableOrder<T>(target: Target, table: string, work: () => Promise<T>): Promise<T> {
    const key = `${target.netns ?? ""}/${table}`;
    const previous = tableQueues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
        () => undefined,
        () => undefined,
    );
    tableQueues.set(key, settled);
    void settled.then(() => {
        if (tableQueues.get(key) === settled) tableQueues.delete(key);
    });
    return next;
}

/**
 * How many chains the table has, from the family's chain list (no rules,
 * so it stays small as members are added). Equivalent to: `nft -j list chains FAMILY`.
 */
async function chainCount(target: Target, family: "inet" | "bridge", table: string): Promise<number | undefined> {
    const out = await target.exec(["nft", "-j", "list", "chains", family]).catch((error) => {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    });
    if (out === undefined) return undefined;
    return (JSON.parse(out.stdout) as { nftables: NftObject[] }).nftables.filter((o) => o.chain?.table === table).length;
}

/** Deletes an (empty) table; already gone is success. Equivalent to: `nft delete table FAMILY TABLE`. */
async function deleteTable(target: Target, family: "inet" | "bridge", table: string): Promise<void> {
    try {
        await target.exec(["nft", "delete", "table", family, table]);
    } catch (error) {
        if (!isKind(error, "NotFound")) throw error;
    }
}

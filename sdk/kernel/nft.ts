import { CommandError, isKind } from "../host/errors";
import { Target } from "../host/target";
import { ChainPlan, applyScript, createScript, familiesOf, removeScript } from "../model/nft-script";
import { ruleComment } from "../model/firewall";
import { OwnershipError } from "./ownership";
import { BatchRunner, allSettled, batchedInTableOrder, inTableOrder, settleEach } from "./table-queue";

interface NftObject {
    chain?: { name: string; table: string };
    rule?: { chain: string; comment?: string };
}

/** What the kernel holds of a table: rule comments per chain. */
export type TableState = Map<string, Array<string | undefined>>;

/**
 * Only these chains' state, one read shared with every read of the same
 * table queued beside it (refresh reads every member's chains at once). A
 * missing chain (or table) is absent from the map.
 */
export function readChains(target: Target, table: string, chains: readonly Pick<ChainPlan, "family" | "name">[]): Promise<TableState> {
    return batchedInTableOrder(target, table, readBatch, chains);
}

const readBatch: BatchRunner<readonly Pick<ChainPlan, "family" | "name">[], TableState> = async (target, table, requests) => {
    const state = await readLive(target, table, requests.flat(), requests.length > 1);
    return allSettled(requests.length, state);
};

/**
 * The live state of these chains (or more): one resource's chains are read
 * one `nft -j list chain FAMILY TABLE CHAIN` each, so a single resource never
 * lists a table that grows with every member; a batch of several resources
 * (`wholeTable`) reads with one `nft -j list table FAMILY TABLE` per family,
 * two processes instead of one per chain.
 */
async function readLive(target: Target, table: string, chains: readonly Pick<ChainPlan, "family" | "name">[], wholeTable = false): Promise<TableState> {
    const lists = wholeTable
        ? familiesOf(chains).map((family) => ["list", "table", family, table])
        : chains.map((chain) => ["list", "chain", chain.family, table, chain.name]);
    const state: TableState = new Map();
    for (const list of lists) {
        for (const [name, comments] of (await listed(target, list)) ?? []) state.set(name, comments);
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
 * thrown. Creates queued together share one transaction; when it fails, each
 * runs alone, so each gets its own answer. Equivalent to: `nft -f -` with
 * `create chain inet T C { ... }; add rule ...`.
 */
export function createChains(target: Target, table: string, owner: string, chains: readonly ChainPlan[]): Promise<boolean> {
    return batchedInTableOrder(target, table, createBatch, { owner, chains });
}

/** One resource's chains. */
interface ChainsOf {
    readonly owner: string;
    readonly chains: readonly ChainPlan[];
}

const createBatch: BatchRunner<ChainsOf, boolean> = async (target, table, requests) => {
    if (requests.length > 1) {
        const combined = requests.map((r) => createScript(table, r.owner, r.chains)).join("");
        const created = await target.nftScript(combined).then(
            () => true,
            () => false,
        );
        if (created) return allSettled(requests.length, true);
    }
    return settleEach(requests, (r) => createOne(target, table, r));
};

async function createOne(target: Target, table: string, request: ChainsOf): Promise<boolean> {
    try {
        await target.nftScript(createScript(table, request.owner, request.chains));
        return true;
    } catch (error) {
        if (isKind(error, "Exists") || (error instanceof CommandError && /Operation not supported/.test(error.result.stderr))) return false;
        throw error;
    }
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
 * run never loses its chains to a table deleted from under it. Removals
 * queued together share one read, one transaction and one count of the
 * table's chains (a destroy removes many members at once); when that
 * transaction fails, each runs alone. A table or namespace that is already
 * gone is success.
 */
export function removeChains(target: Target, table: string, owner: string, chains: readonly ChainPlan[]): Promise<void> {
    return batchedInTableOrder(target, table, removeBatch, { owner, chains });
}

const removeBatch: BatchRunner<ChainsOf, void> = async (target, table, requests) => {
    if (requests.length === 1) return settleEach(requests, (r) => removeOne(target, table, r));
    const all = requests.flatMap((r) => r.chains);
    const live = await readLive(target, table, all, true);
    const ours = requests.flatMap((r) => ownedChains(live, r.chains, r.owner));
    const removed =
        ours.length === 0 ||
        (await target.nftScript(removeScript(table, ours)).then(
            () => true,
            (error: unknown) => isKind(error, "NotFound"),
        ));
    if (!removed) return settleEach(requests, (r) => removeOne(target, table, r));
    await deleteTableWhenEmpty(target, table, all);
    return allSettled(requests.length, undefined);
};

async function removeOne(target: Target, table: string, request: ChainsOf): Promise<void> {
    const ours = ownedChains(await readLive(target, table, request.chains), request.chains, request.owner);
    if (ours.length > 0) {
        try {
            await target.nftScript(removeScript(table, ours));
        } catch (error) {
            if (isKind(error, "NotFound")) return;
            throw error;
        }
    }
    await deleteTableWhenEmpty(target, table, request.chains);
}

/** Deletes the table in each of these chains' families where no chain is left. */
async function deleteTableWhenEmpty(target: Target, table: string, chains: readonly Pick<ChainPlan, "family">[]): Promise<void> {
    for (const family of familiesOf(chains)) {
        if ((await chainCount(target, family, table)) === 0) await deleteTable(target, family, table);
    }
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

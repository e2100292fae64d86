import { Target, hostFor, targetFor } from "../host/target";
import { LabMemberState, memberAllocation, memberParts } from "../model/lab-member";
import { createAllocation } from "./allocation";
import { createLabMember, releaseAddress, removeRulesAndDns, rules, withResolv } from "./lab-member";
import { deleteLink, failedBatchLine } from "./links";
import { ownedNamespace, removeNamespace, removeNamespaces } from "./namespace";
import { settleInParallel } from "./parallel";
import { createResolvConf } from "./resolv";
import { Settled } from "./table-queue";
import { PairCreation, pairCreation } from "./veth";

/**
 * Creating many new lab members together with few processes: every
 * namespace in one `ip -batch` (`netns add` lines), every host-side veth end
 * in one `ip -n HOST -batch`, one `ip -n NS -batch` per member for its side
 * (loopback tag, interface, address, default route), and the members' chains
 * in shared nftables transactions. About one process per member instead of
 * five; a fork of the provider costs ~10 ms of its main thread here.
 *
 * The batches stop at their first failing line (no `-force`). A member whose
 * line failed, and every member after it, has whatever this path made for
 * it removed again and is then created by the one-member path
 * (createLabMember), which recognises existing objects (a resumed create, a
 * taken name, `adopt`) and gives each member its own error. So this path
 * only ever makes objects from nothing, and anything it cannot do alone
 * ends exactly as the careful path would.
 */

/** One member on its way through the batches. */
interface Pending {
    readonly spec: LabMemberState;
    readonly parts: ReturnType<typeof memberParts>;
    /** The veth pair's commands for each side. */
    readonly creation: PairCreation;
    readonly allocated: string;
    /** What this path has made for it so far (removed again if it falls back). */
    madeNamespace: boolean;
    madeLink: boolean;
    madeRules: boolean;
}

/** The host's own namespace operations (`ip netns ...`) and its lab side (`ip -n HOST ...`). */
function targets(spec: LabMemberState): { global: Target; hostSide: Target } {
    return { global: new Target(hostFor(spec.host), undefined), hostSide: targetFor(spec.host, undefined) };
}

/**
 * Runs each member's lines in one `ip -batch`, in order. Returns the index
 * of the first member whose line failed and whether its first line (the
 * one making its object) had succeeded, or undefined when all succeeded.
 */
async function batchPerMember(target: Target, linesOf: ReadonlyArray<string[][]>): Promise<{ index: number; firstDone: boolean } | undefined> {
    const all = linesOf.flat();
    if (all.length === 0) return undefined;
    try {
        await target.ipBatch(all);
        return undefined;
    } catch (error) {
        const line = failedBatchLine(error) ?? 1;
        let end = 0;
        for (const [index, lines] of linesOf.entries()) {
            const start = end + 1;
            end += lines.length;
            if (line <= end) return { index, firstDone: line > start };
        }
        throw error;
    }
}

/** Removes what this path made for the member (its chains, its veth pair, its namespace), so the one-member path starts from nothing. */
async function undo(p: Pending): Promise<void> {
    if (p.madeRules) await rules.delete(p.parts.rules);
    if (p.madeLink) await deleteLink(targets(p.spec).hostSide, p.parts.veth.a.name);
    if (p.madeNamespace) await removeNamespace(p.parts.namespace);
    p.madeRules = p.madeLink = p.madeNamespace = false;
}

/**
 * Where a member goes when this path cannot finish it: undone, then to the
 * one-member path (`fallback`); when the undo itself fails, the member fails
 * here with what is left named (`stuck`), never retried over its leftovers.
 */
interface Handoff {
    readonly fallback: Set<LabMemberState>;
    readonly stuck: Map<LabMemberState, Error>;
}

async function handOff(p: Pending, handoff: Handoff, cause?: unknown): Promise<void> {
    try {
        await undo(p);
        handoff.fallback.add(p.spec);
    } catch (error) {
        const why = cause instanceof Error ? `${cause.message}; ` : "";
        handoff.stuck.set(p.spec, new Error(`${why}removing what the batch made also failed, check by hand: ${(error as Error).message}`));
    }
}

/**
 * Creates the members (all on one host, in one pool), returning each
 * outcome in order. Address claims come first, explicit ones before the
 * others, so a free address handed out is never one a member asked for.
 */
export async function createMembersTogether(members: readonly LabMemberState[], parallel: number): Promise<Array<Settled<LabMemberState>>> {
    const handoff: Handoff = { fallback: new Set(), stuck: new Map() };
    const fallback = handoff.fallback;
    const pending: Pending[] = [];
    const explicit = members.filter((m) => m.address !== undefined);
    for (const group of [explicit, members.filter((m) => m.address === undefined)]) {
        const claims = await settleInParallel(group, parallel, (m) => createAllocation(memberAllocation(m)));
        for (const [i, c] of claims.entries()) {
            if (!c.ok) fallback.add(group[i]);
            else {
                const parts = memberParts(group[i], c.value.allocated);
                const creation = pairCreation(parts.veth);
                pending.push({ spec: group[i], parts, creation, allocated: c.value.allocated, madeNamespace: false, madeLink: false, madeRules: false });
            }
        }
    }
    let going = pending;
    const fallBack = async (from: number) => {
        for (const p of going.slice(from)) await handOff(p, handoff);
        going = going.slice(0, from);
    };
    if (going.length > 0) {
        const { global, hostSide } = targets(going[0].spec);
        const namespaces = await batchPerMember(
            global,
            going.map((p) => [["netns", "add", p.parts.namespace.name]]),
        );
        going.forEach((p, i) => (p.madeNamespace = namespaces === undefined || i < namespaces.index));
        if (namespaces !== undefined) await fallBack(namespaces.index);
        const links = await batchPerMember(
            hostSide,
            going.map((p) => p.creation.firstCommands),
        );
        going.forEach((p, i) => (p.madeLink = links === undefined || i < links.index || (i === links.index && links.firstDone)));
        if (links !== undefined) await fallBack(links.index);
    }
    const done = await finishEach(going, parallel, handoff);
    const careful = [...fallback];
    const slow = await settleInParallel(careful, parallel, (m) => createLabMember(m));
    return members.map((m): Settled<LabMemberState> => {
        const made = done.get(m);
        if (made !== undefined) return { ok: true, value: made };
        const stuck = handoff.stuck.get(m);
        return stuck !== undefined ? { ok: false, error: stuck } : slow[careful.indexOf(m)];
    });
}

/**
 * Each member's own side in one `ip -n NS -batch` (its loopback tagged and
 * up, its interface tagged, addressed, up, its default route), then every
 * member's chains at once (they share nftables transactions), then its
 * resolv.conf. A member that fails any step is handed off (undone, then to
 * the one-member path). Returns the finished members' states.
 */
async function finishEach(going: readonly Pending[], parallel: number, handoff: Handoff): Promise<Map<LabMemberState, LabMemberState>> {
    const step = async (list: readonly Pending[], work: (p: Pending) => Promise<void>, limit: number): Promise<Pending[]> => {
        const outcomes = await settleInParallel(list, limit, work);
        const ok: Pending[] = [];
        for (const [i, outcome] of outcomes.entries()) {
            if (outcome.ok) ok.push(list[i]);
            else await handOff(list[i], handoff, outcome.error);
        }
        return ok;
    };
    const sided = await step(
        going,
        async (p) => {
            await p.creation.second.ipBatch([["link", "set", "dev", "lo", "alias", p.spec.owner, "up"], ...p.creation.secondCommands]);
        },
        parallel,
    );
    const ruled = await step(
        sided,
        async (p) => {
            await rules.create(p.parts.rules);
            p.madeRules = true;
        },
        sided.length,
    );
    const done = new Map<LabMemberState, LabMemberState>();
    await step(
        ruled,
        async (p) => {
            const resolv = p.parts.resolv && (await createResolvConf(p.parts.resolv));
            done.set(p.spec, withResolv({ ...p.spec, allocated: p.allocated }, resolv));
        },
        parallel,
    );
    return done;
}

/**
 * Removes the members as deleteLabMember does, step by step for all of them:
 * their chains (in shared nftables transactions) and DNS files, then each
 * namespace's tag checked (one `ip` process per member), then every owned
 * namespace deleted in one `ip -force -batch` (which takes the veth pairs
 * with them), then the address claims. Parts already gone are skipped; a
 * member that fails a step keeps its remaining parts and its error.
 */
export async function removeMembersTogether(members: readonly LabMemberState[], parallel: number): Promise<Array<Settled<void>>> {
    const errors = new Map<LabMemberState, unknown>();
    const step = async (list: readonly LabMemberState[], limit: number, work: (m: LabMemberState) => Promise<unknown>) => {
        const outcomes = await settleInParallel(list, limit, work);
        outcomes.forEach((o, i) => !o.ok && errors.set(list[i], o.error));
        return list.filter((_, i) => outcomes[i].ok);
    };
    const cleared = await step(members, members.length, removeRulesAndDns);
    const owned = new Set<LabMemberState>();
    const checked = await step(cleared, parallel, async (m) => (await ownedNamespace(memberParts(m, m.allocated).namespace)) && owned.add(m));
    const deleting = checked.filter((m) => owned.has(m));
    const failures = await removeNamespaces(deleting.map((m) => memberParts(m, m.allocated).namespace));
    failures.forEach((error, i) => error !== undefined && errors.set(deleting[i], error));
    await step(
        checked.filter((m) => !errors.has(m)),
        parallel,
        releaseAddress,
    );
    return members.map((m): Settled<void> => (errors.has(m) ? { ok: false, error: errors.get(m) } : { ok: true, value: undefined }));
}

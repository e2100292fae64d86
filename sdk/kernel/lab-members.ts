import { targetFor } from "../host/target";
import { LabMemberState } from "../model/lab-member";
import { parseLink } from "../model/observed";
import { LabMembersSpec, LabMembersState, MemberEntryState, entryOf, memberChanges, memberSpecOf } from "../model/lab-members";
import { beginCreate, endCreate } from "./intent";
import { memberRulesDrift, readLabMember, updateLabMember } from "./lab-member";
import { createMembersTogether, removeMembersTogether } from "./member-batch";
import { readMany } from "./links";
import { settleInParallel } from "./parallel";
import { EndReading } from "./veth";
import { Settled } from "./table-queue";

/**
 * The lifecycle of a lab's members held as one resource (model/lab-members.ts):
 * every member gets LabMember's kernel objects, but creates, reads and
 * removals are batched across the members (kernel/member-batch.ts) in this
 * one provider process, and the engine handles one step, not one per member.
 */

/** Members worked on at the same time (each runs a few `ip`/`nft` processes in turn). */
export const MEMBER_PARALLELISM = 8;

/** Points the provider's test holds plug into (providers/test-hold.ts); each gets the member's id. */
export interface MemberHooks {
    readonly beforeCreate?: (id: string) => Promise<void>;
    readonly afterCreate?: (id: string) => Promise<void>;
    readonly afterDelete?: (id: string) => Promise<void>;
}

/** A member's id in messages and test holds: the form a LabMember resource's id has. */
export function memberId(member: Pick<LabMemberState, "namespace" | "pool" | "member">): string {
    return `${member.namespace}/member/${member.pool}/${member.member}`;
}

/**
 * Creates the members together (kernel/member-batch.ts), each bracketed by
 * its own write-ahead record (so a create cut off by a kill resumes), with
 * the test holds before and after.
 */
async function createMembers(members: readonly LabMemberState[], hooks: MemberHooks): Promise<Array<Settled<LabMemberState>>> {
    for (const m of members) await hooks.beforeCreate?.(memberId(m));
    const resumed = await Promise.all(members.map(async (m) => ({ ...m, resumed: await beginCreate(m) })));
    let outcomes: Array<Settled<LabMemberState>>;
    try {
        outcomes = await createMembersTogether(resumed, MEMBER_PARALLELISM);
    } finally {
        await Promise.all(members.map((m) => endCreate(m)));
    }
    for (const [i, o] of outcomes.entries()) if (o.ok) await hooks.afterCreate?.(memberId(members[i]));
    return outcomes;
}

/** "member a: reason; member b: reason" for the failed outcomes. */
function failuresOf<T>(names: readonly string[], outcomes: ReadonlyArray<Settled<T>>): string[] {
    return outcomes.flatMap((o, i) => (o.ok ? [] : [`member ${JSON.stringify(names[i])}: ${(o.error as Error)?.message ?? String(o.error)}`]));
}

/** Removes the members (each tolerating parts already gone; kernel/member-batch.ts); returns what could not be removed. */
async function removeMembers(members: readonly LabMemberState[], hooks: MemberHooks = {}): Promise<string[]> {
    const outcomes = await removeMembersTogether(members, MEMBER_PARALLELISM);
    for (const [i, o] of outcomes.entries()) if (o.ok) await hooks.afterDelete?.(memberId(members[i]));
    return failuresOf(
        members.map((m) => m.member),
        outcomes,
    );
}

/** Throws the failures, adding what a rollback could not remove (so a leftover is reported, never hidden). */
function fail(what: string, failures: readonly string[], leftovers: readonly string[] = []): never {
    const rollback = leftovers.length > 0 ? `; rolling back also failed, check by hand: ${leftovers.join("; ")}` : "";
    throw new Error(`${what}: ${failures.join("; ")}${rollback}`);
}

/**
 * Creates the named members of `set` (those with an explicit address claim
 * theirs first, so a free address handed out is never one a member asked
 * for). When any fails, every member this call made is removed again and
 * the error names each failed member.
 */
async function createNamed(set: LabMembersState, names: readonly string[], hooks: MemberHooks): Promise<Map<string, LabMemberState>> {
    const outcomes = await createMembers(
        names.map((name) => memberSpecOf(set, name)),
        hooks,
    );
    const made = new Map<string, LabMemberState>();
    outcomes.forEach((o, i) => o.ok && made.set(names[i], o.value));
    const failures = failuresOf(names, outcomes);
    if (failures.length > 0) {
        const what = `creating ${failures.length} of ${names.length} member(s) failed, and the others made in this run were removed`;
        fail(what, failures, await removeMembers([...made.values()]));
    }
    return made;
}

function stateOf(spec: LabMembersSpec, members: Record<string, MemberEntryState>): LabMembersState {
    return { ...spec, members };
}

/** Creates every member; a failure removes the ones made and fails the whole create. */
export async function createLabMembers(spec: LabMembersSpec, hooks: MemberHooks = {}): Promise<LabMembersState> {
    const made = await createNamed(spec, Object.keys(spec.members), hooks);
    return stateOf(spec, Object.fromEntries([...made].map(([name, m]) => [name, entryOf(m)])));
}

/**
 * Every member's host-side veth end, read in one process.
 * Equivalent to: `ip -n HOST -j -d -force -batch -` with `addr show dev HOSTIF` per member.
 */
async function readHostEnds(state: LabMembersState, names: readonly string[]): Promise<Map<string, EndReading>> {
    if (names.length === 0) return new Map();
    const outputs = await readMany(
        targetFor(state.host, undefined),
        names.map((name) => ["addr", "show", "dev", state.members[name].hostInterface]),
    );
    return new Map(names.map((name, i) => [name, { link: outputs[i] === undefined ? undefined : parseLink(outputs[i]), defaultRoutes: undefined }]));
}

/**
 * Every member as it is live: MTU and DNS come back as live values, anything
 * else changed or missing as that member's `drift`. A member whose namespace
 * is gone stays in the state with that drift (unlike a LabMember resource,
 * which refresh drops), so the next up recreates it and removing it from
 * the program still releases its address claim. A member that cannot be
 * read fails the refresh: nothing is dropped on a guess.
 */
export async function readLabMembers(state: LabMembersState): Promise<LabMembersState> {
    const names = Object.keys(state.members);
    // Every member's chains at once (they share `nft -j list table` processes), then the rest member by member.
    const rulesDrift = new Map(names.map((name) => [name, memberRulesDrift(memberSpecOf(state, name))]));
    const hostEnds = await readHostEnds(state, names);
    const outcomes = await settleInParallel(names, MEMBER_PARALLELISM, (name) =>
        readLabMember(memberSpecOf(state, name), { hostEnd: hostEnds.get(name), rulesDrift: rulesDrift.get(name) }),
    );
    const failures = failuresOf(names, outcomes);
    if (failures.length > 0) fail("reading the lab's members failed", failures);
    const live = outcomes.map((o, i) => {
        const value = (o as { value: LabMemberState | undefined }).value;
        const entry = value === undefined ? { ...state.members[names[i]], drift: `namespace ${state.members[names[i]].namespace} is missing` } : entryOf(value);
        return [names[i], entry] as const;
    });
    return stateOf(state, Object.fromEntries(live));
}

/**
 * Converges the set member by member: removed members (and the old form of
 * replaced ones) are removed first, then new and replaced members are
 * created, then changed members converge in place; untouched members are
 * not touched at all. When a step fails, the members this update created
 * are removed again, and the error names each failed member (the state
 * keeps the previous members; the next up converges).
 */
export async function updateLabMembers(previous: LabMembersState, spec: LabMembersSpec, hooks: MemberHooks = {}): Promise<LabMembersState> {
    const changes = memberChanges(previous, spec);
    const removing = [...changes.remove, ...changes.replace];
    const notRemoved = await removeMembers(removing.map((name) => memberSpecOf(previous, name)));
    if (notRemoved.length > 0) fail("removing members failed", notRemoved);
    const created = await createNamed(spec, [...changes.create, ...changes.replace], hooks);
    const outcomes = await settleInParallel(changes.update, MEMBER_PARALLELISM, (name) =>
        updateLabMember(memberSpecOf(previous, name), memberSpecOf(spec, name)),
    );
    const failures = failuresOf(changes.update, outcomes);
    if (failures.length > 0)
        fail("updating members failed, and the members this update created were removed", failures, await removeMembers([...created.values()]));
    const converged = new Map(changes.update.map((name, i) => [name, (outcomes[i] as { value: LabMemberState }).value]));
    const members = Object.keys(spec.members).map((name) => {
        const now = created.get(name) ?? converged.get(name);
        return [name, now === undefined ? previous.members[name] : entryOf(now)] as const;
    });
    return stateOf(spec, Object.fromEntries(members));
}

/** Removes every member (parts already gone are skipped); fails naming each member that could not be removed. */
export async function deleteLabMembers(state: LabMembersState, hooks: MemberHooks = {}): Promise<void> {
    const names = Object.keys(state.members);
    const failures = await removeMembers(
        names.map((name) => memberSpecOf(state, name)),
        hooks,
    );
    if (failures.length > 0) fail("removing members failed", failures);
}

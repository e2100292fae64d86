import { CheckResult } from "./checks";
import { ADDRESS_STORE_IDENTITY, HOST_IDENTITY, IDENTITY, diffSpecs } from "./diff";
import { Failures, show } from "./failures";
import { LabMemberSpec, LabMemberState, checkLabMember } from "./lab-member";

/**
 * All the members of one lab as ONE resource (`LabNetwork`'s
 * `memberResources: "one"`): the engine handles one step instead of one per
 * member, and the provider does every member's kernel work in one process,
 * in parallel, so nftables work shares transactions. Each member is still
 * built, read, changed and removed exactly as a LabMember is (same kernel
 * objects, same drift), and a change to one member touches only that
 * member's objects; preview names it as `members.<name>.<property>`.
 */

/** The inputs a LabMembers' members share (the lab's pool, bridge, table and host). */
export type SharedKey = "host" | "adopt" | "owner" | "pool" | "subnet" | "gateway" | "bridge" | "mtu" | "table" | "uplink" | "addressStore";
/** What every member of the set shares. */
const SHARED: readonly SharedKey[] = ["host", "adopt", "owner", "pool", "subnet", "gateway", "bridge", "mtu", "table", "uplink", "addressStore"];

/** Outputs of one member that are not inputs: never part of a diff. */
const MEMBER_OUTPUTS = ["allocated", "previousResolvConf", "createdDirectory"] as const;

/** One member's own inputs (the shared ones live once, on the set). */
export type MemberEntry = Omit<LabMemberSpec, SharedKey | "member" | "resumed">;

/** One member as recorded: its entry plus what create observed (address held, resolv.conf replaced, drift). */
export type MemberEntryState = MemberEntry & Partial<Pick<LabMemberState, "allocated" | "previousResolvConf" | "createdDirectory" | "drift">>;

/** LabMembers's inputs once checked: what its provider works from. */
export interface LabMembersSpec extends Pick<LabMemberSpec, SharedKey> {
    /** The members by name. */
    readonly members: Readonly<Record<string, MemberEntry>>;
}

/** A LabMembers resource as the provider holds it: the shared inputs and each member's state. */
export interface LabMembersState extends Pick<LabMemberSpec, SharedKey> {
    readonly members: Readonly<Record<string, MemberEntryState>>;
}

/**
 * A member's ownership tag: the set's tag and the member's name
 * (`netplumb:<project>/<stack>@<id>/<lab>-members/<member>`), so each
 * member's objects are told apart exactly as separate resources' are.
 */
export function memberOwner(setOwner: string, member: string): string {
    return `${setOwner}/${member}`;
}

/** One member of the set as a LabMember spec (its state, when `set` is a state). */
export function memberSpecOf(set: LabMembersState, name: string): LabMemberState {
    const { members, ...shared } = set;
    const entry = members[name];
    return { ...shared, ...entry, member: name, owner: memberOwner(set.owner, name) } as LabMemberState;
}

/** The member's own part of a LabMember spec or state (drops the shared inputs, the name and the engine's properties). */
export function entryOf(member: LabMemberState): MemberEntryState {
    const entry: Record<string, unknown> = { ...member };
    for (const key of [...SHARED, "member", "resumed"]) delete entry[key];
    // The engine's own properties (`__provider`) belong to the set, never to a member.
    for (const [key, value] of Object.entries(entry)) if (value === undefined || key.startsWith("__")) delete entry[key];
    return entry as MemberEntryState;
}

/** The set without the members' outputs: what a diff compares. */
export function withoutMemberOutputs(set: Record<string, unknown>): Record<string, unknown> {
    const members = (set.members ?? {}) as Record<string, Record<string, unknown>>;
    const stripped = Object.fromEntries(
        Object.entries(members).map(([name, entry]) => {
            const copy = { ...entry };
            for (const key of MEMBER_OUTPUTS) delete copy[key];
            return [name, copy];
        }),
    );
    return { ...set, members: stripped };
}

/** What a member entry left out means: no policy, no DNS file, no port forwards (LabMember's defaults). */
const ENTRY_DEFAULTS = { egress: "allow", ingress: "allow", nameservers: [], search: [], portForwards: [] };

/** Properties of a member that must differ between two members of one set. */
const UNIQUE = ["namespace", "hostInterface", "chains", "address"] as const;

/**
 * Validates the set: each member as LabMember's check would, with the
 * member's properties reported as `members.<name>.<property>` and the shared
 * ones once; names, interfaces, chains and explicit addresses unique.
 */
export function checkLabMembers(raw: Record<string, unknown>): CheckResult<LabMembersSpec> {
    const failures = new Failures();
    const members = raw.members;
    if (members === null || typeof members !== "object" || Array.isArray(members) || Object.keys(members).length === 0) {
        failures.add("members", `members ${show(members)} must name at least one member, such as { red: { namespace: "lab-red", ... } }`);
        return { spec: raw as unknown as LabMembersSpec, failures: failures.all };
    }
    const shared = Object.fromEntries(SHARED.map((key) => [key, raw[key]]));
    const reported = new Set<string>();
    const entries: Record<string, MemberEntry> = {};
    let first: LabMemberSpec | undefined;
    for (const [name, value] of Object.entries(members as Record<string, unknown>)) {
        const result = checkLabMember({ ...ENTRY_DEFAULTS, ...(value as Record<string, unknown>), ...shared, member: name });
        for (const f of result.failures) {
            const isShared = (SHARED as readonly string[]).includes(f.property.split(/[.[]/)[0]);
            const property = isShared ? f.property : f.property === "member" ? `members.${name}` : `members.${name}.${f.property}`;
            if (!reported.has(`${property}\n${f.reason}`)) failures.add(property, f.reason);
            reported.add(`${property}\n${f.reason}`);
        }
        first ??= result.spec;
        entries[name] = entryOf(result.spec as LabMemberState);
    }
    checkUnique(entries, failures);
    const spec = { ...Object.fromEntries(SHARED.map((key) => [key, first![key]])), members: entries } as unknown as LabMembersSpec;
    return { spec, failures: failures.all };
}

function checkUnique(entries: Record<string, MemberEntry>, failures: Failures): void {
    for (const key of UNIQUE) {
        const seen = new Map<string, string>();
        for (const [name, entry] of Object.entries(entries)) {
            const value = entry[key];
            if (value === undefined) continue;
            const other = seen.get(value);
            if (other !== undefined) failures.add(`members.${name}.${key}`, `${key} ${show(value)} is also member ${show(other)}'s; give each member its own`);
            seen.set(value, name);
        }
    }
}

/** Identity of the set itself: a change replaces every member (a new pool, subnet, table or host). */
export const SET_IDENTITY = [...HOST_IDENTITY, ...ADDRESS_STORE_IDENTITY, "pool", "subnet", "table"] as const;

/** What an update does to each member, by name. */
export interface MemberChanges {
    /** In the old state only: removed. */
    readonly remove: readonly string[];
    /** In the new spec only: created. */
    readonly create: readonly string[];
    /** Identity changed (namespace, interfaces, address, chains): removed, then created. */
    readonly replace: readonly string[];
    /** Changed in place (policy, DNS, MTU, port forwards, or drift to repair). */
    readonly update: readonly string[];
}

/** Sorts each member of an update into remove / create / replace / update (unchanged ones are left out). */
export function memberChanges(previous: LabMembersState, spec: LabMembersSpec): MemberChanges {
    const before = Object.keys(previous.members);
    const after = Object.keys(spec.members);
    const kept = after.filter((name) => name in previous.members);
    const diffOf = (name: string) => {
        const old: Record<string, unknown> = { ...memberSpecOf(previous, name) };
        for (const key of MEMBER_OUTPUTS) delete old[key];
        return diffSpecs(old, memberSpecOf(spec, name), IDENTITY.labMember);
    };
    const diffs = new Map(kept.map((name) => [name, diffOf(name)]));
    const replace = kept.filter((name) => diffs.get(name)!.replaces.length > 0);
    const update = kept.filter((name) => !replace.includes(name) && (diffs.get(name)!.changes || previous.members[name].drift !== undefined));
    return { remove: before.filter((name) => !(name in spec.members)), create: after.filter((name) => !(name in previous.members)), replace, update };
}

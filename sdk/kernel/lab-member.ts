import { targetFor } from "../host/target";
import { LabMemberSpec, LabMemberState, MemberRules, memberAllocation, memberParts } from "../model/lab-member";
import { LinkState, parseLink } from "../model/observed";
import { VethPairSpec } from "../model/specs";
import { createAllocation, deleteAllocation, readAllocation, retagAllocation } from "./allocation";
import { chainOwner } from "./chain-resource";
import { readMany } from "./links";
import { Settled } from "./table-queue";
import { createNamespace, deleteNamespace, ensureNamespace, namespaceFromLoopback, retagNamespace } from "./namespace";
import { ResolvConfState, createResolvConf, deleteResolvConf, readResolvConf, updateResolvConf } from "./resolv";
import { EndReading, createVethPair, deleteVethPair, endReadCommands, readVethPair, retagVethPair } from "./veth";

/**
 * A lab member's lifecycle, composed from the kernel operations of its parts
 * (each of which recognises its own objects, so a repeated create after an
 * interrupted run converges). Five processes for a new member: `ip netns add`,
 * `ip -n NS link set dev lo alias TAG up`, one `ip -batch -` per veth side and
 * one `nft -f -` creating its chains; the address claim and resolv.conf are
 * file operations.
 */

/** The member's chains (policy and port forwards) in the stack's table, as one chain owner. */
export const rules = chainOwner<MemberRules>((r) => [...r.chains]);

/** The resolv.conf part's state as create recorded it. */
function resolvState(state: LabMemberState): ResolvConfState | undefined {
    const spec = memberParts(state, state.allocated).resolv;
    return spec && { ...spec, previousResolvConf: state.previousResolvConf, createdDirectory: state.createdDirectory ?? false };
}

/** The member's state with what its resolv.conf replaced (delete puts it back). */
export function withResolv(state: LabMemberState, resolv: ResolvConfState | undefined): LabMemberState {
    return { ...state, previousResolvConf: resolv?.previousResolvConf, createdDirectory: resolv?.createdDirectory };
}

/**
 * Runs `steps` in order; when one fails, the undo of every step already done
 * runs in reverse and the error is rethrown, naming anything the undo could
 * not remove (so a leftover is reported, never hidden).
 */
async function inOrder(steps: ReadonlyArray<{ run: () => Promise<unknown>; undo: () => Promise<unknown> }>): Promise<void> {
    const done: Array<() => Promise<unknown>> = [];
    try {
        for (const step of steps) {
            await step.run();
            done.push(step.undo);
        }
    } catch (error) {
        const leftovers: string[] = [];
        for (const undo of done.reverse()) await undo().catch((e: Error) => leftovers.push(e.message));
        if (leftovers.length > 0 && error instanceof Error) error.message += `; rolling back also failed, check by hand: ${leftovers.join("; ")}`;
        throw error;
    }
}

/**
 * Claims the address, creates the namespace, the veth pair (host end on the
 * bridge, member end addressed with a default route via the gateway), the
 * policy chains and resolv.conf; a failure removes what this create made.
 */
export async function createLabMember(spec: LabMemberSpec): Promise<LabMemberState> {
    const claim = await createAllocation(memberAllocation(spec));
    const parts = memberParts(spec, claim.allocated);
    let resolv: ResolvConfState | undefined;
    let madeNamespace = false;
    await inOrder([
        // The claim is made above (every part needs the address); this step only registers its undo.
        { run: () => Promise.resolve(), undo: () => deleteAllocation(claim) },
        // A namespace this create found (not made) stays: it may belong to another resource with the same tag.
        {
            run: async () => (madeNamespace = await ensureNamespace(parts.namespace)),
            undo: async () => madeNamespace && (await deleteNamespace(parts.namespace)),
        },
        { run: () => createVethPair(parts.veth), undo: () => deleteVethPair(parts.veth) },
        { run: () => rules.create(parts.rules), undo: () => rules.delete(parts.rules) },
        { run: async () => (resolv = parts.resolv && (await createResolvConf(parts.resolv))), undo: () => Promise.resolve() },
    ]);
    return withResolv({ ...spec, allocated: claim.allocated }, resolv);
}

/**
 * The member namespace's loopback (its tag) and the member's end of the veth
 * with its default route, read in one process.
 * Equivalent to: `ip -n NS -j -d -force -batch -` with `addr show dev lo`,
 * `addr show dev IF` and `route show default dev IF proto N`.
 */
async function readMemberSide(parts: ReturnType<typeof memberParts>): Promise<{ loopback: LinkState | undefined; end: EndReading }> {
    const inside = targetFor(parts.namespace.host, parts.namespace.name);
    const [loopback, link, defaultRoutes] = await readMany(inside, [["addr", "show", "dev", "lo"], ...endReadCommands(parts.veth.b)]);
    const parsed = (json: string | undefined) => (json === undefined ? undefined : parseLink(json));
    return { loopback: parsed(loopback), end: { link: parsed(link), defaultRoutes } };
}

/** What refresh finds wrong that no input shows. */
async function partDrift(state: LabMemberState, veth: VethPairSpec | undefined, preread: MemberPreread): Promise<string[]> {
    const parts = memberParts(state, state.allocated);
    const drift: string[] = [];
    if ((await readAllocation({ ...memberAllocation(state), allocated: state.allocated })) === undefined) drift.push(`the claim on ${state.allocated} is gone`);
    if (veth === undefined) drift.push(`veth ${state.hostInterface}/${state.interface} is missing`);
    else if (veth.b.addresses.join(",") !== parts.veth.b.addresses.join(","))
        drift.push(`${state.interface} has ${veth.b.addresses.join(", ") || "no address"}, expected ${parts.veth.b.addresses[0]}`);
    else if (veth.b.mac !== parts.veth.b.mac) drift.push(`${state.interface} has MAC ${veth.b.mac}, expected ${parts.veth.b.mac}`);
    else if (veth.b.gateway === undefined) drift.push(`the default route via ${state.gateway} is missing`);
    const firewall = preread.rulesDrift ? await unwrap(preread.rulesDrift) : (await rules.read(parts.rules))?.drift;
    if (firewall !== undefined) drift.push(firewall);
    return drift;
}

/**
 * Parts of a member read beforehand together with other members' (a lab's
 * members read their host-side veth ends in one process, and their chains
 * all at once, so the reads share nftables processes).
 */
export interface MemberPreread {
    readonly hostEnd?: EndReading;
    /** The chains' drift (undefined: none), as `memberRulesDrift` started it. */
    readonly rulesDrift?: Promise<Settled<string | undefined>>;
}

/** Starts reading the member's chains for drift; the outcome is kept (never an unhandled rejection) until readLabMember takes it. */
export function memberRulesDrift(state: LabMemberState): Promise<Settled<string | undefined>> {
    return rules.read(memberParts(state, state.allocated).rules).then(
        (read): Settled<string | undefined> => ({ ok: true, value: read?.drift }),
        (error: unknown): Settled<string | undefined> => ({ ok: false, error }),
    );
}

async function unwrap<T>(settled: Promise<Settled<T>>): Promise<T> {
    const outcome = await settled;
    if (outcome.ok) return outcome.value;
    throw outcome.error;
}

/**
 * The live member, or undefined when its namespace is gone (the next up
 * recreates it whole). `preread`: parts already read with other members'. MTU and DNS come back as live values, so preview shows
 * `~ mtu` or `~ nameservers`; anything else missing or changed is `drift`.
 */
export async function readLabMember(state: LabMemberState, preread: MemberPreread = {}): Promise<LabMemberState | undefined> {
    const parts = memberParts(state, state.allocated);
    const memberSide = await readMemberSide(parts);
    if (namespaceFromLoopback(parts.namespace, memberSide.loopback) === undefined) return undefined;
    const veth = await readVethPair(parts.veth, memberSide.end, preread.hostEnd);
    const drift = await partDrift(state, veth, preread);
    const resolv = resolvState(state);
    const liveDns = resolv && (await readResolvConf(resolv));
    return {
        ...state,
        mtu: state.mtu === undefined ? undefined : (veth?.b.mtu ?? state.mtu),
        nameservers: resolv === undefined ? state.nameservers : (liveDns?.nameservers ?? []),
        search: resolv === undefined ? state.search : (liveDns?.search ?? []),
        drift: drift.length > 0 ? drift.join("; ") : undefined,
    };
}

/** The resolv.conf part after an update: written, rewritten or restored. */
async function convergeResolv(previous: LabMemberState, spec: LabMemberSpec, allocated: string): Promise<ResolvConfState | undefined> {
    const before = resolvState(previous);
    const after = memberParts(spec, allocated).resolv;
    if (after === undefined) {
        if (before !== undefined) await deleteResolvConf(before);
        return undefined;
    }
    return before === undefined ? createResolvConf(after) : updateResolvConf(before, after);
}

/**
 * Converges every part in place: policy, MTU, gateway, bridge and DNS
 * changes, and parts repaired after drift (each part's create recognises and
 * converges its own object).
 */
export async function updateLabMember(previous: LabMemberState, spec: LabMemberSpec): Promise<LabMemberState> {
    const claim = await createAllocation(memberAllocation(spec));
    const parts = memberParts(spec, claim.allocated);
    await createNamespace(parts.namespace);
    await createVethPair(parts.veth);
    await rules.update(memberParts(previous, previous.allocated).rules, parts.rules);
    const resolv = await convergeResolv(previous, spec, claim.allocated);
    return withResolv({ ...spec, allocated: claim.allocated }, resolv);
}

/**
 * Moves every part to `owner`: the namespace's and the veth ends' tags, the
 * address claim and the policy chains (resolv.conf is rewritten by the update).
 */
export async function retagLabMember(previous: LabMemberState, owner: string): Promise<void> {
    const parts = memberParts(previous, previous.allocated);
    await retagAllocation({ ...memberAllocation(previous), allocated: previous.allocated }, owner);
    await retagNamespace(parts.namespace, owner);
    await retagVethPair(parts.veth, owner);
    await rules.retag(parts.rules, owner);
}

/**
 * Removes the policy chains, puts resolv.conf back, deletes the namespace
 * (which takes the veth pair with it: cheaper than deleting the link first)
 * and releases the address. Parts already gone are skipped.
 */
export async function deleteLabMember(state: LabMemberState): Promise<void> {
    await removeRulesAndDns(state);
    await deleteNamespace(memberParts(state, state.allocated).namespace);
    await releaseAddress(state);
}

/** The first step of a member's removal: its chains, and resolv.conf put back. */
export async function removeRulesAndDns(state: LabMemberState): Promise<void> {
    await rules.delete(memberParts(state, state.allocated).rules);
    const resolv = resolvState(state);
    if (resolv !== undefined) await deleteResolvConf(resolv);
}

/** The last step of a member's removal, once its namespace is gone: its address claim. */
export async function releaseAddress(state: LabMemberState): Promise<void> {
    await deleteAllocation({ ...memberAllocation(state), allocated: state.allocated });
}

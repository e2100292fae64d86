import { Target, hostFor } from "../host/target";
import { AllocationSpec, firstFree } from "../model/ipam";
import { inDirectory, listDirectory, makeDirectory, readFile, removeEmptyDirectory, removeFile, renameAtomically, writeFile, writeFileIn } from "./files";
import { OwnershipError } from "./ownership";

/**
 * Where allocations persist, like CNI host-local's /var/lib/cni/networks:
 * one directory per pool, one directory per allocated address holding an
 * `owner` file (the two appear together, by a rename, so parallel creates
 * never share an address and a crash never leaves an ownerless claim), and
 * `by-owner/<owner>` naming the address a resource holds.
 */
export const STORE = "/var/lib/netplumb/ipam";

/** An address claim as the provider holds it: its inputs and the address it got. */
export interface AllocationState extends AllocationSpec {
    /** The address this member holds. */
    readonly allocated: string;
}

function target(spec: AllocationSpec): Target {
    return new Target(hostFor(spec.host), undefined);
}

function poolDir(spec: AllocationSpec): string {
    return `${STORE}/${spec.pool}`;
}

/** A claim is prepared here, per resource, so a retry after a crash reuses (and a delete removes) its own. */
function stagingDir(spec: AllocationSpec): string {
    return `${poolDir(spec)}/.claiming-${fileSafe(spec.owner)}`;
}

function fileSafe(owner: string): string {
    return owner.replace(/[^A-Za-z0-9_.-]/g, "_");
}

/** Removes this resource's half-prepared claim, if a crash left one. */
async function clearStaging(t: Target, spec: AllocationSpec): Promise<void> {
    await removeFile(t, `${stagingDir(spec)}/owner`);
    await removeEmptyDirectory(t, stagingDir(spec));
}

/**
 * Claims one address and names its owner in one step: the owner file is
 * written in a directory of this resource's own, which is then renamed to
 * the address (a rename onto an existing claim fails), so a claim never
 * exists without its owner, and parallel creates never share an address.
 * False when someone else holds it. Equivalent to: `mkdir POOL/.claiming-O && tee POOL/.claiming-O/owner && mv -T POOL/.claiming-O POOL/ADDRESS`.
 */
async function claim(t: Target, spec: AllocationSpec, address: string): Promise<boolean> {
    const dir = `${poolDir(spec)}/${address}`;
    const claimed = await inDirectory(t, poolDir(spec), async () => {
        await clearStaging(t, spec);
        await makeDirectory(t, stagingDir(spec));
        await writeFileIn(t, `${stagingDir(spec)}/owner`, `${spec.owner}\n`);
        return renameAtomically(t, stagingDir(spec), dir);
    });
    if (claimed) return true;
    await clearStaging(t, spec);
    return (await readFile(t, `${dir}/owner`))?.trim() === spec.owner;
}

async function taken(t: Target, spec: AllocationSpec): Promise<Set<string>> {
    return new Set((await listDirectory(t, poolDir(spec))).filter((name) => name !== "by-owner" && !name.startsWith(".")));
}

/** Where the address a resource holds is noted, so an interrupted create finds its claim again. */
function ownerRecord(spec: AllocationSpec): string {
    return `${poolDir(spec)}/by-owner/${fileSafe(spec.owner)}`;
}

/**
 * The address this resource already holds (a create that was interrupted
 * after claiming), if any: from its by-owner record, or, when its create was
 * cut off (`resumed`) before the record was written, by the claims' owners.
 */
async function existingClaim(t: Target, spec: AllocationSpec): Promise<string | undefined> {
    const holds = async (address: string) => (await readFile(t, `${poolDir(spec)}/${address}/owner`))?.trim() === spec.owner;
    const wanted = (address: string) => spec.address === undefined || spec.address === address;
    const recorded = (await readFile(t, ownerRecord(spec)))?.trim();
    if (recorded && wanted(recorded) && (await holds(recorded))) return recorded;
    if (!spec.resumed) return undefined;
    for (const address of await taken(t, spec)) if (wanted(address) && (await holds(address))) return address;
    return undefined;
}

async function noteClaim(t: Target, spec: AllocationSpec, address: string): Promise<AllocationState> {
    await writeFile(t, `${poolDir(spec)}/by-owner`, ownerRecord(spec), `${address}\n`);
    return { ...spec, allocated: address };
}

/**
 * Allocates the member's address: the explicit one, or the lowest free one.
 * An address stays with its member until the allocation is deleted, so adding
 * or removing members never renumbers the others.
 */
export async function createAllocation(spec: AllocationSpec): Promise<AllocationState> {
    const t = target(spec);
    // Reading the pool, not yet claiming: a parallel delete may remove the empty pool meanwhile, so it is made again and read again.
    const previous = await inDirectory(t, poolDir(spec), () => existingClaim(t, spec));
    if (previous !== undefined) return noteClaim(t, spec, previous);
    if (spec.address !== undefined) {
        if (!(await claim(t, spec, spec.address))) {
            const holder = (await readFile(t, `${poolDir(spec)}/${spec.address}/owner`))?.trim();
            throw new OwnershipError(
                `address ${spec.address} in pool ${spec.pool} is already allocated to ${holder ?? "another member"}; pick another address`,
            );
        }
        return noteClaim(t, spec, spec.address);
    }
    const busy = await inDirectory(t, poolDir(spec), () => taken(t, spec));
    for (;;) {
        const candidate = firstFree(spec, busy);
        if (candidate === undefined) throw new Error(`pool ${spec.pool} (${spec.subnet}) has no free address left for ${spec.member}; use a larger subnet`);
        if (await claim(t, spec, candidate)) return noteClaim(t, spec, candidate);
        busy.add(candidate);
    }
}

/** The allocation when its record is still this resource's; undefined when gone. */
export async function readAllocation(state: AllocationState): Promise<AllocationState | undefined> {
    const owner = await readFile(target(state), `${poolDir(state)}/${state.allocated}/owner`);
    return owner?.trim() === state.owner ? state : undefined;
}

/**
 * Moves the claim to `owner`: the claim's owner file is rewritten (only when
 * it still names the previous owner) and the by-owner record renamed.
 * Equivalent to: `tee POOL/ADDRESS/owner && mv -T POOL/by-owner/OLD POOL/by-owner/NEW`.
 */
export async function retagAllocation(previous: AllocationState, owner: string): Promise<void> {
    const t = target(previous);
    const claimDir = `${poolDir(previous)}/${previous.allocated}`;
    const holder = (await readFile(t, `${claimDir}/owner`))?.trim();
    if (holder === undefined) return;
    if (holder === previous.owner) await writeFileIn(t, `${claimDir}/owner`, `${owner}\n`);
    else if (holder !== owner)
        throw new OwnershipError(
            `address ${previous.allocated} in pool ${previous.pool} is held by ${holder ?? "nobody"}, not ${previous.owner}; it was not re-tagged`,
        );
    await noteClaim(t, { ...previous, owner }, previous.allocated);
    await removeFile(t, ownerRecord(previous));
}

/** Nothing changes in place: the member keeps its address. */
export function updateAllocation(previous: AllocationState, spec: AllocationSpec): Promise<AllocationState> {
    return Promise.resolve({ ...spec, allocated: previous.allocated });
}

/** Releases the address and removes the store's directories when they are empty. */
export async function deleteAllocation(state: AllocationState): Promise<void> {
    const t = target(state);
    const dir = `${poolDir(state)}/${state.allocated}`;
    const owner = await readFile(t, `${dir}/owner`);
    if (owner !== undefined && owner.trim() !== state.owner) return;
    await removeFile(t, `${dir}/owner`);
    await removeFile(t, ownerRecord(state));
    await clearStaging(t, state);
    for (const d of [dir, `${poolDir(state)}/by-owner`, poolDir(state), STORE, "/var/lib/netplumb"]) await removeEmptyDirectory(t, d);
}

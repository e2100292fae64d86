import type * as pulumi from "@pulumi/pulumi";
import { CheckResult } from "../sdk/model/checks";
import { beginCreate, endCreate } from "../sdk/kernel/intent";
import { diffSpecs } from "../sdk/model/diff";
import { keptLegacyName, keptOwner } from "../sdk/model/ownership";
import { ManagedSpec } from "../sdk/model/specs";
import "./engine-watch";
import { holdAfterCreate, holdAfterDelete, holdBeforeCreate } from "./test-hold";

/**
 * The shared half of every netplumb dynamic provider: pure check and diff,
 * and the echo of inputs into outputs. Kept in a module of its own so the
 * provider objects serialized into state stay a few lines each and refer to
 * this code with `require` rather than carrying it.
 */

type Props = Record<string, unknown>;

/** Drops undefined values (protobuf structs reject them) and copies. */
export function plain<T>(value: T): Props {
    return JSON.parse(JSON.stringify(value)) as Props;
}

/**
 * check: validate and normalise; never touches the host. A created resource
 * keeps the owner tag recorded in its state (`olds`), so a renamed stack or
 * an aliased resource still recognises its objects (see `keptOwner`).
 */
export function check<S>(validate: (raw: Props) => CheckResult<S>, news: Props, olds: Props = {}): Promise<pulumi.dynamic.CheckResult> {
    if ("owner" in news) news = { ...news, owner: keptOwner(olds.owner, news.owner) };
    for (const key of ["table", "pool"]) if (key in news) news = { ...news, [key]: keptLegacyName(olds[key], news[key]) };
    const result = validate(news);
    return Promise.resolve({ inputs: result.failures.length ? news : plain(result.spec), failures: [...result.failures] });
}

/** Output-only properties that are not inputs and never diff. */
const OUTPUT_ONLY = ["previous", "previousResolvConf", "previousHosts", "createdDirectory", "allocated", "pid", "startTime", "result", "createdBridges"];

/** diff: pure; old outputs against new inputs; kernel-named objects are deleted before they are replaced. */
export function diff(identity: readonly string[], olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const before = { ...olds };
    for (const key of OUTPUT_ONLY) delete before[key];
    const result = diffSpecs(before, news, identity);
    return Promise.resolve({
        changes: result.changes,
        replaces: [...result.replaces],
        deleteBeforeReplace: result.replaces.length > 0,
    });
}

/**
 * create: run the kernel operation, then echo the inputs (plus any observed
 * extras) as outputs. A write-ahead record (kernel/intent.ts) brackets the
 * operation, so a create cut off halfway recognises its untagged objects on
 * its next try (`resumed`, never an output).
 */
export async function create<S>(id: (spec: S) => string, op: (spec: S) => Promise<S | void>, inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const spec = inputs as unknown as S & Pick<ManagedSpec, "host" | "owner">;
    await holdBeforeCreate(id(spec));
    const resumed = await beginCreate(spec);
    let outs: S;
    try {
        outs = (await op({ ...spec, resumed })) ?? spec;
    } finally {
        await endCreate(spec);
    }
    await holdAfterCreate(id(spec));
    const { resumed: _resumed, ...echoed } = outs as S & { resumed?: boolean };
    return { id: id(spec), outs: plain(echoed) };
}

/**
 * read: the live object for refresh, or no id when it is gone (the engine
 * then drops it from state). The live values are returned as the inputs too,
 * so the next preview shows exactly which property drifted (`~ mtu: 1300 => 1400`).
 */
export async function read<S>(op: (spec: S) => Promise<S | undefined>, id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const live = await op(props as unknown as S);
    if (live === undefined) return { id: undefined as unknown as string, props: {} };
    const inputs = plain(live);
    for (const key of OUTPUT_ONLY) delete inputs[key];
    return { id, props: plain(live), inputs };
}

/**
 * update: converge in place, then echo the new inputs as outputs. When the
 * owner tag changed (a 0.1 tag without a stack id meeting the stack's
 * identity), the objects are re-tagged first, each only where it still
 * carries the old tag, and the update then works under the new one.
 */
export async function update<S>(
    op: (previous: S, spec: S) => Promise<S | void>,
    olds: Props,
    news: Props,
    retag?: (previous: S, owner: string) => Promise<void>,
): Promise<pulumi.dynamic.UpdateResult> {
    const spec = news as unknown as S;
    let previous = olds;
    if (typeof olds.owner === "string" && typeof news.owner === "string" && olds.owner !== news.owner) {
        await retag?.(olds as unknown as S, news.owner);
        previous = { ...olds, owner: news.owner };
    }
    const outs = (await op(previous as unknown as S, spec)) ?? spec;
    return { outs: plain(outs) };
}

/** delete: remove; already gone is success. */
export async function remove<S>(op: (spec: S) => Promise<void>, id: string, props: Props): Promise<void> {
    await op(props as unknown as S);
    await holdAfterDelete(id);
}

/** What one resource kind plugs into the shared lifecycle. */
export interface KindOps<S> {
    /** Validates raw inputs into the spec (outputs may add observed fields to it). */
    readonly validate: (raw: Props) => CheckResult<Partial<S>>;
    /** Dotted paths that name the kernel object: a change replaces it. */
    readonly identity: readonly string[];
    readonly id: (spec: S) => string;
    readonly create: (spec: S) => Promise<S | void>;
    readonly read: (spec: S) => Promise<S | undefined>;
    readonly update: (previous: S, spec: S) => Promise<S | void>;
    readonly delete: (spec: S) => Promise<void>;
    /**
     * Moves the objects from the previous owner tag to `owner`, verifying
     * the old tag on each (absent: nothing on the host carries the tag, or
     * the update itself rewrites it).
     */
    readonly retag?: (previous: S, owner: string) => Promise<void>;
}

/**
 * A dynamic provider for one resource kind. Export it as a module's whole
 * `exports` (`export = makeProvider(...)`): Pulumi then serializes it into
 * state as a single `require` of that module instead of carrying the code.
 */
export function makeProvider<S>(ops: KindOps<S>): pulumi.dynamic.ResourceProvider {
    return {
        check: (olds, news) => check(ops.validate, news as Props, olds as Props),
        diff: (_id, olds, news) => diff(ops.identity, olds as Props, news as Props),
        create: (inputs) => create(ops.id, ops.create, inputs as Props),
        read: (id, props) => read(ops.read, id, props as Props),
        update: (_id, olds, news) => update(ops.update, olds as Props, news as Props, ops.retag),
        delete: (id, props) => remove(ops.delete, id, props as Props),
    };
}

import { Target } from "../host/target";

/**
 * The order of nftables work on one table (of one namespace, on one
 * machine), in this provider process. All of a stack's resources share one
 * provider process and the engine serialises runs of one stack, so ordering
 * within the process is enough.
 */

/** One request's outcome inside a batch. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Runs a batch of requests on one table; returns one outcome per request, in order. */
export type BatchRunner<R, T> = (target: Target, table: string, requests: readonly R[]) => Promise<Array<Settled<T>>>;

interface Waiting<R, T> {
    readonly request: R;
    readonly resolve: (value: T) => void;
    readonly reject: (error: unknown) => void;
}

/** The batch at the tail of a table's queue that has not started yet: later requests of its runner join it. */
interface OpenBatch {
    readonly runner: unknown;
    readonly waiting: unknown[];
}

const queues = new Map<string, Promise<unknown>>();
const openBatches = new Map<string, OpenBatch>();

/** One queue per table per namespace per machine: two machines may have tables (and namespaces) of one name. */
function keyOf(target: Target, table: string): string {
    return `${target.host.machine ?? ""}|${target.netns ?? ""}/${table}`;
}

/**
 * Runs `work` after every earlier operation on the same table (on the same
 * host namespace) has finished, failed or not.
 */
export function inTableOrder<T>(target: Target, table: string, work: () => Promise<T>): Promise<T> {
    const key = keyOf(target, table);
    // Work appended behind an open batch closes it: nothing may overtake this work.
    openBatches.delete(key);
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
        () => undefined,
        () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
}

/**
 * Group commit: queues `request` in table order like `inTableOrder`, but
 * when the last entry of the queue is a batch of the same `runner` that has
 * not started yet, the request joins it instead. Requests that arrive while
 * earlier work runs (the engine runs up to `--parallel` resource operations
 * at once) so share one batch, which `runner` can do in one process; no
 * request ever overtakes one queued before it. Nothing waits on a timer.
 */
export function batchedInTableOrder<R, T>(target: Target, table: string, runner: BatchRunner<R, T>, request: R): Promise<T> {
    const key = keyOf(target, table);
    return new Promise<T>((resolve, reject) => {
        const open = openBatches.get(key);
        if (open !== undefined && open.runner === runner) {
            (open.waiting as Array<Waiting<R, T>>).push({ request, resolve, reject });
            return;
        }
        const batch: Array<Waiting<R, T>> = [{ request, resolve, reject }];
        void inTableOrder(target, table, () => {
            // Started: later requests queue behind this batch.
            if (openBatches.get(key)?.waiting === batch) openBatches.delete(key);
            return settle(
                batch,
                runner(
                    target,
                    table,
                    batch.map((w) => w.request),
                ),
            );
        });
        openBatches.set(key, { runner, waiting: batch });
    });
}

/** Hands each waiting request its outcome (all fail alike when the runner throws). */
async function settle<R, T>(batch: ReadonlyArray<Waiting<R, T>>, running: Promise<Array<Settled<T>>>): Promise<void> {
    const outcomes = await running.catch((error: unknown) => batch.map((): Settled<T> => ({ ok: false, error })));
    batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) w.resolve(outcome.value);
        else w.reject(outcome.error);
    });
}

/** Runs `each` for every request in turn, collecting each outcome (the fallback when a combined transaction fails). */
export async function settleEach<R, T>(requests: readonly R[], each: (request: R) => Promise<T>): Promise<Array<Settled<T>>> {
    const outcomes: Array<Settled<T>> = [];
    for (const request of requests) {
        try {
            outcomes.push({ ok: true, value: await each(request) });
        } catch (error) {
            outcomes.push({ ok: false, error });
        }
    }
    return outcomes;
}

/** Every request succeeded with `value`. */
export function allSettled<T>(count: number, value: T): Array<Settled<T>> {
    return Array.from({ length: count }, (): Settled<T> => ({ ok: true, value }));
}

import { Settled } from "./table-queue";

/** Runs `work` for every item with at most `limit` running at once; the first failure rejects (the others still finish). */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Like `inParallel`, but every item runs whatever the others do, and each one's outcome comes back in the items' order. */
export async function settleInParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<Array<Settled<R>>> {
    const outcomes = new Array<Settled<R>>(items.length);
    await inParallel([...items.keys()], limit, async (i) => {
        try {
            outcomes[i] = { ok: true, value: await work(items[i]) };
        } catch (error) {
            outcomes[i] = { ok: false, error };
        }
    });
    return outcomes;
}

/**
 * True when `to` answers any of three pings from namespace `from`, each
 * command run through `run` (on this machine, or on an emulated one). The
 * namespace's neighbour cache is flushed first: an address that failed to
 * resolve a moment ago (before an overlay existed, say) would otherwise stay
 * INCOMPLETE for the first ping. Only sandbox addresses are ever pinged.
 */
export function answersPing(run: (argv: string[]) => unknown, from: string, to: string): boolean {
    run(["ip", "-n", from, "neigh", "flush", "all"]);
    try {
        run(["ip", "netns", "exec", from, "ping", "-c", "3", "-i", "0.2", "-W", "2", to]);
        return true;
    } catch {
        return false;
    }
}

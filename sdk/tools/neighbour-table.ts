import { readFileSync } from "fs";
import type { MatrixCell } from "./expectations";

/**
 * The kernel's IPv4 neighbour (ARP) table is one table for the whole
 * machine, every network namespace included, capped at
 * `net.ipv4.neigh.default.gc_thresh3` entries (1024 by default; settable
 * only in the root namespace). A full table drops packets that need a new
 * entry ("neighbour: arp_cache: neighbor table overflow!"), and the kernel's
 * forced garbage collection frees only entries untouched for 5 s. A probe
 * between two members adds up to two entries (one on each side), so a
 * check that starts more than gc_thresh3 / 2 new pairs in 5 s makes its own
 * pings fail: a 100-member check (9,900 pairs, all at once) saw 6,889 of
 * them fail that way. Checks are paced below that rate.
 */

/** `net.ipv4.neigh.default.gc_thresh3`, or 1024 (the kernel's default) when it cannot be read. */
export function neighbourTableLimit(read: (path: string) => string = (p) => readFileSync(p, "utf8")): number {
    try {
        const value = Number(read("/proc/sys/net/ipv4/neigh/default/gc_thresh3").trim());
        return Number.isInteger(value) && value > 0 ? value : 1024;
    } catch {
        return 1024;
    }
}

/** The entries in the neighbour table now (the machine's, every namespace's; from /proc/net/stat/arp_cache); 0 when unreadable. */
export function neighbourTableEntries(read: (path: string) => string = (p) => readFileSync(p, "utf8")): number {
    try {
        return parseInt(read("/proc/net/stat/arp_cache").trim().split("\n")[1]?.trim().split(/\s+/)[0] ?? "0", 16) || 0;
    } catch {
        return 0;
    }
}

/** How many times the neighbour table was full so far (`table_fulls`, summed over CPUs, from /proc/net/stat/arp_cache); 0 when unreadable. */
export function neighbourTableFulls(read: (path: string) => string = (p) => readFileSync(p, "utf8")): number {
    try {
        const [header, ...rows] = read("/proc/net/stat/arp_cache").trim().split("\n");
        const column = header.trim().split(/\s+/).indexOf("table_fulls");
        if (column < 0) return 0;
        return rows.reduce((sum, row) => sum + parseInt(row.trim().split(/\s+/)[column] ?? "0", 16), 0);
    } catch {
        return 0;
    }
}

/** Neighbour entries a check's pings between members need: one on each side of each pair. */
export function neighbourEntriesNeeded(cells: readonly MatrixCell[]): number {
    return 2 * cells.filter((c) => c.probe.kind === "ping").length;
}

/** The warning `check` prints when its pings need more neighbour entries than the machine's table holds; undefined when they fit. */
export function neighbourTableWarning(needed: number, limit: number): string | undefined {
    if (needed <= limit) return undefined;
    return `this check's pings need up to ${needed} neighbour (ARP) entries, and this machine's table holds ${limit} (net.ipv4.neigh.default.gc_thresh3, shared by every namespace): pings will fail for want of room, not because of the policy; check fewer at once (--only MEMBER, --sample N) or raise the limit (sysctl -w net.ipv4.neigh.default.gc_thresh3=${2 * needed} with gc_thresh1 and gc_thresh2 below it)`;
}

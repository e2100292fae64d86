import { readdirSync, readFileSync } from "fs";

/** Peak resident memory (MiB) seen per role while sampling. */
export interface Peaks {
    engine: number;
    provider: number;
}

function rssMiB(pid: string): number {
    try {
        const line = readFileSync(`/proc/${pid}/status`, "utf8")
            .split("\n")
            .find((l) => l.startsWith("VmRSS:"));
        return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
    } catch {
        return 0;
    }
}

function roleOf(pid: string): keyof Peaks | undefined {
    try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (cmdline.includes("dynamic-provider")) return "provider";
        if (/(^|\/)pulumi\0/.test(cmdline)) return "engine";
    } catch {
        // the process ended while we looked
    }
    return undefined;
}

/**
 * Samples /proc every 100 ms for the pulumi engine and the dynamic provider
 * (node running @pulumi/pulumi's dynamic-provider) and keeps the largest RSS
 * of each. Bounded: stops when `stop()` is called.
 */
export function sampleMemory(): { stop: () => Peaks } {
    const peaks: Peaks = { engine: 0, provider: 0 };
    const timer = setInterval(() => {
        for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
            const role = roleOf(pid);
            if (role) peaks[role] = Math.max(peaks[role], rssMiB(pid));
        }
    }, 100);
    return { stop: () => (clearInterval(timer), peaks) };
}

/** Median, min and max of repeated measurements. */
export interface Stats {
    readonly median: number;
    readonly min: number;
    readonly max: number;
}

export function stats(values: readonly number[]): Stats {
    const sorted = [...values].sort((x, y) => x - y);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const s = (x: Stats) => `${x.median.toFixed(2)} (${x.min.toFixed(2)}–${x.max.toFixed(2)})`;

interface Row {
    n: number;
    runs: number;
    upVsScript: number;
    upVsFloor: number;
    stateBytesPerResource: number;
    stateBytesPerMember: number;
    enginePeakMiB: number;
    providerPeakMiB: number;
    spread: Record<"up" | "script" | "floor" | "preview" | "refresh" | "change" | "destroy", Stats>;
}

/** The results as a markdown table: seconds as median (min–max). */
export function markdownTable(machine: string, rows: readonly Row[]): string {
    const header =
        "| N | runs | (a) up s | (b) script s | (c) floor s | a/b | a/c | preview s | refresh s | one-member change s | destroy s | state B/resource | state B/member | engine MiB | provider MiB |";
    const line = `|${"---|".repeat(15)}`;
    const body = rows.map(
        (r) =>
            `| ${r.n} | ${r.runs} | ${s(r.spread.up)} | ${s(r.spread.script)} | ${s(r.spread.floor)} | ${r.upVsScript.toFixed(2)} | ${r.upVsFloor.toFixed(1)} | ${s(r.spread.preview)} | ${s(r.spread.refresh)} | ${s(r.spread.change)} | ${s(r.spread.destroy)} | ${r.stateBytesPerResource} | ${r.stateBytesPerMember} | ${r.enginePeakMiB.toFixed(0)} | ${r.providerPeakMiB.toFixed(0)} |`,
    );
    return [`Machine: ${machine}`, "", header, line, ...body, ""].join("\n");
}

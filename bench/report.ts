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

type Command = "up" | "preview" | "refresh" | "change" | "destroy";

/** What each deployment mode reports: the ratio to the script, the spread of each command, seconds per member. */
interface ModeFigures {
    upVsScript: number;
    spread: Record<Command, Stats>;
    perMemberSeconds: Record<Command, number>;
}

interface Row {
    n: number;
    runs: number;
    upVsScript: number;
    upVsFloor: number;
    stateBytesPerResource: number;
    stateBytesPerMember: number;
    enginePeakMiB: number;
    providerPeakMiB: number;
    spread: Record<Command | "script" | "floor", Stats>;
    transpileOnly: ModeFigures & { checkSpread: Stats; checkCells: number; checkPassed: boolean };
    oneResource: ModeFigures & { stateBytesPerMember: number; enginePeakMiB: number; providerPeakMiB: number };
    perMemberSeconds: Record<Command, number>;
    peerSpread?: { ansible: Stats; perCommandUp: Stats; perCommandDestroy: Stats };
    upVsAnsible?: number;
    upVsPerCommand?: number;
}

/** The engine's empty-program floor. */
interface Floors {
    version: Stats;
    loadSdk: Stats;
    previewTypeChecked: Stats;
    previewTranspileOnly: Stats;
    upJavaScript: Stats;
    upOneDynamic: Stats;
    previewOneDynamic: Stats;
}

const table = (header: string[], rows: string[][]) => [
    `| ${header.join(" | ")} |`,
    `|${"---|".repeat(header.length)}`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
];
const ms = (x: number) => (x * 1000).toFixed(0);

/** The results as markdown tables, seconds as median (min–max): netplumb both ways against the script and floor, the peers, the engine's floor. */
export function markdownTable(machine: string, rows: readonly Row[], floors: Floors, multiHost?: MultiHostRow): string {
    const commands: Command[] = ["up", "preview", "refresh", "change", "destroy"];
    const main = table(
        [
            "N",
            "runs",
            "program",
            "(a) up s",
            "(b) script s",
            "(c) floor s",
            "a/b",
            "a/c",
            "no-change preview s",
            "refresh s",
            "one-member change s",
            "destroy s",
        ],
        rows.flatMap((r) =>
            (["type-checked", "transpile-only", "transpile-only, one resource"] as const).map((mode) => {
                const variant = {
                    "type-checked": { spread: r.spread, upVsScript: r.upVsScript },
                    "transpile-only": r.transpileOnly,
                    "transpile-only, one resource": r.oneResource,
                }[mode];
                const { spread, upVsScript: ratio } = variant;
                return [
                    String(r.n),
                    String(r.runs),
                    mode,
                    s(spread.up),
                    s(r.spread.script),
                    s(r.spread.floor),
                    ratio.toFixed(2),
                    (spread.up.median / r.spread.floor.median).toFixed(1),
                    s(spread.preview),
                    s(spread.refresh),
                    s(spread.change),
                    s(spread.destroy),
                ];
            }),
        ),
    );
    const perMember = table(
        ["N", "members as", ...commands.map((c) => `${c} ms/member`), "state B/member", "engine MiB", "provider MiB"],
        rows.flatMap((r) => [
            [
                String(r.n),
                "a resource each (type-checked)",
                ...commands.map((c) => ms(r.perMemberSeconds[c])),
                String(r.stateBytesPerMember),
                r.enginePeakMiB.toFixed(0),
                r.providerPeakMiB.toFixed(0),
            ],
            [
                String(r.n),
                "one resource (transpile-only)",
                ...commands.map((c) => ms(r.oneResource.perMemberSeconds[c])),
                String(r.oneResource.stateBytesPerMember),
                r.oneResource.enginePeakMiB.toFixed(0),
                r.oneResource.providerPeakMiB.toFixed(0),
            ],
        ]),
    );
    const peers = table(
        ["N", "netplumb up s (one resource)", "Ansible s", "per-command Pulumi up s", "per-command destroy s", "netplumb/Ansible", "netplumb/per-command"],
        rows
            .filter((r) => r.peerSpread)
            .map((r) => [
                String(r.n),
                s(r.oneResource.spread.up),
                s(r.peerSpread!.ansible),
                s(r.peerSpread!.perCommandUp),
                s(r.peerSpread!.perCommandDestroy),
                r.upVsAnsible!.toFixed(3),
                r.upVsPerCommand!.toFixed(3),
            ]),
    );
    const floor = table(
        [
            "pulumi version s",
            "load @pulumi/pulumi s",
            "empty TS preview, type-checked s",
            "empty TS preview, transpile-only s",
            "empty JS up s",
            "one dynamic resource doing nothing: up s",
            "its no-change preview s",
        ],
        [
            [
                s(floors.version),
                s(floors.loadSdk),
                s(floors.previewTypeChecked),
                s(floors.previewTranspileOnly),
                s(floors.upJavaScript),
                s(floors.upOneDynamic),
                s(floors.previewOneDynamic),
            ],
        ],
    );
    return [
        `Machine: ${machine}`,
        "",
        ...main,
        "",
        ...perMember,
        "",
        ...peers,
        "",
        "The engine's floor (an empty program, and one dynamic resource whose provider does nothing):",
        "",
        ...floor,
        "",
        ...checkTable(rows),
        ...multiHostTable(rows, multiHost),
    ].join("\n");
}

/** `netplumb check` on each size's fresh lab (transpile-only runs): every member pings every other. */
function checkTable(rows: readonly Row[]): string[] {
    return [
        "`netplumb check` on the fresh lab (the installed bin, reading the stack; each member's probes in one process, 8 members at once):",
        "",
        ...table(
            ["N", "cells", "check s", "ms per cell", "all matched"],
            rows.map((r) => [
                String(r.n),
                String(r.transpileOnly.checkCells),
                s(r.transpileOnly.checkSpread),
                ms(r.transpileOnly.checkSpread.median / r.transpileOnly.checkCells),
                r.transpileOnly.checkPassed ? "yes" : "no",
            ]),
        ),
        "",
    ];
}

/** The 3-host lab next to the one-host lab of the same size (transpile-only, a resource each), when both ran. */
function multiHostTable(rows: readonly Row[], multiHost?: MultiHostRow): string[] {
    if (!multiHost) return [];
    const single = rows.find((r) => r.n === multiHost.n)?.transpileOnly.spread;
    const row = (where: string, x: { up: Stats; preview: Stats; destroy: Stats }, check: string) => [where, s(x.up), s(x.preview), check, s(x.destroy)];
    return [
        `The lab on three machines over SSH (examples/multihost, emulated machines, VXLAN) against one machine, N = ${multiHost.n}, transpile-only, a resource each, ${multiHost.runs} runs:`,
        "",
        ...table(
            ["where", "up s", "no-change preview s", "netplumb check s", "destroy s"],
            [...(single ? [row("one machine", single, "")] : []), row("three machines over SSH", multiHost, s(multiHost.check))],
        ),
        "",
    ];
}

/** What bench/multihost.ts measured. */
interface MultiHostRow {
    n: number;
    runs: number;
    up: Stats;
    preview: Stats;
    check: Stats;
    destroy: Stats;
}

import type { LabTopology, TopologyMember } from "../components/topology";
import { EgressPolicy } from "../model/firewall";

/** A box of text lines at (x, y), w by h pixels. */
export interface DiagramBox {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
    readonly lines: readonly string[];
    readonly fill: string;
}

/** A connecting line. */
export interface DiagramLine {
    readonly x1: number;
    readonly y1: number;
    readonly x2: number;
    readonly y2: number;
}

/** Where everything goes: the boxes (the legend's among them), the lines, the canvas. */
export interface DiagramLayout {
    readonly width: number;
    readonly height: number;
    readonly boxes: readonly DiagramBox[];
    readonly lines: readonly DiagramLine[];
}

/** Font size of every label, px. */
export const FONT_SIZE = 13;
/** A wide estimate of one character's width in a 13 px sans-serif font (DejaVu Sans averages 0.55 em), px. */
export const CHAR_WIDTH = 7.8;
/** Horizontal room left around the longest line of a box, px. */
const PADDING = 20;
/** Members per row of the grid. */
const PER_ROW = 6;
const GAP = 30;
const MIN_WIDTH = 200;

/** The width a line of text needs in a box, padding included (an upper estimate). */
export function textWidth(text: string): number {
    return [...text].length * CHAR_WIDTH + PADDING;
}

/** A box's height for `lines`: 18 px per line plus 12. */
export function boxHeight(lines: readonly string[]): number {
    return 18 * lines.length + 12;
}

/** A short text for a policy: "allow", "deny", "tcp/80,443 udp/53". */
export function describePolicy(policy: EgressPolicy): string {
    if (policy === "allow" || policy === "deny") return policy;
    return policy.map((r) => (r.ports ? `${r.protocol}/${r.ports.join(",")}` : r.protocol)).join(" ");
}

/** The fill that shows a member's egress at a glance (see the legend). */
export const POLICY_FILL = { allow: "#e3f4e3", limited: "#fff3d6", deny: "#fbe0e0" } as const;

function policyFill(policy: EgressPolicy): string {
    return policy === "allow" ? POLICY_FILL.allow : policy === "deny" ? POLICY_FILL.deny : POLICY_FILL.limited;
}

function memberLines(m: TopologyMember): string[] {
    return [
        `${m.name}${m.host ? ` @${m.host}` : ""}${m.attachment ? ` (${m.attachment})` : ""}`,
        m.namespace,
        `${m.interface} ${m.address}`,
        `egress: ${describePolicy(m.egress)}`,
        `ingress: ${describePolicy(m.ingress ?? "allow")}`,
    ];
}

/**
 * The lines from the bridge to its members, drawn as a bus so that no line
 * crosses a box: a trunk straight down from the bridge (through the gap
 * between the middle columns: full rows have an even number of boxes), a
 * horizontal bus in the gap above each row, and a short drop to each box.
 */
function busLines(members: readonly DiagramBox[], center: number, bridgeBottom: number): DiagramLine[] {
    const rows = [...new Set(members.map((b) => b.y))].sort((a, b) => a - b);
    if (rows.length === 0) return [];
    const busY = (rowTop: number) => rowTop - 20;
    const lines: DiagramLine[] = [{ x1: center, y1: bridgeBottom, x2: center, y2: busY(rows[rows.length - 1]) }];
    for (const rowTop of rows) {
        const centers = members.filter((b) => b.y === rowTop).map((b) => b.x + b.w / 2);
        lines.push({ x1: Math.min(center, ...centers), y1: busY(rowTop), x2: Math.max(center, ...centers), y2: busY(rowTop) });
        lines.push(...centers.map((x) => ({ x1: x, y1: busY(rowTop), x2: x, y2: rowTop })));
    }
    return lines;
}

/**
 * The lab's diagram: internet, uplink and bridge stacked in the middle on
 * top, the members below in rows of six, each box as wide as the longest
 * label needs (the same for all members), joined to the bridge by a bus (see
 * busLines), members coloured by egress policy, and a legend for those
 * colours at the bottom.
 */
export function layoutLab(t: LabTopology): DiagramLayout {
    const memberText = t.members.map(memberLines);
    const memberWidth = Math.max(MIN_WIDTH, ...memberText.flat().map(textWidth));
    const columns = Math.max(1, Math.min(PER_ROW, t.members.length));
    const top = [
        { lines: ["internet", t.internet?.address ?? ""], fill: "#eef" },
        { lines: [`uplink ${t.uplink}`, t.nat ? "masquerade NAT" : "routed"], fill: "#efe" },
        { lines: [`bridge ${t.bridge.name}`, `${t.bridge.gateway} (${t.bridge.subnet})`], fill: "#ffe" },
    ];
    const topWidth = Math.max(MIN_WIDTH, ...top.flatMap((b) => b.lines).map(textWidth));
    const width = Math.max(columns * (memberWidth + GAP) + GAP, topWidth + 2 * GAP, 3 * (MIN_WIDTH + GAP) + GAP);
    const center = width / 2;
    const boxes: DiagramBox[] = top.map((b, i) => ({ x: center - topWidth / 2, y: 20 + 90 * i, w: topWidth, h: boxHeight(b.lines), ...b }));
    const lines: DiagramLine[] = [0, 1].map((i) => ({ x1: center, y1: 20 + 90 * i + boxHeight(top[i].lines), x2: center, y2: 20 + 90 * (i + 1) }));
    const bridgeBottom = 200 + boxHeight(top[2].lines);
    const rowHeight = boxHeight(memberText[0] ?? []) + 40;
    t.members.forEach((m, i) => {
        const row = Math.floor(i / columns);
        const inRow = Math.min(columns, t.members.length - row * columns);
        const left = center - (inRow * (memberWidth + GAP) - GAP) / 2;
        const x = left + (i % columns) * (memberWidth + GAP);
        boxes.push({ x, y: 300 + row * rowHeight, w: memberWidth, h: boxHeight(memberText[i]), lines: memberText[i], fill: policyFill(m.egress) });
    });
    lines.push(...busLines(boxes.slice(top.length), center, bridgeBottom));
    const rows = Math.ceil(t.members.length / columns);
    const legendY = 300 + rows * rowHeight + 10;
    const legend = [
        { lines: ["egress allow"], fill: POLICY_FILL.allow },
        { lines: ["egress limited"], fill: POLICY_FILL.limited },
        { lines: ["egress deny"], fill: POLICY_FILL.deny },
    ];
    const legendWidth = Math.max(...legend.map((l) => textWidth(l.lines[0])));
    legend.forEach((l, i) => boxes.push({ x: GAP + i * (legendWidth + 10), y: legendY, w: legendWidth, h: boxHeight(l.lines), ...l }));
    return { width, height: legendY + boxHeight(["x"]) + 20, boxes, lines };
}

/** True when the segment passes through the box's inside (touching its edge, as a line ending on it does, is not crossing). Liang-Barsky clipping. */
export function crossesBox(l: DiagramLine, b: DiagramBox): boolean {
    const [x0, y0, dx, dy] = [l.x1, l.y1, l.x2 - l.x1, l.y2 - l.y1];
    const [left, right, top, bottom] = [b.x + 1, b.x + b.w - 1, b.y + 1, b.y + b.h - 1];
    let [t0, t1] = [0, 1];
    for (const [p, q] of [
        [-dx, x0 - left],
        [dx, right - x0],
        [-dy, y0 - top],
        [dy, bottom - y0],
    ]) {
        if (p === 0) {
            if (q < 0) return false;
        } else {
            const r = q / p;
            if (p < 0) t0 = Math.max(t0, r);
            else t1 = Math.min(t1, r);
        }
    }
    return t0 < t1;
}

/**
 * What makes a layout hard to read: a label wider than its box (by the wide
 * estimate), two boxes overlapping, a box outside the canvas, a line across
 * a box. Empty when none.
 */
export function layoutProblems(layout: DiagramLayout): string[] {
    const problems: string[] = [];
    for (const b of layout.boxes) {
        for (const line of b.lines) if (textWidth(line) > b.w) problems.push(`"${line}" needs ${textWidth(line)} px in a box ${b.w} px wide`);
        if (b.x < 0 || b.y < 0 || b.x + b.w > layout.width || b.y + b.h > layout.height) problems.push(`box "${b.lines[0]}" is outside the canvas`);
    }
    layout.boxes.forEach((a, i) =>
        layout.boxes.slice(i + 1).forEach((b) => {
            if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) problems.push(`boxes "${a.lines[0]}" and "${b.lines[0]}" overlap`);
        }),
    );
    for (const l of layout.lines) {
        for (const b of layout.boxes) if (crossesBox(l, b)) problems.push(`a line from (${l.x1}, ${l.y1}) to (${l.x2}, ${l.y2}) crosses box "${b.lines[0]}"`);
    }
    return problems;
}

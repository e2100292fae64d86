import type { ClusterTopology } from "../model/cluster/topology";
import { INGRESS_CONTROLLER } from "../model/cluster/policies";
import { box, escapeXml } from "./diagram";

const W = 220;
const GAP = 30;
const ROWS = { networks: 40, edge: 190, tiers: 350 };

/** Characters that fit a box at 13 px sans-serif (about 7 px each); longer lines end in "…" (the Mermaid text keeps them whole). */
export const BOX_CHARACTERS = 30;

function fit(lines: string[]): string[] {
    return lines.map((l) => (l.length > BOX_CHARACTERS ? `${l.slice(0, BOX_CHARACTERS - 1)}…` : l));
}

function id(name: string): string {
    return name.replace(/[^A-Za-z0-9_]/g, "_");
}

function networkLines(t: ClusterTopology): string[][] {
    const cni = t.cni ? `${t.cni.plugin}${t.cni.encapsulation ? ` ${t.cni.encapsulation}` : ""}` : "CNI not managed";
    const nodes = t.nodeAddresses.length > 3 ? [...t.nodeAddresses.slice(0, 3), `+${t.nodeAddresses.length - 3} more`] : t.nodeAddresses;
    return [
        ["pods", t.podCidr, cni],
        ["services", t.serviceCidr, `DNS ${t.dnsServiceAddress}`],
        ["nodes", ...(t.nodeCidr ? [t.nodeCidr] : []), ...(nodes.length ? [nodes.join(", ")] : ["(addresses not given)"])],
    ];
}

function edgeBoxes(t: ClusterTopology): Array<{ key: string; lines: string[]; fill: string }> {
    const pools = Object.entries(t.loadBalancer?.pools ?? {}).map(([name, entries]) => ({
        key: `pool:${name}`,
        lines: [`pool ${name} (${t.loadBalancer!.mode})`, ...entries],
        fill: "#efe",
    }));
    const ingress = t.ingress;
    if (ingress === undefined) return pools;
    const gateway = ingress.gateway ? [`Gateway ${ingress.gateway.name}`, ...ingress.gateway.listeners] : [];
    const routes = ingress.routes.map((r) => `route ${r.name}: ${r.backends.join(", ")}`);
    return [...pools, { key: "ingress", lines: [`${ingress.controller} (${ingress.namespace})`, ...gateway, ...routes], fill: "#eef" }];
}

/** The cluster network as Mermaid text (`graph TB`): networks, pools, the ingress controller and Gateway, policy tiers and what they allow. */
export function toClusterMermaid(t: ClusterTopology): string {
    const lines = ["graph TB", `  subgraph cluster_${id(t.cluster)}["cluster ${t.cluster}"]`];
    networkLines(t).forEach((l, i) => lines.push(`    net${i}["${l.join("<br/>")}"]`));
    for (const b of edgeBoxes(t)) lines.push(`    ${id(b.key)}["${b.lines.join("<br/>")}"]`);
    for (const [name, text] of Object.entries(t.policies?.tiers ?? {})) {
        if (name !== INGRESS_CONTROLLER) lines.push(`    tier_${id(name)}["tier ${name}<br/>${text}"]`);
    }
    lines.push("  end");
    if (t.ingress?.addressPool) lines.push(`  ${id(`pool:${t.ingress.addressPool}`)} -->|address| ingress`);
    for (const a of t.policies?.allow ?? []) {
        const from = a.from === INGRESS_CONTROLLER ? "ingress" : `tier_${id(a.from)}`;
        lines.push(`  ${from} -->|allow ${a.ports}| tier_${id(a.to)}`);
    }
    return lines.join("\n") + "\n";
}

type Placed = { x: number; y: number; h: number };

function place(rowY: number, count: number, width: number, index: number, lines: number): Placed {
    const rowWidth = count * W + (count - 1) * GAP;
    return { x: (width - rowWidth) / 2 + index * (W + GAP), y: rowY, h: 18 * lines + 12 };
}

/**
 * The cluster network as a standalone SVG: the pod, service and node
 * networks on top; pools and the ingress controller (with its Gateway and
 * routes) below, a line from the pool its Service takes an address from;
 * the policy tiers at the bottom with a green arrow for each allowed
 * connection, labelled with its ports. A legend says that everything else
 * into the policies' namespaces is denied.
 */
export function toClusterSvg(t: ClusterTopology): string {
    const networks = networkLines(t);
    const edges = edgeBoxes(t);
    const tiers = Object.entries(t.policies?.tiers ?? {}).filter(([name]) => name !== INGRESS_CONTROLLER);
    const width = Math.max(networks.length, edges.length, tiers.length, 3) * (W + GAP) + GAP;
    const parts: string[] = [];
    const at = new Map<string, Placed>();
    networks.forEach((lines, i) => {
        const p = place(ROWS.networks, networks.length, width, i, lines.length);
        parts.push(box(p.x, p.y, W, fit(lines), "#ffe"));
    });
    edges.forEach((b, i) => {
        const p = place(ROWS.edge, edges.length, width, i, b.lines.length);
        at.set(b.key, p);
        parts.push(box(p.x, p.y, W, fit(b.lines), b.fill));
    });
    tiers.forEach(([name, text], i) => {
        const p = place(ROWS.tiers, tiers.length, width, i, 2);
        at.set(`tier:${name}`, p);
        parts.push(box(p.x, p.y, W, fit([`tier ${name}`, text]), "#fee"));
    });
    const pool = t.ingress?.addressPool ? at.get(`pool:${t.ingress.addressPool}`) : undefined;
    const ingress = at.get("ingress");
    // Side by side in the middle row: a short line between them, its label above both boxes.
    if (pool && ingress) parts.push(arrow(pool.x + W, pool.y + 20, ingress.x, ingress.y + 20, "address", "#333", 0, Math.min(pool.y, ingress.y) - 6));
    let bottom = ROWS.tiers + 50;
    (t.policies?.allow ?? []).forEach((a, i) => {
        const from = a.from === INGRESS_CONTROLLER ? ingress : at.get(`tier:${a.from}`);
        const to = at.get(`tier:${a.to}`);
        if (!from || !to) return;
        if (from === ingress) {
            parts.push(arrow(from.x + W / 2, from.y + from.h, to.x + W / 2, to.y, `allow ${a.ports}`, "#2a2", 0));
            return;
        }
        const depth = 30 + 22 * i;
        bottom = Math.max(bottom, ROWS.tiers + 42 + depth + 24);
        parts.push(arrow(from.x + W / 2 - 20, from.y + from.h, to.x + W / 2 + 20, to.y + to.h, `allow ${a.ports}`, "#2a2", depth));
    });
    const legend = `<text x="${GAP}" y="${bottom + 20}" fill="#2a2">green arrow: allowed; everything else into ${escapeXml((t.policies?.namespaces ?? []).join(", ") || "no namespace")} is denied</text>`;
    const title = `<text x="${GAP}" y="24" font-weight="bold">cluster ${escapeXml(t.cluster)}</text>`;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${bottom + 40}" font-family="sans-serif" font-size="13">${title}${parts.join("")}${legend}</svg>\n`;
}

/** A line (straight, or bowed down by `depth` px) with an arrow head and a label at its middle (or at `labelY`). */
function arrow(x1: number, y1: number, x2: number, y2: number, label: string, colour: string, depth: number, labelY?: number): string {
    const path = depth === 0 ? `M${x1},${y1} L${x2},${y2}` : `M${x1},${y1} C${x1},${y1 + depth} ${x2},${y2 + depth} ${x2},${y2}`;
    const mx = (x1 + x2) / 2;
    // Below a bowed line's lowest point (three quarters of its depth), above a straight one's middle.
    const my = labelY ?? (depth === 0 ? (y1 + y2) / 2 - 4 : Math.max(y1, y2) + depth * 0.75 + 16);
    const head = `<circle cx="${x2}" cy="${y2}" r="3" fill="${colour}"/>`;
    return `<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>${head}<text x="${mx}" y="${my}" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`;
}

import type { LabTopology } from "../components/topology";
import { DiagramLayout, FONT_SIZE, describePolicy, layoutLab } from "./diagram-layout";

export { describePolicy };

function id(name: string): string {
    return name.replace(/[^A-Za-z0-9_]/g, "_");
}

/** The topology as Mermaid text (`graph LR`), for READMEs and pull requests. */
export function toMermaid(t: LabTopology): string {
    const lines = ["graph LR", `  internet((internet)) --- uplink["uplink: ${t.uplink}${t.nat ? " (NAT)" : ""}"]`];
    lines.push(`  uplink --- bridge["${t.bridge.name}<br/>${t.bridge.gateway} ${t.bridge.subnet}"]`);
    for (const m of t.members) {
        lines.push(
            `  bridge ---|${m.hostInterface}| m_${id(m.name)}["${m.name}<br/>${m.namespace}<br/>${m.interface} ${m.address}<br/>egress: ${describePolicy(m.egress)}<br/>ingress: ${describePolicy(m.ingress ?? "allow")}"]`,
        );
    }
    return lines.join("\n") + "\n";
}

/** Escapes text for SVG: ampersands, angle brackets and both quotes. */
export function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A rounded box of `lines` centred at (x, y) with width w; its height is 18 px per line plus 12. */
export function box(x: number, y: number, w: number, lines: string[], fill: string): string {
    const h = 18 * lines.length + 12;
    const text = lines.map((l, i) => `<text x="${x + w / 2}" y="${y + 20 + 18 * i}" text-anchor="middle">${escapeXml(l)}</text>`).join("");
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${fill}" stroke="#333"/>${text}`;
}

/** Renders a layout as a standalone SVG. */
export function renderSvg(layout: DiagramLayout): string {
    const parts = [
        ...layout.lines.map((l) => `<line x1="${l.x1}" y1="${l.y1}" x2="${l.x2}" y2="${l.y2}" stroke="#333"/>`),
        ...layout.boxes.map((b) => box(b.x, b.y, b.w, [...b.lines], b.fill)),
    ];
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" font-family="sans-serif" font-size="${FONT_SIZE}">${parts.join("")}</svg>\n`;
}

/**
 * The topology as a standalone SVG: internet, uplink and bridge on top, the
 * members in rows of six below, coloured by egress policy, with a legend
 * (see layoutLab).
 */
export function toSvg(t: LabTopology): string {
    return renderSvg(layoutLab(t));
}

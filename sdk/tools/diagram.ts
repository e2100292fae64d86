import { EgressPolicy } from "../model/firewall";
import type { LabTopology } from "../components/topology";

/** A short text for an egress policy: "allow", "deny", "tcp/80,443 udp/53". */
export function describePolicy(policy: EgressPolicy): string {
    if (policy === "allow" || policy === "deny") return policy;
    return policy.map((r) => (r.ports ? `${r.protocol}/${r.ports.join(",")}` : r.protocol)).join(" ");
}

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

/** The topology as a standalone SVG: internet and uplink on top, the bridge, then one box per member. */
export function toSvg(t: LabTopology): string {
    const w = 200;
    const gap = 30;
    const width = Math.max(3, t.members.length) * (w + gap) + gap;
    const center = width / 2 - w / 2;
    const parts = [
        box(center, 20, w, ["internet", t.internet?.address ?? ""], "#eef"),
        box(center, 110, w, [`uplink ${t.uplink}`, t.nat ? "masquerade NAT" : "routed"], "#efe"),
        box(center, 200, w, [`bridge ${t.bridge.name}`, `${t.bridge.gateway} (${t.bridge.subnet})`], "#ffe"),
        `<line x1="${width / 2}" y1="68" x2="${width / 2}" y2="110" stroke="#333"/>`,
        `<line x1="${width / 2}" y1="158" x2="${width / 2}" y2="200" stroke="#333"/>`,
    ];
    t.members.forEach((m, i) => {
        const x = gap + i * (w + gap);
        parts.push(`<line x1="${width / 2}" y1="248" x2="${x + w / 2}" y2="320" stroke="#333"/>`);
        parts.push(
            box(
                x,
                320,
                w,
                [m.name, m.namespace, `${m.interface} ${m.address}`, `egress: ${describePolicy(m.egress)}`, `ingress: ${describePolicy(m.ingress ?? "allow")}`],
                "#fee",
            ),
        );
    });
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="430" font-family="sans-serif" font-size="13">${parts.join("")}</svg>\n`;
}

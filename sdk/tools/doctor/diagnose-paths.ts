import type { TopologyMember } from "../../components/topology";
import { Finding } from "./report";
import { DoctorContext, RECONCILE, evidence, hasFinding } from "./context";
import { LinkFact, arpAnswerers } from "./readings";

const cannotTalk = (m: TopologyMember) => `${m.name} cannot reach the other members or the internet`;

/** The member's host-side interface is a port of another bridge, or of none. */
function onAnotherBridge(ctx: DoctorContext, m: TopologyMember): Finding[] {
    const reading = ctx.host.links;
    const port = ctx.hostLink(m.hostInterface);
    const bridge = ctx.topology.bridge.name;
    if (reading === undefined || port === undefined || port.master === bridge) return [];
    return [
        {
            id: "on-another-bridge",
            member: m.name,
            symptom: cannotTalk(m),
            cause: port.master
                ? `${m.name}'s host-side interface ${m.hostInterface} is a port of ${port.master}, not of the lab's bridge ${bridge}`
                : `${m.name}'s host-side interface ${m.hostInterface} is on no bridge (the lab's is ${bridge})`,
            evidence: [evidence(reading, `${m.hostInterface}: master ${port.master ?? "(none)"}`)],
            fix: `\`${ctx.hostIp(`link set ${m.hostInterface} master ${bridge}`)}\`, or ${RECONCILE}`,
        },
    ];
}

/** The member's side or the host's side of its link is down, or the host's side is gone. */
function portDown(ctx: DoctorContext, m: TopologyMember): Finding[] {
    const hostReading = ctx.host.links;
    const memberReading = ctx.memberReadings(m.name).links;
    const port = ctx.hostLink(m.hostInterface);
    const inside = ctx.memberLinks(m.name).find((l) => l.name === m.interface);
    if (hostReading !== undefined && hostReading.code === 0 && (port === undefined || !port.up)) {
        return [
            {
                id: "bridge-port-down",
                member: m.name,
                symptom: cannotTalk(m),
                cause: port ? `${m.name}'s bridge port ${m.hostInterface} is down` : `${m.name}'s bridge port ${m.hostInterface} does not exist`,
                evidence: [evidence(hostReading, port ? `${m.hostInterface}: not UP` : `no link named ${m.hostInterface}`)],
                fix: port ? `\`${ctx.hostIp(`link set ${m.hostInterface} up`)}\`` : RECONCILE,
            },
        ];
    }
    if (memberReading !== undefined && memberReading.code === 0 && (inside === undefined || !inside.up)) {
        return [
            {
                id: "bridge-port-down",
                member: m.name,
                symptom: cannotTalk(m),
                cause: inside ? `${m.name}'s interface ${m.interface} is down` : `${m.name} has no interface ${m.interface}`,
                evidence: [evidence(memberReading, inside ? `${m.interface}: not UP` : `no link named ${m.interface}`)],
                fix: inside ? `\`ip -n ${m.namespace} link set ${m.interface} up\`` : RECONCILE,
            },
        ];
    }
    return [];
}

/** The member has no default route (it reaches its own subnet only). */
function noDefaultRoute(ctx: DoctorContext, m: TopologyMember): Finding[] {
    const reading = ctx.memberReadings(m.name).routes;
    if (reading === undefined || reading.code !== 0 || /"dst":"default"/.test(reading.stdout)) return [];
    return [
        {
            id: "no-member-default-route",
            member: m.name,
            symptom: `${m.name} cannot reach the internet (its own subnet works)`,
            cause: `${m.name} has no default route`,
            evidence: [evidence(reading, "no `default` route")],
            fix: `\`ip -n ${m.namespace} route add default via ${ctx.topology.bridge.gateway} dev ${m.interface}\`, or ${RECONCILE}`,
        },
    ];
}

/** The most common value (ties: the largest). */
function mode(values: readonly number[]): number | undefined {
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

/** Each end of every member's link, with the MTU the lab's links share (the most common one). */
function pathMtus(ctx: DoctorContext): { lab?: number; ends: Map<string, { inside?: LinkFact; port?: LinkFact }> } {
    const ends = new Map(
        ctx.bridged.map((m) => [m.name, { inside: ctx.memberLinks(m.name).find((l) => l.name === m.interface), port: ctx.hostLink(m.hostInterface) }]),
    );
    const mtus = [...ends.values()].flatMap((e) => [e.inside?.mtu, e.port?.mtu]).filter((v): v is number => v !== undefined);
    return { lab: mode(mtus), ends };
}

/** One end of a member's link has another MTU than the lab's: larger frames are dropped one way. */
function mtuMismatch(ctx: DoctorContext, m: TopologyMember, lab: number | undefined, ends: ReturnType<typeof pathMtus>["ends"]): Finding[] {
    const { inside, port } = ends.get(m.name) ?? {};
    const hostReading = ctx.host.links;
    const memberReading = ctx.memberReadings(m.name).links;
    if (lab === undefined || inside === undefined || port === undefined || hostReading === undefined || memberReading === undefined) return [];
    const odd = [
        { link: inside, where: `${m.name}'s ${m.interface}`, set: `ip -n ${m.namespace} link set ${m.interface} mtu ${lab}` },
        { link: port, where: `its bridge port ${m.hostInterface}`, set: ctx.hostIp(`link set ${m.hostInterface} mtu ${lab}`) },
    ].filter((e) => e.link.mtu !== lab);
    if (odd.length === 0) return [];
    return [
        {
            id: "mtu-mismatch",
            member: m.name,
            symptom: `${m.name}'s small packets (ping) get through but large ones (downloads, TLS handshakes) stall`,
            cause: `${odd.map((e) => `${e.where} has MTU ${e.link.mtu}`).join(" and ")}, while the lab's links have ${lab}: frames larger than the smallest MTU on the path are dropped`,
            evidence: [
                evidence(memberReading, `${m.interface}: mtu ${inside.mtu}`),
                evidence(
                    hostReading,
                    `${m.hostInterface}: mtu ${port.mtu}; ${ctx.topology.bridge.name}: mtu ${ctx.hostLink(ctx.topology.bridge.name)?.mtu ?? "?"}`,
                ),
            ],
            fix: odd.map((e) => `\`${e.set}\``).join(" and "),
        },
    ];
}

/** Another machine answers ARP for the member's address, or another member holds it too. */
function duplicateAddress(ctx: DoctorContext, m: TopologyMember): Finding[] {
    const arp = ctx.memberReadings(m.name).arp;
    const own = ctx.memberLinks(m.name).find((l) => l.name === m.interface)?.mac;
    const answerers = arp === undefined ? [] : arpAnswerers(arp);
    const holders = ctx.bridged.filter(
        (other) => other.name !== m.name && ctx.memberLinks(other.name).some((l) => l.addresses.some((a) => a.split("/")[0] === m.address)),
    );
    if (answerers.length < 2 && holders.length === 0) return [];
    const others = answerers.filter((mac) => mac !== own);
    return [
        {
            id: "duplicate-address",
            member: m.name,
            symptom: `connections to ${m.name} (${m.address}) reach it only sometimes, or reach something else`,
            cause:
                holders.length > 0
                    ? `${m.address} is also on ${holders.map((h) => h.name).join(", ")}`
                    : `${m.address} is answered by ${answerers.length} machines: ${m.name} (${own ?? "?"}) and ${others.join(", ")}`,
            evidence: [
                ...(arp && answerers.length > 1 ? [evidence(arp, `replies from ${answerers.join(", ")}`)] : []),
                ...holders.map((h) => evidence(ctx.memberReadings(h.name).links!, `${h.name} holds ${m.address}`)),
            ],
            fix:
                holders.length > 0
                    ? `remove it there: \`ip -n ${holders[0].namespace} address del ${m.address}/${ctx.topology.bridge.subnet.split("/")[1]} dev ${holders[0].interface}\``
                    : `find the other machine by its MAC (\`${ctx.hostExec(`bridge fdb show br ${ctx.topology.bridge.name}`)}\` names its port) and give it another address`,
        },
    ];
}

/** Nobody answers ARP for the member's address (and no earlier finding explains why). */
function arpFailure(ctx: DoctorContext, m: TopologyMember): Finding[] {
    const arp = ctx.memberReadings(m.name).arp;
    if (arp === undefined || arpAnswerers(arp).length > 0) return [];
    const inside = ctx.memberLinks(m.name).find((l) => l.name === m.interface);
    const memberReading = ctx.memberReadings(m.name).links;
    return [
        {
            id: "arp-failure",
            member: m.name,
            symptom: cannotTalk(m),
            cause: inside?.noArp
                ? `${m.name}'s ${m.interface} has ARP turned off, so nobody on the bridge learns its MAC`
                : `nothing answers ARP for ${m.address} on ${ctx.topology.bridge.name}: ${m.name}'s address is missing or its replies are dropped`,
            evidence: [
                evidence(arp, "no reply"),
                ...(memberReading
                    ? [evidence(memberReading, `${m.interface}: ${inside?.noArp ? "NOARP" : `addresses ${inside?.addresses.join(", ") || "(none)"}`}`)]
                    : []),
            ],
            fix: inside?.noArp ? `\`ip -n ${m.namespace} link set ${m.interface} arp on\`` : RECONCILE,
        },
    ];
}

/**
 * Reverse-path filtering on the host drops the member's packets: the host's
 * route back to it leaves by another interface. The kernel answers the
 * lookup `ip route get GATEWAY from ADDRESS iif BRIDGE` with "Invalid
 * argument" (a martian source) or "Invalid cross-device link".
 */
function rpFilterDrop(ctx: DoctorContext, m: TopologyMember): Finding[] {
    const { reversePath, rpFilter, routeBack } = ctx.memberReadings(m.name);
    if (reversePath === undefined || reversePath.code === 0 || !/cross-device|Invalid argument/i.test(reversePath.stderr)) return [];
    const back = routeBack === undefined ? undefined : /\bdev (\S+)/.exec(routeBack.stdout)?.[1];
    if (back === ctx.topology.bridge.name) return [];
    const bridge = ctx.topology.bridge.name;
    return [
        {
            id: "rp-filter-drop",
            member: m.name,
            symptom: `${m.name}'s packets to the host and beyond vanish, though its link and ARP work`,
            cause: `strict reverse-path filtering on the host drops packets from ${m.address} arriving on ${bridge}, because its route back to ${m.address} leaves by ${back ?? "another interface"} (asymmetric routing)`,
            evidence: [
                evidence(reversePath, reversePath.stderr.trim()),
                ...(rpFilter ? [evidence(rpFilter, rpFilter.stdout.trim().split("\n").join("; "))] : []),
                ...(routeBack ? [evidence(routeBack, routeBack.stdout.trim().split("\n")[0] ?? "")] : []),
            ],
            fix: `remove the route that takes ${m.address} elsewhere, or make the filter loose: \`${ctx.hostExec(`sysctl -w net.ipv4.conf.${bridge}.rp_filter=2 net.ipv4.conf.all.rp_filter=2`)}\``,
        },
    ];
}

/**
 * The machine's neighbour table (one for every namespace, gc_thresh3
 * entries) was full while doctor's own probes ran: packets that need a new
 * entry are dropped, so members fail to reach each other at random.
 */
function neighbourTableFull(ctx: DoctorContext): Finding[] {
    const table = ctx.readings.neighbourTable;
    if (table === undefined || table.fullAfter <= table.fullBefore) return [];
    const needed = 2 * ctx.bridged.length * Math.max(0, ctx.bridged.length - 1);
    const size = Math.max(2 * table.limit, needed);
    return [
        {
            id: "neighbour-table-full",
            symptom: "members fail to reach each other or the internet at random, the more often the more of them talk at once",
            cause: `the machine's neighbour (ARP) table, ${table.limit} entries for every namespace together (net.ipv4.neigh.default.gc_thresh3), was full ${table.fullAfter - table.fullBefore} times while doctor ran: packets that need a new entry are dropped`,
            evidence: [
                {
                    command: table.command,
                    showed: `${table.entries} entries of ${table.limit}; table_fulls rose from ${table.fullBefore} to ${table.fullAfter} during this run`,
                },
            ],
            fix: `raise the limit in the root namespace (it is machine-wide; netplumb never changes it): \`sysctl -w net.ipv4.neigh.default.gc_thresh3=${size} net.ipv4.neigh.default.gc_thresh2=${size / 2} net.ipv4.neigh.default.gc_thresh1=${size / 8}\` (a member pair that talks takes two entries; this lab's full mesh needs up to ${needed})`,
        },
    ];
}

/** The per-member faults on the path between a member and its bridge, one cause per member. */
export function diagnosePaths(ctx: DoctorContext): Finding[] {
    const findings: Finding[] = [...neighbourTableFull(ctx)];
    const { lab, ends } = pathMtus(ctx);
    for (const m of ctx.bridged) {
        const link = [...onAnotherBridge(ctx, m), ...portDown(ctx, m)];
        findings.push(...link, ...noDefaultRoute(ctx, m), ...mtuMismatch(ctx, m, lab, ends));
        if (link.length > 0) continue;
        const duplicates = duplicateAddress(ctx, m);
        findings.push(...duplicates);
        if (duplicates.length === 0 && !hasFinding(findings, ["neighbour-table-full"])) findings.push(...arpFailure(ctx, m));
        if (!hasFinding(findings, ["arp-failure"], m.name)) findings.push(...rpFilterDrop(ctx, m));
    }
    return findings;
}

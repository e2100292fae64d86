import { Finding } from "./report";
import { DoctorContext, RECONCILE, evidence } from "./context";
import { rulesetChains } from "./readings";

const NO_INTERNET = "members cannot reach the internet";

/** `net.ipv4.ip_forward` is 0 on the lab's host: nothing is routed between the bridge and the uplink. */
function ipForwardOff(ctx: DoctorContext): Finding[] {
    const reading = ctx.host.ipForward;
    if (reading === undefined || reading.code !== 0 || reading.stdout.trim() !== "0") return [];
    return [
        {
            id: "ip-forward-off",
            symptom: NO_INTERNET,
            cause: "IP forwarding is off on the lab's host, so it routes nothing between the bridge and the uplink",
            evidence: [evidence(reading, "net.ipv4.ip_forward = 0")],
            fix: `\`${ctx.hostExec("sysctl -w net.ipv4.ip_forward=1")}\`, or ${RECONCILE}`,
        },
    ];
}

/** The uplink, when the lab names it; for "auto", the device of the host's default route. */
function uplinkName(ctx: DoctorContext): string | undefined {
    if (ctx.topology.uplink !== "auto") return ctx.topology.uplink;
    return ctx.hostRoutes.find((r) => r.destination === "default")?.device;
}

/** The uplink is missing or down (a link set down also loses its routes, so this comes before the default route). */
function uplinkDown(ctx: DoctorContext): Finding[] {
    const reading = ctx.host.links;
    const name = uplinkName(ctx);
    if (reading === undefined || reading.code !== 0 || name === undefined) return [];
    const link = ctx.hostLink(name);
    if (link?.up) return [];
    return [
        {
            id: "uplink-down",
            symptom: NO_INTERNET,
            cause: link ? `the uplink ${name} is down` : `the uplink ${name} does not exist on the lab's host`,
            evidence: [evidence(reading, link ? `${name}: not UP (administratively down)` : `no link named ${name}`)],
            fix: link
                ? `\`${ctx.hostIp(`link set ${name} up`)}\`, then put back the routes the kernel dropped with it: ${RECONCILE}`
                : `set the lab's \`uplink\` to the interface that reaches the internet (\`${ctx.hostIp("route show default")}\` names it) and run \`pulumi up\``,
        },
    ];
}

/** No default route on the lab's host. */
function noHostDefaultRoute(ctx: DoctorContext, earlier: readonly Finding[]): Finding[] {
    const reading = ctx.host.routes;
    if (reading === undefined || reading.code !== 0 || earlier.some((f) => f.id === "uplink-down")) return [];
    if (ctx.hostRoutes.some((r) => r.destination === "default")) return [];
    return [
        {
            id: "no-host-default-route",
            symptom: NO_INTERNET,
            cause: "the lab's host has no default route, so it cannot send the members' traffic anywhere beyond its own networks",
            evidence: [evidence(reading, "no `default` route")],
            fix: `\`${ctx.hostIp(`route add default via ROUTER dev ${uplinkName(ctx) ?? "UPLINK"}`)}\` (ROUTER: your upstream router), or ${RECONCILE} if the stack declares it`,
        },
    ];
}

/** The lab masquerades, but no postrouting chain holds a masquerade rule for its subnet. */
function noMasquerade(ctx: DoctorContext): Finding[] {
    const reading = ctx.host.ruleset;
    if (!ctx.topology.nat || reading === undefined || reading.code !== 0) return [];
    const subnet = ctx.topology.bridge.subnet;
    const masquerades = rulesetChains(reading.stdout)
        .filter((c) => c.hook === "postrouting")
        .some((c) => c.rules.some((r) => r.includes("masquerade") && r.includes(`saddr ${subnet}`)));
    if (masquerades) return [];
    return [
        {
            id: "no-masquerade",
            symptom: NO_INTERNET,
            cause: `nothing masquerades the lab's subnet ${subnet}: its packets leave with private source addresses that no answer finds its way back to`,
            evidence: [evidence(reading, `no postrouting rule \`ip saddr ${subnet} ... masquerade\``)],
            fix: `${RECONCILE}; by hand: \`${ctx.hostExec(`nft add rule inet ${ctx.topology.table} CHAIN ip saddr ${subnet} masquerade`)}\` in a nat postrouting chain`,
        },
    ];
}

/**
 * Another table's forward chain drops by default (Docker sets `FORWARD DROP`)
 * and accepts nothing of the lab's bridge: bridged traffic passes the forward
 * hook (br_netfilter), so it drops the lab's traffic too.
 */
function forwardDropPolicy(ctx: DoctorContext): Finding[] {
    const reading = ctx.host.ruleset;
    if (reading === undefined || reading.code !== 0) return [];
    const bridge = ctx.topology.bridge.name;
    const dropping = rulesetChains(reading.stdout).filter(
        (c) =>
            c.hook === "forward" &&
            c.policy === "drop" &&
            c.table !== ctx.topology.table &&
            !c.rules.some((r) => r.includes(`"${bridge}"`) && /\baccept\b/.test(r)),
    );
    return dropping.map((c) => ({
        id: "forward-drop-policy" as const,
        symptom: "members cannot reach the internet, and bridged traffic between members is dropped",
        cause: `${c.family} table ${c.table}, chain ${c.chain} (not netplumb's) drops forwarded packets by default and accepts nothing of ${bridge}; bridged lab traffic passes that hook too`,
        evidence: [evidence(reading, `table ${c.family} ${c.table} chain ${c.chain}: hook forward, policy drop; no accept for "${bridge}"`)],
        fix: `let the lab through that chain: \`${ctx.hostExec(`nft insert rule ${c.family} ${c.table} ${c.chain} iifname "${bridge}" accept`)}\` and the same with \`oifname\` (with Docker: \`iptables -I DOCKER-USER -i ${bridge} -j ACCEPT\` and \`-o ${bridge}\`)`,
    }));
}

/** The host-wide reasons members cannot reach the internet, each once. */
export function diagnoseInternet(ctx: DoctorContext): Finding[] {
    const found = [...ipForwardOff(ctx), ...uplinkDown(ctx)];
    return [...found, ...noHostDefaultRoute(ctx, found), ...noMasquerade(ctx), ...forwardDropPolicy(ctx)];
}

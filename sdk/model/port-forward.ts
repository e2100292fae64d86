import { canonicalIp, ipAddressError } from "./addresses";
import { CheckResult } from "./checks";
import { Failures, show } from "./failures";
import { ipKeyword, portError, readChainOwner } from "./firewall";
import { InputReader } from "./inputs";
import { interfaceNameError } from "./names";
import { ChainPlan } from "./nft-script";
import { ManagedSpec } from "./specs";

/** PortForward's inputs once checked: what its provider works from. */
export interface PortForwardSpec extends ManagedSpec {
    readonly namespace?: string;
    readonly table: string;
    readonly chains: string;
    readonly protocol: "tcp" | "udp";
    /** The port on the host (1-65535). */
    readonly hostPort: number;
    /** Only traffic arriving on this interface (usually the uplink); default: any interface. */
    readonly inInterface?: string;
    /** The member's address and port traffic is sent on to. */
    readonly toAddress: string;
    readonly toPort: number;
    /** Also forward connections the host itself makes to its own addresses. Default true. */
    readonly fromHost: boolean;
}

/** Why `protocol` cannot be forwarded (undefined: it can): only tcp and udp. */
export function protocolError(protocol: unknown): string | undefined {
    return protocol === "tcp" || protocol === "udp" ? undefined : `protocol ${show(protocol)} cannot be forwarded; use "tcp" or "udp"`;
}

/** Validates PortForward inputs. */
export function checkPortForward(raw: Record<string, unknown>): CheckResult<PortForwardSpec> {
    const failures = new Failures();
    const r = new InputReader(raw, "", failures);
    const toAddress = r.string("toAddress", ipAddressError) ?? "";
    if (r.value("hostPort") === undefined) failures.add("hostPort", "hostPort is required");
    if (r.value("toPort") === undefined) failures.add("toPort", "toPort is required");
    const spec: PortForwardSpec = {
        ...readChainOwner(r),
        protocol: (r.string("protocol", protocolError) ?? "tcp") as "tcp" | "udp",
        hostPort: r.number("hostPort", portError) ?? 0,
        inInterface: r.optionalString("inInterface", interfaceNameError),
        toAddress: ipAddressError(toAddress) === undefined ? canonicalIp(toAddress) : toAddress,
        toPort: r.number("toPort", portError) ?? 0,
        fromHost: r.boolean("fromHost", true),
    };
    return { spec, failures: failures.all };
}

/** The DNAT target text: `ip to 192.0.2.10:80` or `ip6 to [2001:db8::10]:80`. */
function dnatTarget(spec: PortForwardSpec): string {
    const family = ipKeyword(spec.toAddress);
    const address = family === "ip6" ? `[${spec.toAddress}]` : spec.toAddress;
    return `dnat ${family} to ${address}:${spec.toPort}`;
}

/** The chains a PortForward owns: DNAT at prerouting and, for the host's own connections, at output. */
export function planPortForward(spec: PortForwardSpec): ChainPlan[] {
    const match = `meta nfproto ${ipKeyword(spec.toAddress) === "ip6" ? "ipv6" : "ipv4"} ${spec.protocol} dport ${spec.hostPort}`;
    const arriving = spec.inInterface ? `iifname "${spec.inInterface}" ${match}` : `fib daddr type local ${match}`;
    const chains: ChainPlan[] = [
        {
            family: "inet",
            name: `${spec.chains}_prerouting`,
            definition: "type nat hook prerouting priority dstnat; policy accept;",
            rules: [`${arriving} ${dnatTarget(spec)}`],
        },
    ];
    chains.push({
        family: "inet",
        name: `${spec.chains}_output`,
        definition: "type nat hook output priority -100; policy accept;",
        rules: spec.fromHost ? [`fib daddr type local ${match} ${dnatTarget(spec)}`] : [],
    });
    return chains;
}

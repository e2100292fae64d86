import { interfaceAddressError, ipAddressError } from "./addresses";
import { Failures, show } from "./failures";
import { interfaceNameError } from "./names";

/** Modes of a macvlan link (`ip link add … type macvlan mode MODE`). */
export type MacvlanMode = "bridge" | "private" | "vepa" | "passthru";
/** Modes of an ipvlan link (`ip link add … type ipvlan mode MODE`). */
export type IpvlanMode = "l2" | "l3" | "l3s";

/** An interface of a member's own on a parent's network (macvlan or ipvlan), instead of a veth to the lab bridge. */
export interface SublinkAttachment<Mode extends string> {
    /** The parent interface on the member's host, e.g. the uplink `eth0`. */
    readonly parent: string;
    /** Default `bridge` (macvlan) or `l2` (ipvlan). */
    readonly mode?: Mode;
    /** The member's address on the parent's network, with its prefix length: `198.51.100.40/24`. */
    readonly address: string;
    /** Default route through this router on the parent's network. Default: none. */
    readonly gateway?: string;
}

/**
 * How a member joins the network, after Docker's network drivers:
 * - `"bridge"` (default): its own namespace, a veth to the lab bridge;
 * - `"overlay"`: the same in a MultiHostLab, whose bridge is a segment of the overlay;
 * - `"none"`: its own namespace with loopback only;
 * - `"host"`: no namespace of its own: the host's network;
 * - `{ container: "web" }`: another member's namespace (a sidecar);
 * - `{ macvlan: { parent, mode, address, gateway } }`, `{ ipvlan: … }`: its
 *   own interface on the parent's network, bypassing the host's forward path.
 */
export type AttachmentInput =
    | "bridge"
    | "overlay"
    | "none"
    | "host"
    | { readonly container: string }
    | { readonly macvlan: SublinkAttachment<MacvlanMode> }
    | { readonly ipvlan: SublinkAttachment<IpvlanMode> };

/** An attachment as planned. */
export type AttachmentPlan =
    | { readonly kind: "bridge" }
    | { readonly kind: "none" }
    | { readonly kind: "host" }
    | { readonly kind: "container"; readonly of: string }
    | { readonly kind: "macvlan"; readonly parent: string; readonly mode: MacvlanMode; readonly address: string; readonly gateway?: string }
    | { readonly kind: "ipvlan"; readonly parent: string; readonly mode: IpvlanMode; readonly address: string; readonly gateway?: string };

const MACVLAN_MODES: readonly MacvlanMode[] = ["bridge", "private", "vepa", "passthru"];
const IPVLAN_MODES: readonly IpvlanMode[] = ["l2", "l3", "l3s"];
const FORMS = `"bridge", "overlay", "none", "host", { container: "<member>" }, { macvlan: { parent, address } } or { ipvlan: { parent, address } }`;

function checkSublink<Mode extends string>(
    kind: "macvlan" | "ipvlan",
    raw: SublinkAttachment<Mode> | undefined,
    modes: readonly Mode[],
    path: string,
    failures: Failures,
): AttachmentPlan {
    const spec = raw ?? ({} as SublinkAttachment<Mode>);
    failures.check(`${path}.parent`, interfaceNameError(spec.parent));
    const mode = spec.mode ?? modes[0];
    if (!modes.includes(mode)) failures.add(`${path}.mode`, `${kind} mode ${show(mode)} is not one of ${modes.join(", ")}`);
    const addressError = interfaceAddressError(spec.address);
    if (addressError !== undefined)
        failures.add(
            `${path}.address`,
            `${addressError}; give the member's address on ${show(spec.parent)}'s network with its prefix, e.g. "198.51.100.40/24"`,
        );
    if (spec.gateway !== undefined) failures.check(`${path}.gateway`, ipAddressError(spec.gateway));
    return { kind, parent: spec.parent, mode, address: spec.address, ...(spec.gateway !== undefined ? { gateway: spec.gateway } : {}) } as AttachmentPlan;
}

/** Validates a member's `attachment`; `members` are the lab's member names (for `container`). */
export function checkAttachment(raw: unknown, member: string, members: readonly string[], failures: Failures): AttachmentPlan {
    const path = `members.${member}.attachment`;
    if (raw === undefined || raw === "bridge" || raw === "overlay") return { kind: "bridge" };
    if (raw === "none" || raw === "host") return { kind: raw };
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
        const keys = Object.keys(raw);
        const record = raw as Record<string, unknown>;
        if (keys.length === 1 && keys[0] === "container") {
            const of = record.container;
            if (typeof of !== "string" || !members.includes(of) || of === member) {
                failures.add(`${path}.container`, `${show(of)} is not another member of this lab; name the member whose namespace ${member} shares`);
            }
            return { kind: "container", of: of as string };
        }
        if (keys.length === 1 && keys[0] === "macvlan")
            return checkSublink("macvlan", record.macvlan as SublinkAttachment<MacvlanMode>, MACVLAN_MODES, `${path}.macvlan`, failures);
        if (keys.length === 1 && keys[0] === "ipvlan")
            return checkSublink("ipvlan", record.ipvlan as SublinkAttachment<IpvlanMode>, IPVLAN_MODES, `${path}.ipvlan`, failures);
    }
    failures.add(path, `${show(raw)} is not an attachment; use ${FORMS}`);
    return { kind: "bridge" };
}

/** What a member declares that only a member on the lab bridge can have. */
export interface BridgeOnlyProperties {
    readonly address?: string;
    readonly portForwards?: readonly unknown[];
    readonly shaping?: unknown;
    readonly egress?: unknown;
    readonly ingress?: unknown;
}

/** Why `attachment` cannot have these properties: port forwards, shaping and a lab address need the member's veth on the bridge. */
export function checkBridgeOnly(attachment: AttachmentPlan, declared: BridgeOnlyProperties, member: string, failures: Failures): void {
    if (attachment.kind === "bridge") return;
    const path = `members.${member}`;
    const mode = attachment.kind;
    const needsBridge = (property: string, what: string) =>
        failures.add(
            `${path}.${property}`,
            `${what} needs the member's veth on the lab bridge, and its attachment is ${show(mode)}; remove it or use attachment "bridge"`,
        );
    if (declared.address !== undefined) {
        if (mode === "macvlan" || mode === "ipvlan")
            failures.add(`${path}.address`, `a ${mode} member's address is attachment.${mode}.address (on its parent's network); remove address`);
        else needsBridge("address", "an address in the lab's subnet");
    }
    if ((declared.portForwards ?? []).length > 0) needsBridge("portForwards", "a port forward");
    if (declared.shaping !== undefined) needsBridge("shaping", "shaping (on the host side of its veth)");
    if (mode === "container" && (declared.egress !== undefined || declared.ingress !== undefined)) {
        failures.add(
            `${path}.${declared.egress !== undefined ? "egress" : "ingress"}`,
            `${member} shares ${show(attachment.of)}'s namespace and so its policy; declare the policy on ${attachment.of}`,
        );
    }
}

/**
 * The policies a member declares that netplumb cannot enforce where it is
 * attached, as sentences for preview: a host member's traffic is the host's
 * own, and a macvlan/ipvlan member's bypasses the host's forward path.
 */
export function unenforcedPolicies(attachment: AttachmentPlan, declared: BridgeOnlyProperties, member: string): string[] {
    const limited = (p: unknown) => p !== undefined && p !== "allow";
    const which = (["egress", "ingress"] as const).filter((p) => limited(declared[p]));
    if (which.length === 0) return [];
    const why: Partial<Record<AttachmentPlan["kind"], string>> = {
        host: "it shares the host's own network, so there is no member traffic to tell apart",
        macvlan: "its traffic leaves through its parent without passing this host's forward path",
        ipvlan: "its traffic leaves through its parent without passing this host's forward path",
    };
    const reason = why[attachment.kind];
    if (reason === undefined) return [];
    return [
        `members.${member}.${which.join(" and ")}: not enforced: ${member} is attached as ${attachment.kind}, and ${reason}; enforce it where its traffic is routed, or use attachment "bridge"`,
    ];
}

/** The attachment as topology and diagrams show it: absent for the bridge, else "none", "host", "container:web", "macvlan", "ipvlan". */
export function attachmentLabel(attachment: AttachmentPlan): string | undefined {
    if (attachment.kind === "bridge") return undefined;
    return attachment.kind === "container" ? `container:${attachment.of}` : attachment.kind;
}

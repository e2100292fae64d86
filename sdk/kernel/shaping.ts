import { CommandError, isKind } from "../host/errors";
import { Target, targetFor } from "../host/target";
import { batchInput } from "../model/script-safety";
import { DirectionShaping, ShapingSpec, directionCommands, needsNetem, parseDirection, redirectCommands } from "../model/shaping";
import { deleteLink, readLink } from "./links";
import { OwnershipError, assertOwned } from "./ownership";

function describe(spec: ShapingSpec): string {
    return `shaping of ${JSON.stringify(spec.interface)}${spec.namespace ? ` in namespace ${spec.namespace}` : ""}`;
}

/** Runs tc lines in one process (`tc -batch -`), naming netem when the kernel lacks it. */
async function tcBatch(target: Target, spec: ShapingSpec, lines: string[][]): Promise<void> {
    if (lines.length === 0) return;
    try {
        await target.exec(["tc", "-batch", "-"], { input: batchInput(lines) });
    } catch (error) {
        const netem = needsNetem(spec.outbound) || needsNetem(spec.inbound);
        if (netem && error instanceof CommandError && /qdisc kind is unknown/i.test(error.result.stderr))
            throw new Error(
                `${describe(spec)}: this kernel has no netem (the sch_netem module), so delay, jitter and loss cannot be applied; remove them, or load the module (modprobe sch_netem)`,
                { cause: error },
            );
        throw error;
    }
}

/** Runs one tc command, tolerating "already gone" (the qdisc, or the whole device). */
async function tcGone(target: Target, args: string[]): Promise<void> {
    try {
        await target.exec(["tc", ...args]);
    } catch (error) {
        const gone =
            isKind(error, "NotFound") ||
            (error instanceof CommandError && /handle of zero|Invalid handle|Cannot find specified qdisc/i.test(error.result.stderr));
        if (!gone) throw error;
    }
}

/** The IFB device carrying inbound traffic: made, tagged and up. Equivalent to: `ip link add IFB type ifb`, `ip link set dev IFB alias TAG up`. */
async function makeIfb(target: Target, spec: ShapingSpec): Promise<void> {
    const live = await readLink(target, spec.ifb);
    if (live !== undefined) {
        if (live.alias !== spec.owner)
            throw new OwnershipError(`${describe(spec)}: an interface ${spec.ifb} exists that is not this resource's; remove it and run again`);
        return;
    }
    await target.ipBatch([
        ["link", "add", spec.ifb, "type", "ifb"],
        ["link", "set", "dev", spec.ifb, "alias", spec.owner, "up"],
    ]);
}

/** The tc lines for everything the spec shapes. */
function shapingLines(spec: ShapingSpec): string[][] {
    return [
        ...(spec.outbound ? directionCommands(spec.interface, spec.outbound) : []),
        ...(spec.inbound ? [...directionCommands(spec.ifb, spec.inbound), ...redirectCommands(spec.interface, spec.ifb)] : []),
    ];
}

/**
 * Shapes the interface: a root TBF for outbound traffic; for inbound, an IFB
 * device, everything arriving on the interface redirected to it, and a TBF
 * there. With delay or loss a netem qdisc sits above each TBF. A failure
 * removes what was made. Equivalent to the commands in directionCommands and
 * redirectCommands, run with `tc -batch -`.
 */
export async function createShaping(spec: ShapingSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    try {
        if (spec.inbound) await makeIfb(target, spec);
        await tcBatch(target, spec, shapingLines(spec));
    } catch (error) {
        try {
            await removeShaping(target, spec);
        } catch (undoError) {
            // Both are the user's to know: what failed, and what is left behind.
            throw new Error(`${(error as Error).message}; undoing it failed too, so parts may be left: ${(undoError as Error).message}`, {
                cause: undoError,
            });
        }
        throw error;
    }
}

/** Removes every qdisc and the IFB device of a spec; gone is success. */
async function removeShaping(target: Target, spec: ShapingSpec): Promise<void> {
    if (spec.outbound) await tcGone(target, ["qdisc", "del", "dev", spec.interface, "root"]);
    if (spec.inbound) {
        await tcGone(target, ["qdisc", "del", "dev", spec.interface, "ingress"]);
        const ifb = await readLink(target, spec.ifb);
        if (ifb !== undefined) {
            assertOwned(`${describe(spec)}: ${spec.ifb}`, ifb.alias, spec.owner);
            await deleteLink(target, spec.ifb);
        }
    }
}

/** The live shaping of one device as a direction (the spec's own when the rate holds), undefined when none. */
async function readDirection(target: Target, dev: string, declared: DirectionShaping): Promise<DirectionShaping | undefined> {
    let json: string;
    try {
        json = (await target.exec(["tc", "-j", "qdisc", "show", "dev", dev])).stdout;
    } catch (error) {
        if (isKind(error, "NotFound")) return undefined;
        throw error;
    }
    const live = parseDirection(json);
    if (live === undefined || live.netem !== needsNetem(declared)) return undefined;
    // tc reports the rate in bytes per second: a declared rate that is not a whole number of bytes reads back rounded.
    return Math.abs(live.rate - declared.rate) < 8 ? declared : { ...declared, rate: live.rate, burst: live.burst };
}

/**
 * The live shaping as a spec: a direction whose qdisc is gone reads as
 * absent, a changed rate as that rate (drift for the next up to repair);
 * undefined when the interface itself is gone.
 */
export async function readShaping(spec: ShapingSpec): Promise<ShapingSpec | undefined> {
    const target = targetFor(spec.host, spec.namespace);
    if ((await readLink(target, spec.interface)) === undefined) return undefined;
    const outbound = spec.outbound && (await readDirection(target, spec.interface, spec.outbound));
    let inbound = spec.inbound && (await readDirection(target, spec.ifb, spec.inbound));
    if (inbound) {
        const filters = (await target.exec(["tc", "-j", "filter", "show", "dev", spec.interface, "parent", "ffff:"])).stdout;
        if (!filters.includes(spec.ifb)) inbound = undefined;
    }
    return { ...spec, outbound: outbound || undefined, inbound: inbound || undefined };
}

/** Converges in place: replaces the qdiscs of each shaped direction, removes a direction no longer declared. */
export async function updateShaping(previous: ShapingSpec, spec: ShapingSpec): Promise<void> {
    const target = targetFor(spec.host, spec.namespace);
    if ((await readLink(target, spec.interface)) === undefined) throw new OwnershipError(`${describe(spec)}: the interface is gone; run pulumi refresh`);
    const dropped: ShapingSpec = { ...previous, outbound: spec.outbound ? undefined : previous.outbound, inbound: spec.inbound ? undefined : previous.inbound };
    await removeShaping(target, dropped);
    // A netem that is no longer wanted (or a newly wanted one) changes the qdisc tree: start that direction afresh.
    if (previous.outbound && spec.outbound && needsNetem(previous.outbound) !== needsNetem(spec.outbound))
        await tcGone(target, ["qdisc", "del", "dev", spec.interface, "root"]);
    if (previous.inbound && spec.inbound && needsNetem(previous.inbound) !== needsNetem(spec.inbound))
        await tcGone(target, ["qdisc", "del", "dev", spec.ifb, "root"]);
    if (spec.inbound) await makeIfb(target, spec);
    await tcBatch(target, spec, shapingLines(spec));
}

/**
 * Removes the shaping: the interface's root and ingress qdiscs and the IFB
 * device. Gone (the qdiscs, the interface, or the device) is success.
 * Equivalent to: `tc qdisc del dev DEV root`, `tc qdisc del dev DEV ingress`, `ip link del IFB`.
 */
export async function deleteShaping(spec: ShapingSpec): Promise<void> {
    await removeShaping(targetFor(spec.host, spec.namespace), spec);
}

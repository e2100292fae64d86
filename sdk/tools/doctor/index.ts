import type { LabTopology } from "../../components/topology";
import { LocalHost } from "../../host/local";
import { diagnose } from "./diagnose";
import { ObserveOptions, observeLab } from "./observe";
import { StackOwners, scanTagged } from "./leftovers";
import { DoctorReport } from "./report";
import type { Flow } from "./diagnose-flow";

export { formatReport } from "./report";
export type { DoctorReport, Finding, Evidence, SkippedCheck, DiagnosisId } from "./report";
export { ownersOfExport } from "./leftovers";
export type { StackOwners } from "./leftovers";
export type { Flow } from "./diagnose-flow";

/** How a doctor run reads the lab: root or not, and the stack's state for the leftovers check. */
export interface DoctorOptions extends Omit<ObserveOptions, "host"> {
    /** The stack's resources; without them the leftovers check is skipped. */
    readonly stack?: StackOwners;
    /** A connection to explain (`--from`, `--to`, `--port`). Default: none. */
    readonly flow?: Flow;
}

/**
 * Diagnoses a lab on this machine: reads the live host and members (see
 * observeLab), then names each fault as symptom, cause, evidence and fix
 * (see diagnose). Changes nothing.
 */
export async function doctorLab(topology: LabTopology, options: DoctorOptions): Promise<DoctorReport> {
    const host = new LocalHost();
    const { readings, skipped } = await observeLab(topology, { ...options, host });
    let tagged;
    if (options.stack === undefined)
        skipped.push({ check: "leftovers of this stack", why: "it needs the stack's state: read the topology from a stack, not a file" });
    else if (!options.root) skipped.push({ check: "leftovers of this stack", why: "listing every namespace's tags needs root" });
    else tagged = await scanTagged(topology, host, readings.host.links, options.stack);
    return { lab: topology.lab, findings: diagnose(topology, { ...readings, tagged }, options.flow), skipped };
}

import type { LabTopology } from "../../components/topology";
import { Finding } from "./report";
import { DoctorContext } from "./context";
import { LabReadings } from "./readings";
import { diagnoseInternet } from "./diagnose-internet";
import { diagnosePaths } from "./diagnose-paths";
import { diagnoseDns, diagnoseForwards, diagnoseLeftovers, diagnosePolicies } from "./diagnose-services";
import { Flow, diagnoseFlow } from "./diagnose-flow";

/**
 * Every finding for a lab, from its declared topology and what doctor read:
 * the host's route to the internet first, then each member's path to its
 * bridge, then DNS and port forwards (a DNS failure a path fault explains
 * is not reported again), then policies without the rules enforcing them,
 * then objects left over from this stack; with a
 * `flow` asked about, why the declared policy stops it.
 */
export function diagnose(topology: LabTopology, readings: LabReadings, flow?: Flow): Finding[] {
    const ctx = new DoctorContext(topology, readings);
    const path = [...diagnoseInternet(ctx), ...diagnosePaths(ctx)];
    const asked = flow ? diagnoseFlow(ctx, flow) : [];
    return [...path, ...diagnoseDns(ctx, path), ...diagnoseForwards(ctx), ...diagnosePolicies(ctx), ...asked, ...diagnoseLeftovers(ctx)];
}

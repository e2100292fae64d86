/** What a finding rests on: a command doctor ran (or a file it read) and what it showed. */
export interface Evidence {
    /** The command as a shell would run it, or `read FILE`. */
    readonly command: string;
    /** The part of its output that matters, in a line or two. */
    readonly showed: string;
}

/** The kinds of fault doctor knows, one per row of the troubleshooting table. */
export type DiagnosisId =
    | "ip-forward-off"
    | "no-masquerade"
    | "no-host-default-route"
    | "uplink-down"
    | "forward-drop-policy"
    | "no-member-default-route"
    | "resolv-missing"
    | "dns-server-unreachable"
    | "dns-blocked-by-policy"
    | "dns-not-answering"
    | "on-another-bridge"
    | "bridge-port-down"
    | "duplicate-address"
    | "arp-failure"
    | "neighbour-table-full"
    | "mtu-mismatch"
    | "rp-filter-drop"
    | "forward-no-listener"
    | "forward-no-dnat"
    | "policy-not-enforced"
    | "ingress-policy"
    | "leftover";

/** One thing wrong: what the user sees, why, the evidence, and the fix. */
export interface Finding {
    readonly id: DiagnosisId;
    /** The member it concerns; absent for the lab's host. */
    readonly member?: string;
    /** What the user notices ("red cannot reach the internet"). */
    readonly symptom: string;
    /** Why, in one sentence. */
    readonly cause: string;
    readonly evidence: readonly Evidence[];
    /** What to run or change, with the command. */
    readonly fix: string;
}

/** A check doctor could not run, and why (most often: it needs root). */
export interface SkippedCheck {
    readonly check: string;
    readonly why: string;
}

/** Everything one doctor run found. */
export interface DoctorReport {
    readonly lab: string;
    readonly findings: readonly Finding[];
    readonly skipped: readonly SkippedCheck[];
}

/** The report as text: one block per finding (symptom, cause, evidence, fix), then what was skipped, then a summary line. */
export function formatReport(report: DoctorReport): string {
    const blocks = report.findings.map((f, i) =>
        [
            `${i + 1}. ${f.symptom} [${f.id}]`,
            `   cause:    ${f.cause}`,
            ...f.evidence.map((e) => `   evidence: ${e.command}\n             ${e.showed.split("\n").join("\n             ")}`),
            `   fix:      ${f.fix}`,
        ].join("\n"),
    );
    const skipped = report.skipped.map((s) => `skipped: ${s.check} (${s.why})`);
    const summary =
        report.findings.length === 0
            ? `doctor: no problems found in lab ${report.lab}`
            : `doctor: ${report.findings.length} problem${report.findings.length === 1 ? "" : "s"} found in lab ${report.lab}`;
    return [...blocks, ...(blocks.length > 0 ? [""] : []), ...skipped, summary].join("\n") + "\n";
}

import { familyOf } from "./addresses";
import { CheckResult } from "./checks";
import { Failures, show } from "./failures";
import { checkHost } from "./host-spec";
import { hostnameErrorOf } from "./hostname";
import { InputReader } from "./inputs";
import { namespaceNameError } from "./names";
import { ownerTagError } from "./ownership";
import type { ServicesSpec } from "../kernel/services";

/** Validates SandboxServices inputs: a namespace, TCP ports and DNS A records. */
export function checkServices(raw: Record<string, unknown>): CheckResult<ServicesSpec> {
    const failures = new Failures();
    const r = new InputReader(raw, "", failures);
    const ports = Array.isArray(raw.ports) ? (raw.ports as unknown[]) : [];
    ports.forEach((p, i) => {
        if (typeof p !== "number" || !Number.isInteger(p) || p < 1 || p > 65535)
            failures.add(`ports[${i}]`, `port ${show(p)} is not a whole number from 1 to 65535`);
    });
    const records = Array.isArray(raw.records) ? (raw.records as Array<{ name?: unknown; address?: unknown }>) : [];
    records.forEach((rec, i) => {
        const labels = typeof rec?.name === "string" ? rec.name.split(".") : [rec?.name];
        labels.forEach((l) => failures.check(`records[${i}].name`, hostnameErrorOf(l, "DNS name label")));
        if (typeof rec?.address !== "string" || familyOf(rec.address) !== 4)
            failures.add(`records[${i}].address`, `${show(rec?.address)} is not an IPv4 address`);
    });
    const spec: ServicesSpec = {
        host: checkHost(raw.host, "host", failures),
        owner: r.string("owner", ownerTagError) ?? "",
        adopt: r.boolean("adopt", false),
        namespace: r.string("namespace", namespaceNameError) ?? "",
        ports: ports as number[],
        records: records.map((rec) => ({
            name: typeof rec?.name === "string" ? rec.name.toLowerCase() : "",
            address: typeof rec?.address === "string" ? rec.address : "",
        })),
    };
    return { spec, failures: failures.all };
}

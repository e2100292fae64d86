import { canonicalIp, destinationError, interfaceAddressError, ipAddressError } from "./addresses";
import { CheckResult } from "./checks";
import { Failures } from "./failures";
import { checkHost } from "./host-spec";
import { InputReader } from "./inputs";
import { AllocationSpec, memberAddressError, poolIdError, subnetOf } from "./ipam";
import { ownerTagError } from "./ownership";

/** Validates AddressAllocation inputs: a pool, a subnet with its gateway, and an optional explicit address. */
export function checkAllocation(raw: Record<string, unknown>): CheckResult<AllocationSpec> {
    const failures = new Failures();
    const r = new InputReader(raw, "", failures);
    const subnet = r.string("subnet", (v) => interfaceAddressError(v) ?? destinationError(v)) ?? "";
    const gateway = r.string("gateway", ipAddressError) ?? "";
    const address = r.optionalString("address", ipAddressError);
    const subnetOk = interfaceAddressError(subnet) === undefined && destinationError(subnet) === undefined;
    if (subnetOk && address !== undefined && ipAddressError(address) === undefined && ipAddressError(gateway) === undefined) {
        failures.check("address", memberAddressError({ subnet, gateway }, address));
    }
    const spec: AllocationSpec = {
        host: checkHost(raw.host, "host", failures),
        owner: r.string("owner", ownerTagError) ?? "",
        adopt: r.boolean("adopt", false),
        pool: r.string("pool", poolIdError) ?? "",
        subnet: subnetOk ? subnetOf(subnet) : subnet,
        gateway: ipAddressError(gateway) === undefined ? canonicalIp(gateway) : gateway,
        member: r.string("member") ?? "",
        address: address !== undefined && ipAddressError(address) === undefined ? canonicalIp(address) : address,
    };
    return { spec, failures: failures.all };
}

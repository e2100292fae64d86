import * as kernel from "../sdk/kernel/allocation";
import { checkAllocation } from "../sdk/model/allocation-check";
import { IDENTITY } from "../sdk/model/diff";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for AddressAllocation: a member's address, persisted in the host's allocation store. */
export = makeProvider<kernel.AllocationState>({
    validate: checkAllocation,
    identity: IDENTITY.allocation,
    id: (s) => `ipam/${s.pool}/${s.member}`,
    create: kernel.createAllocation,
    read: kernel.readAllocation,
    update: kernel.updateAllocation,
    delete: kernel.deleteAllocation,
    retag: kernel.retagAllocation,
});

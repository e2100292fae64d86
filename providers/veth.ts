import * as kernel from "../sdk/kernel/veth";
import { checkVethPair } from "../sdk/model/checks";
import { IDENTITY } from "../sdk/model/diff";
import type { VethPairSpec } from "../sdk/model/specs";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for VethPair. */
export = makeProvider<VethPairSpec>({
    validate: checkVethPair,
    identity: IDENTITY.veth,
    id: ids.vethId,
    create: kernel.createVethPair,
    read: kernel.readVethPair,
    update: kernel.updateVethPair,
    delete: kernel.deleteVethPair,
    retag: kernel.retagVethPair,
});

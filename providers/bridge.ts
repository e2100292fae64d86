import * as kernel from "../sdk/kernel/bridge";
import { checkBridge } from "../sdk/model/checks";
import { IDENTITY } from "../sdk/model/diff";
import type { BridgeSpec } from "../sdk/model/specs";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for Bridge. */
export = makeProvider<BridgeSpec>({
    validate: checkBridge,
    identity: IDENTITY.bridge,
    id: ids.linkId,
    create: kernel.createBridge,
    read: kernel.readBridge,
    update: (_previous, spec) => kernel.updateBridge(spec),
    delete: kernel.deleteBridge,
    retag: kernel.retagBridge,
});

import * as kernel from "../sdk/kernel/vxlan";
import { IDENTITY } from "../sdk/model/diff";
import { VxlanSpec, checkVxlan } from "../sdk/model/vxlan";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for Vxlan. */
export = makeProvider<VxlanSpec>({
    validate: checkVxlan,
    identity: IDENTITY.vxlan,
    id: ids.linkId,
    create: kernel.createVxlan,
    read: kernel.readVxlan,
    update: (_previous, spec) => kernel.updateVxlan(spec),
    delete: kernel.deleteVxlan,
    retag: kernel.retagVxlan,
});

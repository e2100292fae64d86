import * as kernel from "../sdk/kernel/shaping";
import { IDENTITY } from "../sdk/model/diff";
import { ShapingSpec, checkShaping } from "../sdk/model/shaping";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for TrafficShaping. */
export = makeProvider<ShapingSpec>({
    validate: checkShaping,
    identity: IDENTITY.shaping,
    id: ids.shapingId,
    create: kernel.createShaping,
    read: kernel.readShaping,
    update: kernel.updateShaping,
    delete: kernel.deleteShaping,
});

import * as kernel from "../sdk/kernel/route";
import { checkRoute } from "../sdk/model/checks";
import { IDENTITY } from "../sdk/model/diff";
import type { RouteSpec } from "../sdk/model/specs";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for Route; gateway, device and metric change in place. */
export = makeProvider<RouteSpec>({
    validate: checkRoute,
    identity: IDENTITY.route,
    id: ids.routeId,
    create: kernel.createRoute,
    read: kernel.readRoute,
    update: kernel.updateRoute,
    delete: kernel.deleteRoute,
});

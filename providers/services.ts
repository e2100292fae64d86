import * as kernel from "../sdk/kernel/services";
import { IDENTITY } from "../sdk/model/diff";
import { checkServices } from "../sdk/model/services-check";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for SandboxServices: the emulated internet's server process. */
export = makeProvider<kernel.ServicesState>({
    validate: checkServices,
    identity: IDENTITY.services,
    id: (s) => `${s.namespace}/services`,
    create: kernel.createServices,
    read: kernel.readServices,
    update: kernel.updateServices,
    delete: kernel.deleteServices,
    retag: kernel.retagServices,
});

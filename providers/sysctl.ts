import * as kernel from "../sdk/kernel/sysctl";
import { checkSysctl } from "../sdk/model/checks";
import { IDENTITY } from "../sdk/model/diff";
import type { SysctlState } from "../sdk/kernel/sysctl";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for Sysctl; delete restores the value found at create. */
export = makeProvider<SysctlState>({
    validate: checkSysctl,
    identity: IDENTITY.sysctl,
    id: ids.sysctlId,
    create: kernel.createSysctl,
    read: kernel.readSysctl,
    update: kernel.updateSysctl,
    delete: kernel.deleteSysctl,
    retag: kernel.retagSysctl,
});

import * as kernel from "../sdk/kernel/cni";
import { IDENTITY } from "../sdk/model/diff";
import { CniNetworkSpec, checkCniNetwork, conflistPath } from "../sdk/model/cni";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for CniNetwork: one `<dir>/<NN>-<name>.conflist`. */
export = makeProvider<CniNetworkSpec>({
    validate: checkCniNetwork,
    identity: IDENTITY.cniNetwork,
    id: conflistPath,
    create: kernel.createCniNetwork,
    read: kernel.readCniNetwork,
    update: kernel.updateCniNetwork,
    delete: kernel.deleteCniNetwork,
});

import * as kernel from "../sdk/kernel/port-forward";
import { IDENTITY } from "../sdk/model/diff";
import { checkPortForward } from "../sdk/model/port-forward";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for PortForward: DNAT chains in the stack's nftables table. */
export = makeProvider<kernel.PortForwardState>({
    validate: checkPortForward,
    identity: IDENTITY.portForward,
    id: (s) => `${s.namespace ?? s.host.netns ?? "host"}/nft/${s.table}/${s.chains}`,
    create: kernel.createPortForward,
    read: kernel.readPortForward,
    update: kernel.updatePortForward,
    delete: kernel.deletePortForward,
    retag: kernel.retagPortForward,
});

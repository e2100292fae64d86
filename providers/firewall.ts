import * as kernel from "../sdk/kernel/firewall";
import { IDENTITY } from "../sdk/model/diff";
import { checkFirewall } from "../sdk/model/firewall";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for Firewall: this resource's chains in the stack's nftables table. */
export = makeProvider<kernel.FirewallState>({
    validate: checkFirewall,
    identity: IDENTITY.firewall,
    id: (s) => `${s.namespace ?? s.host.netns ?? "host"}/nft/${s.table}/${s.chains}`,
    create: kernel.createFirewall,
    read: kernel.readFirewall,
    update: kernel.updateFirewall,
    delete: kernel.deleteFirewall,
    retag: kernel.retagFirewall,
});

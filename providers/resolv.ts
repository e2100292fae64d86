import * as kernel from "../sdk/kernel/resolv";
import { IDENTITY } from "../sdk/model/diff";
import { checkResolvConf } from "../sdk/model/resolv";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for ResolvConf: /etc/netns/<ns>/resolv.conf and hosts. */
export = makeProvider<kernel.ResolvConfState>({
    validate: checkResolvConf,
    identity: IDENTITY.resolvConf,
    id: (s) => `${kernel.directoryOf(s)}/resolv.conf`,
    create: kernel.createResolvConf,
    read: kernel.readResolvConf,
    update: kernel.updateResolvConf,
    delete: kernel.deleteResolvConf,
});

import * as kernel from "../sdk/kernel/cni-attachment";
import { IDENTITY } from "../sdk/model/diff";
import { checkCniAttachment } from "../sdk/model/cni-exec";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for CniAttachment: the real plugins' ADD, CHECK and DEL. */
export = makeProvider<kernel.CniAttachmentState>({
    validate: checkCniAttachment,
    identity: IDENTITY.cniAttachment,
    id: (s) => `${s.namespace}/${s.ifName}/cni/${s.network.name}`,
    create: kernel.createCniAttachment,
    read: kernel.readCniAttachment,
    update: kernel.updateCniAttachment,
    delete: kernel.deleteCniAttachment,
});

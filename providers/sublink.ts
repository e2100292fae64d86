import * as kernel from "../sdk/kernel/sublink";
import { IDENTITY } from "../sdk/model/diff";
import { SublinkKind, SublinkSpec, checkSublink } from "../sdk/model/sublink";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** The dynamic provider of a Macvlan or an Ipvlan: one lifecycle, the kind decides the check. */
export function sublinkProvider(kind: SublinkKind) {
    return makeProvider<SublinkSpec>({
        validate: (raw) => checkSublink(kind, raw),
        identity: IDENTITY.sublink,
        id: ids.linkId,
        create: kernel.createSublink,
        read: kernel.readSublinkSpec,
        update: (_previous, spec) => kernel.updateSublink(spec),
        delete: kernel.deleteSublink,
    });
}

import * as kernel from "../sdk/kernel/lab-member";
import { IDENTITY } from "../sdk/model/diff";
import { LabMemberState, checkLabMember } from "../sdk/model/lab-member";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for LabMember: a lab member's namespace, address, veth, policy, port forwards and DNS as one resource. */
export = makeProvider<LabMemberState>({
    validate: checkLabMember,
    identity: IDENTITY.labMember,
    id: (s) => `${s.namespace}/member/${s.pool}/${s.member}`,
    create: kernel.createLabMember,
    read: kernel.readLabMember,
    update: kernel.updateLabMember,
    delete: kernel.deleteLabMember,
    retag: kernel.retagLabMember,
});

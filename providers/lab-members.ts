import type * as pulumi from "@pulumi/pulumi";
import * as kernel from "../sdk/kernel/lab-members";
import { diffSpecs } from "../sdk/model/diff";
import { LabMembersState, SET_IDENTITY, checkLabMembers, withoutMemberOutputs } from "../sdk/model/lab-members";
import { check, create, read, remove, update } from "./lifecycle";
import { holdAfterCreate, holdAfterDelete, holdBeforeCreate } from "./test-hold";

type Props = Record<string, unknown>;

/** The test holds, per member: a kill can land between two members of the one resource. */
const hooks: kernel.MemberHooks = { beforeCreate: holdBeforeCreate, afterCreate: holdAfterCreate, afterDelete: holdAfterDelete };

const setId = (s: LabMembersState) => `${s.host.netns ?? "host"}/members/${s.pool}`;

/**
 * Diff of the whole set: a member's change is an update of the set (the
 * update recreates only that member when its identity changed); only a new
 * pool, subnet, table or host replaces the set. The members' outputs
 * (address held, resolv.conf replaced) never diff; a member's `drift` does.
 */
function diff(olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const result = diffSpecs(withoutMemberOutputs(olds), withoutMemberOutputs(news), SET_IDENTITY);
    return Promise.resolve({ changes: result.changes, replaces: [...result.replaces], deleteBeforeReplace: result.replaces.length > 0 });
}

/** Refresh: the live members; their outputs stay out of the inputs, so a preview shows only what the user can change. */
async function readSet(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const result = await read(kernel.readLabMembers, id, props);
    return result.inputs === undefined ? result : { ...result, inputs: withoutMemberOutputs(result.inputs as Props) };
}

/** Dynamic provider for LabMembers: every member of a lab as one resource. */
export = {
    check: (olds: Props, news: Props) => check(checkLabMembers, news, olds),
    diff: (_id: string, olds: Props, news: Props) => diff(olds, news),
    create: (inputs: Props) => create(setId, (spec: LabMembersState) => kernel.createLabMembers(spec, hooks), inputs),
    read: readSet,
    update: (_id: string, olds: Props, news: Props) =>
        update((previous: LabMembersState, spec: LabMembersState) => kernel.updateLabMembers(previous, spec, hooks), olds, news),
    delete: (id: string, props: Props) => remove((state: LabMembersState) => kernel.deleteLabMembers(state, hooks), id, props),
} satisfies pulumi.dynamic.ResourceProvider;

import * as kernel from "../sdk/kernel/address";
import { checkAddress } from "../sdk/model/checks";
import { IDENTITY } from "../sdk/model/diff";
import type { AddressSpec } from "../sdk/model/specs";
import * as ids from "./ids";
import { makeProvider } from "./lifecycle";

/** Dynamic provider for Address; every property is identity, so any change replaces it. */
export = makeProvider<AddressSpec>({
    validate: checkAddress,
    identity: IDENTITY.address,
    id: ids.addressId,
    create: kernel.createAddress,
    read: kernel.readAddress,
    update: () => Promise.resolve(undefined),
    delete: kernel.deleteAddress,
});

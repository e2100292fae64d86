import { sublinkProvider } from "./sublink";

/** Dynamic provider for Macvlan. */
export = sublinkProvider("macvlan");

import { sublinkProvider } from "./sublink";

/** Dynamic provider for Ipvlan. */
export = sublinkProvider("ipvlan");

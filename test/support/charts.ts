import { existsSync } from "fs";
import { join, resolve } from "path";
import { ROOT } from "./engine";

/**
 * The read-only mirror of the upstream charts (shared/charts beside the
 * repository, see its README): `NETPLUMB_CHART_MIRROR` when set, else
 * `<repository>/../shared/charts`, else `/work/shared/charts`. Read by the
 * test harness only, never by the library: tests point components at it as an
 * air-gapped user points at a local mirror. Undefined when none is there.
 */
export function chartMirror(): string | undefined {
    const candidates = [process.env.NETPLUMB_CHART_MIRROR, resolve(ROOT, "..", "shared", "charts"), "/work/shared/charts"];
    return candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, "SOURCES.txt")));
}

/** What changed between a resource's old outputs and its new inputs. */
export interface SpecDiff {
    /** True when anything relevant differs. */
    readonly changes: boolean;
    /** Top-level properties whose change forces a replacement. */
    readonly replaces: readonly string[];
    /** Dotted paths of every changed property, for messages and tests. */
    readonly changed: readonly string[];
}

/** Properties that never cause a diff: `adopt` only matters when creating. */
const IGNORED = new Set(["adopt"]);

/** Flattens nested plain objects into dotted paths; arrays are leaves. */
export function flatten(value: unknown, prefix = "", into = new Map<string, string>()): Map<string, string> {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
            if (prefix === "" && (IGNORED.has(key) || key.startsWith("__"))) continue;
            flatten(child, prefix ? `${prefix}.${key}` : key, into);
        }
    } else if (value !== undefined && value !== null) {
        into.set(prefix, JSON.stringify(value));
    }
    return into;
}

/**
 * Compares two specs. `identity` lists the dotted paths that name the kernel
 * object (its name, its namespace, its host): changing one of them means a
 * new object, so the top-level property goes into `replaces`.
 */
export function diffSpecs(olds: unknown, news: unknown, identity: readonly string[]): SpecDiff {
    const before = flatten(olds);
    const after = flatten(news);
    const paths = new Set([...before.keys(), ...after.keys()]);
    const changed = [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
    const isIdentity = (path: string) => identity.some((id) => path === id || path.startsWith(`${id}.`));
    const replaces = [...new Set(changed.filter(isIdentity).map((p) => p.split(".")[0]))].sort();
    return { changes: changed.length > 0, replaces, changed };
}

/**
 * The parts of `host` that name the machine and namespace: changing one
 * means the object is on another host (a replace). A new user, key or
 * password reaches the same machine, so it is an update.
 */
export const HOST_IDENTITY = ["host.netns", "host.ssh.host", "host.ssh.port"] as const;

/** A member's address store names a machine too: another store means another claim. */
export const ADDRESS_STORE_IDENTITY = ["addressStore.netns", "addressStore.ssh.host", "addressStore.ssh.port"] as const;

/** Identity paths per resource kind: what cannot change in place. */
export const IDENTITY = {
    namespace: ["name", ...HOST_IDENTITY],
    bridge: ["name", "namespace", ...HOST_IDENTITY],
    veth: ["a.name", "a.namespace", "b.name", "b.namespace", ...HOST_IDENTITY],
    address: ["interface", "namespace", "address", ...HOST_IDENTITY],
    route: ["destination", "namespace", ...HOST_IDENTITY],
    sysctl: ["key", "namespace", ...HOST_IDENTITY],
    firewall: ["table", "chains", "namespace", ...HOST_IDENTITY],
    portForward: ["table", "chains", "namespace", ...HOST_IDENTITY],
    resolvConf: ["namespace", ...HOST_IDENTITY],
    allocation: ["pool", "subnet", "member", "address", ...HOST_IDENTITY],
    services: ["namespace", ...HOST_IDENTITY],
    sublink: ["name", "namespace", "parent", "mode", ...HOST_IDENTITY],
    shaping: ["interface", "namespace", ...HOST_IDENTITY],
    vxlan: ["name", "namespace", "vni", "port", "local", "device", "group", ...HOST_IDENTITY],
    cniNetwork: ["name", "priority", "dir", ...HOST_IDENTITY],
    cniAttachment: ["network", "namespace", "ifName", "containerId", "args", "capabilities", ...HOST_IDENTITY],
    labMember: [
        "pool",
        "subnet",
        "member",
        "address",
        "namespace",
        "hostInterface",
        "interface",
        "table",
        "chains",
        ...HOST_IDENTITY,
        ...ADDRESS_STORE_IDENTITY,
    ],
} as const;

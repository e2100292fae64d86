import { Target, hostFor } from "../host/target";
import { ResolvConfSpec, parseHosts, parseResolvConf, renderHosts, renderResolvConf } from "../model/resolv";
import { directoryExists, isMissing, makeDirectories, makeDirectory, readFile, removeEmptyDirectory, removeFile, writeFile, writeFileIn } from "./files";

/** What create found, so delete can put it back. */
export interface ResolvConfState extends ResolvConfSpec {
    /** resolv.conf before create; absent: there was none. */
    readonly previousResolvConf?: string;
    /** hosts before create; absent: there was none. */
    readonly previousHosts?: string;
    /** True when create made /etc/netns/<namespace>/ (delete removes it when empty). */
    readonly createdDirectory: boolean;
}

/** Files live on the host itself, not inside a namespace. */
function target(spec: ResolvConfSpec): Target {
    return new Target(hostFor(spec.host), undefined);
}

/** The parent of every namespace's files; iproute2 reads it but never creates it. */
const ETC_NETNS = "/etc/netns";
/** Marks that netplumb made /etc/netns, so the last delete may remove it again. */
const MARKER_DIR = "/run/netplumb";
const MARKER = `${MARKER_DIR}/created-etc-netns`;

async function ensureEtcNetns(t: Target): Promise<void> {
    if (await directoryExists(t, ETC_NETNS)) return;
    await writeFile(t, MARKER_DIR, MARKER, "netplumb created /etc/netns\n");
    await makeDirectories(t, ETC_NETNS);
}

/** Removes /etc/netns when it is empty and netplumb made it. */
async function releaseEtcNetns(t: Target): Promise<void> {
    if ((await readFile(t, MARKER)) === undefined) return;
    await removeEmptyDirectory(t, ETC_NETNS);
    if (!(await directoryExists(t, ETC_NETNS))) {
        await removeFile(t, MARKER);
        await removeEmptyDirectory(t, MARKER_DIR);
    }
}

/** The namespace's directory of files, `/etc/netns/<namespace>`, which `ip netns exec` bind-mounts over /etc. */
export function directoryOf(spec: Pick<ResolvConfSpec, "namespace">): string {
    return `/etc/netns/${spec.namespace}`;
}

/**
 * Writes the namespace's files. /etc/netns may vanish meanwhile (the last
 * member of another stack leaving removes it when netplumb made it), so the
 * namespace's directory is made without its parents: a vanished /etc/netns
 * is made again, with its marker, and the write retried.
 */
async function writeAll(t: Target, spec: ResolvConfSpec): Promise<void> {
    const dir = directoryOf(spec);
    for (let attempt = 1; ; attempt++) {
        await ensureEtcNetns(t);
        try {
            await makeDirectory(t, dir);
            await writeFileIn(t, `${dir}/resolv.conf`, renderResolvConf(spec));
            if (spec.hosts !== undefined) await writeFileIn(t, `${dir}/hosts`, renderHosts(spec.owner, spec.hosts));
            return;
        } catch (error) {
            if (attempt >= 5 || !isMissing(error)) throw error;
        }
    }
}

/**
 * Records what is there, then writes /etc/netns/<ns>/resolv.conf (and hosts).
 * Equivalent to: `mkdir -p /etc/netns/NS && tee /etc/netns/NS/resolv.conf`.
 */
export async function createResolvConf(spec: ResolvConfSpec): Promise<ResolvConfState> {
    const t = target(spec);
    const dir = directoryOf(spec);
    await ensureEtcNetns(t);
    const existing = await readFile(t, `${dir}/resolv.conf`);
    if (existing?.startsWith(managedHeader(spec))) {
        // Written by an interrupted create of this very resource: nothing was there before it.
        await writeAll(t, spec);
        return { ...spec, createdDirectory: true };
    }
    // A resumed create may have made the directory itself before it was cut off; "created" only lets delete remove it once empty.
    const createdDirectory = spec.resumed === true || !(await directoryExists(t, dir));
    const previousHosts = spec.hosts !== undefined ? await readFile(t, `${dir}/hosts`) : undefined;
    await writeAll(t, spec);
    return { ...spec, previousResolvConf: existing, previousHosts, createdDirectory };
}

/** The first line netplumb writes into a namespace's files, naming the owner. */
function managedHeader(spec: ResolvConfSpec): string {
    return renderResolvConf({ ...spec, nameservers: [], search: [], options: [] }).split("\n")[0];
}

/** The live files parsed back into a spec (edits show as drift); undefined when resolv.conf is gone. */
export async function readResolvConf(state: ResolvConfState): Promise<ResolvConfState | undefined> {
    const t = target(state);
    const text = await readFile(t, `${directoryOf(state)}/resolv.conf`);
    if (text === undefined) return undefined;
    const hostsText = state.hosts !== undefined ? await readFile(t, `${directoryOf(state)}/hosts`) : undefined;
    return { ...state, ...parseResolvConf(text), hosts: state.hosts === undefined ? undefined : parseHosts(hostsText ?? "") };
}

/** Rewrites the files; what create found stays recorded for delete. */
export async function updateResolvConf(previous: ResolvConfState, spec: ResolvConfSpec): Promise<ResolvConfState> {
    const t = target(spec);
    await writeAll(t, spec);
    if (spec.hosts === undefined && previous.hosts !== undefined) await restore(t, `${directoryOf(spec)}/hosts`, previous.previousHosts);
    return { ...spec, previousResolvConf: previous.previousResolvConf, previousHosts: previous.previousHosts, createdDirectory: previous.createdDirectory };
}

async function restore(t: Target, path: string, previous: string | undefined): Promise<void> {
    if (previous === undefined) await removeFile(t, path);
    else await writeFile(t, path.slice(0, path.lastIndexOf("/")), path, previous);
}

/** Puts back what create found: the earlier files, or none; removes the directory it made when empty. */
export async function deleteResolvConf(state: ResolvConfState): Promise<void> {
    const t = target(state);
    const dir = directoryOf(state);
    await restore(t, `${dir}/resolv.conf`, state.previousResolvConf);
    if (state.hosts !== undefined) await restore(t, `${dir}/hosts`, state.previousHosts);
    if (state.createdDirectory) await removeEmptyDirectory(t, dir);
    await releaseEtcNetns(t);
}

import { canonicalIp, ipAddressError } from "./addresses";
import { CheckResult } from "./checks";
import { Failures, show } from "./failures";
import { checkHost } from "./host-spec";
import { InputReader } from "./inputs";
import { namespaceNameError } from "./names";
import { ownerTagError } from "./ownership";
import { ManagedSpec } from "./specs";

/** One line of a namespace's hosts file. */
export interface HostEntry {
    readonly name: string;
    readonly address: string;
}

/** ResolvConf's inputs once checked: what its provider works from. */
export interface ResolvConfSpec extends ManagedSpec {
    /** The namespace: files go to /etc/netns/<namespace>/, which `ip netns exec` bind-mounts over /etc. */
    readonly namespace: string;
    readonly nameservers: readonly string[];
    readonly search: readonly string[];
    readonly options: readonly string[];
    /** When set, /etc/netns/<namespace>/hosts lists these names (plus localhost). */
    readonly hosts?: readonly HostEntry[];
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Why `name` is not a host or domain name (undefined: it is). */
export function hostnameError(name: unknown): string | undefined {
    return typeof name === "string" && HOSTNAME.test(name) ? undefined : `${show(name)} is not a valid host or domain name; use letters, digits, '-' and '.'`;
}

function optionError(option: unknown): string | undefined {
    return typeof option === "string" && /^[a-z][a-z0-9_-]*(:[0-9]{1,4})?$/.test(option)
        ? undefined
        : `resolver option ${show(option)} is malformed; use one such as "ndots:2" or "edns0"`;
}

/** Validates ResolvConf inputs. */
export function checkResolvConf(raw: Record<string, unknown>): CheckResult<ResolvConfSpec> {
    const failures = new Failures();
    const r = new InputReader(raw, "", failures);
    const nameservers = r.strings("nameservers", ipAddressError);
    if (nameservers.length > 3) failures.add("nameservers", `${nameservers.length} nameservers given; the resolver uses at most 3`);
    const hosts = r.has("hosts") ? checkHosts(raw.hosts, failures) : undefined;
    const spec: ResolvConfSpec = {
        host: checkHost(raw.host, "host", failures),
        owner: r.string("owner", ownerTagError) ?? "",
        adopt: r.boolean("adopt", false),
        namespace: r.string("namespace", namespaceNameError) ?? "",
        nameservers: nameservers.map((n) => (ipAddressError(n) === undefined ? canonicalIp(n) : n)),
        search: r.strings("search", hostnameError),
        options: r.strings("options", optionError),
        hosts,
    };
    return { spec, failures: failures.all };
}

function checkHosts(raw: unknown, failures: Failures): HostEntry[] {
    if (!Array.isArray(raw)) {
        failures.add("hosts", `hosts ${show(raw)} must be a list of { name, address }`);
        return [];
    }
    return raw.map((entry, i) => {
        const r = new InputReader((entry ?? {}) as Record<string, unknown>, `hosts[${i}]`, failures);
        const address = r.string("address", ipAddressError) ?? "";
        return { name: r.string("name", hostnameError) ?? "", address: ipAddressError(address) === undefined ? canonicalIp(address) : address };
    });
}

/** The resolv.conf text for a spec. */
export function renderResolvConf(spec: Pick<ResolvConfSpec, "owner" | "nameservers" | "search" | "options">): string {
    return (
        [
            `# Managed by netplumb (${spec.owner}); restored on destroy.`,
            ...spec.nameservers.map((n) => `nameserver ${n}`),
            ...(spec.search.length ? [`search ${spec.search.join(" ")}`] : []),
            ...(spec.options.length ? [`options ${spec.options.join(" ")}`] : []),
        ].join("\n") + "\n"
    );
}

/** The hosts file text: localhost first, then the entries. */
export function renderHosts(owner: string, entries: readonly HostEntry[]): string {
    const lines = [`# Managed by netplumb (${owner}); restored on destroy.`, "127.0.0.1\tlocalhost", "::1\tlocalhost"];
    return [...lines, ...entries.map((e) => `${e.address}\t${e.name}`)].join("\n") + "\n";
}

/** Parses resolv.conf text into nameservers, search domains and options. */
export function parseResolvConf(text: string): Pick<ResolvConfSpec, "nameservers" | "search" | "options"> {
    const words = text
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .filter((w) => w[0] && !w[0].startsWith("#"));
    const values = (key: string) => words.filter((w) => w[0] === key).flatMap((w) => w.slice(1));
    return { nameservers: values("nameserver"), search: values("search"), options: values("options") };
}

/** Parses hosts text into entries, leaving out localhost lines. */
export function parseHosts(text: string): HostEntry[] {
    return text
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .filter((w) => w.length >= 2 && !w[0].startsWith("#") && w[1] !== "localhost")
        .map((w) => ({ address: w[0], name: w[1] }));
}

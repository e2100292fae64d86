import { execFileSync } from "child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "fs";

/** Runs argv (no shell) and returns stdout; `input` goes to stdin. */
export function run(argv: string[], input?: string): string {
    return execFileSync(argv[0], argv.slice(1), { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

/** The sandboxed lab doctor is tried on: its namespaces, bridge, table and members' interfaces, from the stack's outputs. */
export interface DoctorLab {
    readonly prefix: string;
    /** The lab's host namespace (`<prefix>-host`) and the emulated internet's (`<prefix>-inet`). */
    readonly host: string;
    readonly inet: string;
    readonly bridge: string;
    readonly member: (name: string) => { namespace: string; hostInterface: string; address: string };
}

/** One way to break the lab, what doctor must name for it, and how to put it back exactly. */
export interface Break {
    readonly name: string;
    /** Exactly the findings doctor must report: [id, member?]. */
    readonly expect: Array<[string, string?]>;
    readonly apply: () => void;
    readonly repair: () => void;
}

const inHost = (lab: DoctorLab, argv: string[]) => ["ip", "netns", "exec", lab.host, ...argv];

/** The handle and text of the first rule in the host's ruleset matching `pattern`, in a chain whose name ends with `chainSuffix`. */
function findRule(lab: DoctorLab, pattern: RegExp, chainSuffix = ""): { chain: string[]; text: string; handle: string } {
    let table: string[] = [];
    let chain: string[] = [];
    for (const line of run(inHost(lab, ["nft", "-a", "list", "ruleset"])).split("\n")) {
        const t = /^table (\S+) (\S+) \{/.exec(line.trim());
        const c = /^chain (\S+) \{/.exec(line.trim());
        if (t) table = [t[1], t[2]];
        if (c) chain = [...table, c[1]];
        const rule = /^(.*) # handle (\d+)$/.exec(line.trim());
        if (rule && pattern.test(rule[1]) && chain[2]?.endsWith(chainSuffix)) return { chain, text: rule[1], handle: rule[2] };
    }
    throw new Error(`no rule matches ${pattern} in ${lab.host}`);
}

/** Deletes a rule and returns how to add it back (same chain, same text). */
function removeRule(lab: DoctorLab, pattern: RegExp, chainSuffix = ""): () => void {
    const rule = findRule(lab, pattern, chainSuffix);
    run(inHost(lab, ["nft", "delete", "rule", ...rule.chain, "handle", rule.handle]));
    return () => run(inHost(lab, ["nft", "-f", "-"]), `add rule ${rule.chain.join(" ")} ${rule.text}\n`);
}

/** The host's default route as `ip route add` arguments (gateway, device and protocol kept). */
function defaultRouteArgs(namespace: string): string[] {
    const [route] = JSON.parse(run(["ip", "-n", namespace, "-j", "route", "show", "default"])) as Array<{ gateway: string; dev: string; protocol?: string }>;
    return ["default", "via", route.gateway, "dev", route.dev, ...(route.protocol && route.protocol !== "boot" ? ["proto", route.protocol] : [])];
}

/** A sysctl's value in a namespace. */
const sysctl = (namespace: string, key: string) => run(["ip", "netns", "exec", namespace, "sysctl", "-n", key]).trim();
const setSysctl = (namespace: string, key: string, value: string) => run(["ip", "netns", "exec", namespace, "sysctl", "-q", "-w", `${key}=${value}`]);

/** Moves a file aside and back. */
function aside(path: string): { apply: () => void; repair: () => void } {
    return { apply: () => renameSync(path, `${path}.doctor-test`), repair: () => existsSync(`${path}.doctor-test`) && renameSync(`${path}.doctor-test`, path) };
}

/**
 * Every break doctor is proven against, on the lab of test/e2e/doctor.test.ts
 * (red: egress allow, port forward 8080 → 80 with a listener the test
 * starts; blue: egress tcp/80,443 + udp/53; green: deny/deny). Each touches
 * only the sandbox's namespaces and puts back exactly what it changed.
 */
export function doctorBreaks(lab: DoctorLab): Break[] {
    // Members are looked up when a break runs: the lab exists only by then.
    const red = () => lab.member("red");
    const blue = () => lab.member("blue");
    const green = () => lab.member("green");
    let restore: () => void = () => undefined;
    const hostDefault = () => defaultRouteArgs(lab.host);
    const resolvOf = (ns: string) => `/etc/netns/${ns}/resolv.conf`;
    let savedResolv = "";
    let savedRp: string[] = [];
    const rpKeys = ["net.ipv4.conf.all.rp_filter", `net.ipv4.conf.${lab.bridge}.rp_filter`];
    const intruder = `${lab.prefix}-intruder`;
    return [
        {
            name: "IP forwarding turned off on the host",
            expect: [["ip-forward-off"]],
            apply: () => setSysctl(lab.host, "net.ipv4.ip_forward", "0"),
            repair: () => setSysctl(lab.host, "net.ipv4.ip_forward", "1"),
        },
        {
            name: "the uplink set down (the kernel drops the default route with it)",
            expect: [["uplink-down"]],
            apply: () => {
                const args = hostDefault();
                restore = () => run(["ip", "-n", lab.host, "route", "replace", ...args]);
                run(["ip", "-n", lab.host, "link", "set", "wan0", "down"]);
            },
            repair: () => {
                run(["ip", "-n", lab.host, "link", "set", "wan0", "up"]);
                restore();
            },
        },
        {
            name: "the host's default route deleted",
            expect: [["no-host-default-route"]],
            apply: () => {
                const args = hostDefault();
                restore = () => run(["ip", "-n", lab.host, "route", "replace", ...args]);
                run(["ip", "-n", lab.host, "route", "del", "default"]);
            },
            repair: () => restore(),
        },
        {
            name: "the lab's masquerade rule deleted",
            expect: [["no-masquerade"]],
            apply: () => (restore = removeRule(lab, /masquerade/)),
            repair: () => restore(),
        },
        {
            name: "a table with a FORWARD DROP policy added, as Docker does",
            expect: [["forward-drop-policy"]],
            apply: () =>
                run(
                    inHost(lab, ["nft", "-f", "-"]),
                    "add table ip npdoctor_filter\nadd chain ip npdoctor_filter FORWARD { type filter hook forward priority filter; policy drop; }\n",
                ),
            repair: () => run(inHost(lab, ["nft", "delete", "table", "ip", "npdoctor_filter"])),
        },
        {
            name: "blue's default route deleted",
            expect: [["no-member-default-route", "blue"]],
            apply: () => {
                const args = defaultRouteArgs(blue().namespace);
                restore = () => run(["ip", "-n", blue().namespace, "route", "replace", ...args]);
                run(["ip", "-n", blue().namespace, "route", "del", "default"]);
            },
            repair: () => restore(),
        },
        {
            name: "red's bridge port moved to another bridge",
            expect: [["on-another-bridge", "red"]],
            apply: () => {
                run(["ip", "-n", lab.host, "link", "add", "br-doctor", "type", "bridge"]);
                run(["ip", "-n", lab.host, "link", "set", "br-doctor", "up"]);
                run(["ip", "-n", lab.host, "link", "set", red().hostInterface, "master", "br-doctor"]);
            },
            repair: () => {
                run(["ip", "-n", lab.host, "link", "set", red().hostInterface, "master", lab.bridge]);
                run(["ip", "-n", lab.host, "link", "del", "br-doctor"]);
            },
        },
        {
            name: "green's bridge port set down",
            expect: [["bridge-port-down", "green"]],
            apply: () => run(["ip", "-n", lab.host, "link", "set", green().hostInterface, "down"]),
            repair: () => run(["ip", "-n", lab.host, "link", "set", green().hostInterface, "up"]),
        },
        {
            name: "red's bridge port given a smaller MTU",
            expect: [["mtu-mismatch", "red"]],
            apply: () => run(["ip", "-n", lab.host, "link", "set", red().hostInterface, "mtu", "1400"]),
            repair: () => run(["ip", "-n", lab.host, "link", "set", red().hostInterface, "mtu", "1500"]),
        },
        {
            name: "an unmanaged namespace on the bridge holding blue's address",
            expect: [["duplicate-address", "blue"]],
            apply: () => {
                const port = `vdoc${lab.prefix.slice(-6)}`;
                run(["ip", "netns", "add", intruder]);
                run(["ip", "-n", lab.host, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", intruder]);
                run(["ip", "-n", lab.host, "link", "set", port, "master", lab.bridge, "up"]);
                run(["ip", "-n", intruder, "address", "add", `${blue().address}/24`, "dev", "eth0"]);
                run(["ip", "-n", intruder, "link", "set", "eth0", "up"]);
            },
            repair: () => run(["ip", "netns", "delete", intruder]),
        },
        {
            name: "ARP turned off on red's interface",
            expect: [["arp-failure", "red"]],
            apply: () => run(["ip", "-n", red().namespace, "link", "set", "eth0", "arp", "off"]),
            repair: () => run(["ip", "-n", red().namespace, "link", "set", "eth0", "arp", "on"]),
        },
        {
            name: "strict rp_filter on the host with blue's address routed out the uplink",
            expect: [["rp-filter-drop", "blue"]],
            apply: () => {
                savedRp = rpKeys.map((k) => sysctl(lab.host, k));
                rpKeys.forEach((k) => setSysctl(lab.host, k, "1"));
                run(["ip", "-n", lab.host, "route", "add", `${blue().address}/32`, "dev", "wan0"]);
            },
            repair: () => {
                run(["ip", "-n", lab.host, "route", "del", `${blue().address}/32`, "dev", "wan0"]);
                rpKeys.forEach((k, i) => setSysctl(lab.host, k, savedRp[i]));
            },
        },
        {
            name: "blue's resolv.conf removed",
            expect: [["resolv-missing", "blue"]],
            apply: () => aside(resolvOf(blue().namespace)).apply(),
            repair: () => aside(resolvOf(blue().namespace)).repair(),
        },
        {
            name: "red's resolv.conf pointed at an address where no server answers",
            expect: [["dns-server-unreachable", "red"]],
            apply: () => {
                savedResolv = readFileSync(resolvOf(red().namespace), "utf8");
                writeFileSync(resolvOf(red().namespace), "nameserver 203.0.113.99\n");
            },
            repair: () => writeFileSync(resolvOf(red().namespace), savedResolv),
        },
        {
            name: "the emulated internet's DNS server made silent (its queries dropped there)",
            expect: [
                ["dns-not-answering", "red"],
                ["dns-not-answering", "blue"],
            ],
            apply: () =>
                run(
                    ["ip", "netns", "exec", lab.inet, "nft", "-f", "-"],
                    "add table inet npdoctor_silence\nadd chain inet npdoctor_silence input { type filter hook input priority filter; policy accept; }\nadd rule inet npdoctor_silence input udp dport 53 drop\nadd rule inet npdoctor_silence input tcp dport 53 drop\n",
                ),
            repair: () => run(["ip", "netns", "exec", lab.inet, "nft", "delete", "table", "inet", "npdoctor_silence"]),
        },
        {
            name: "green's egress drop rule deleted (its deny no longer enforced)",
            expect: [["policy-not-enforced", "green"]],
            apply: () => (restore = removeRule(lab, new RegExp(`saddr ${green().address.replace(/\./g, "\\.")} drop`))),
            repair: () => restore(),
        },
        {
            name: "red's port forward's DNAT rule deleted",
            expect: [["forward-no-dnat", "red"]],
            apply: () => (restore = removeRule(lab, new RegExp(`dport 8080 .*dnat ip to ${red().address.replace(/\./g, "\\.")}:80`), "_prerouting")),
            repair: () => restore(),
        },
    ];
}

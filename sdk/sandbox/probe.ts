/**
 * Runs reachability probes from inside a namespace (started as
 * `ip netns exec NS node probe.js '<json>'`, or on another host as
 * `node -e '<this file>; main(process.argv[1])' '<json>'`) and prints a JSON
 * array of booleans, one per probe. Bounded: every probe times out after ~2 s.
 * Needs nothing but Node.js and `ping`.
 */
import { execFile } from "child_process";
import { promises as dns } from "dns";
import { connect } from "net";

/** One reachability probe: a ping, a TCP connect, or a DNS lookup. */
export type Probe =
    | { readonly kind: "ping"; readonly address: string }
    | { readonly kind: "tcp"; readonly address: string; readonly port: number }
    | { readonly kind: "dns"; readonly name: string }
    /** Does this DNS server answer at all (any reply, NXDOMAIN included)? */
    | { readonly kind: "dns-server"; readonly server: string; readonly name: string };

const TIMEOUT_MS = 2000;

function ping(address: string): Promise<boolean> {
    return new Promise((resolve) => execFile("ping", ["-c", "1", "-W", "2", address], (error) => resolve(!error)));
}

function tcp(address: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = connect({ host: address, port, timeout: TIMEOUT_MS });
        const finish = (ok: boolean) => {
            socket.destroy();
            resolve(ok);
        };
        socket.once("connect", () => finish(true));
        socket.once("timeout", () => finish(false));
        socket.once("error", () => finish(false));
    });
}

async function lookup(name: string): Promise<boolean> {
    const resolver = new dns.Resolver({ timeout: TIMEOUT_MS, tries: 1 });
    try {
        return (await resolver.resolve4(name)).length > 0;
    } catch {
        return false;
    }
}

/** Error codes of a lookup the server did answer (with no address, an error, or a refusal). */
const ANSWERED = new Set(["ENOTFOUND", "ENODATA", "ESERVFAIL", "EREFUSED", "EFORMERR", "ENOTIMP"]);

async function serverAnswers(server: string, name: string): Promise<boolean> {
    const resolver = new dns.Resolver({ timeout: TIMEOUT_MS, tries: 1 });
    resolver.setServers([server]);
    try {
        await resolver.resolve4(name);
        return true;
    } catch (error) {
        return ANSWERED.has((error as { code?: string }).code ?? "");
    }
}

/** Runs one probe; true when it got through (each gives up after about 2 s). */
export function runProbe(probe: Probe): Promise<boolean> {
    if (probe.kind === "ping") return ping(probe.address);
    if (probe.kind === "tcp") return tcp(probe.address, probe.port);
    if (probe.kind === "dns-server") return serverAnswers(probe.server, probe.name);
    return lookup(probe.name);
}

/** Runs the probes given as JSON and prints their results as a JSON array. */
export function main(probesJson: string | undefined): void {
    const probes = JSON.parse(probesJson ?? "[]") as Probe[];
    void Promise.all(probes.map(runProbe)).then((results) => process.stdout.write(JSON.stringify(results)));
}

if (require.main === module) main(process.argv[2]);

import { HostSpec } from "../model/host-spec";
import { assertNftScript, batchInput } from "../model/script-safety";
import { CommandError, CommandResult, classify } from "./errors";
import { Host, RunOptions } from "./host";
import { LocalHost } from "./local";
import { sshHostFor } from "./ssh";

/**
 * A host plus the network namespace operations target. `netns` undefined
 * means the host's own namespace; for a host that is itself a namespace
 * (`{ netns: "sbx" }`), that is "sbx".
 */
export class Target {
    constructor(
        readonly host: Host,
        readonly netns: string | undefined,
    ) {}

    /** The same host, another namespace (undefined: the host's own). */
    in(namespace: string | undefined, hostSpec: HostSpec): Target {
        return new Target(this.host, namespace ?? hostSpec.netns);
    }

    /** argv for iproute2 in this namespace: `ip [-n NS] ARGS...`. */
    ipArgv(args: readonly string[]): string[] {
        return this.netns ? ["ip", "-n", this.netns, ...args] : ["ip", ...args];
    }

    /** argv for any other program in this namespace: `[ip netns exec NS] ARGS...`. */
    execArgv(args: readonly string[]): string[] {
        return this.netns ? ["ip", "netns", "exec", this.netns, ...args] : [...args];
    }

    /** Runs `ip ARGS` here; throws a classified CommandError on failure. */
    ip(args: readonly string[], options?: RunOptions): Promise<CommandResult> {
        return run(this.host, this.ipArgv(args), options);
    }

    /** Runs several `ip` commands in one process (`ip -batch -`), stopping at the first error. */
    ipBatch(lines: readonly string[][]): Promise<CommandResult> {
        if (lines.length === 1) return this.ip(lines[0]);
        return this.ip(["-batch", "-"], { input: batchInput(lines) });
    }

    /** Runs a program inside this namespace; throws a classified CommandError on failure. */
    exec(args: readonly string[], options?: RunOptions): Promise<CommandResult> {
        return run(this.host, this.execArgv(args), options);
    }

    /** Runs an nft script in one transaction (`nft -f -`), each line checked to be exactly one statement. */
    nftScript(script: string): Promise<CommandResult> {
        return this.exec(["nft", "-f", "-"], { input: assertNftScript(script) });
    }
}

/** Runs argv on host and throws a classified CommandError when it fails. */
export async function run(host: Host, argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    const result = await host.exec(argv, options);
    if (result.code !== 0) {
        throw new CommandError(classify(result.stderr), argv, result);
    }
    return result;
}

/** Makes the executor for a host spec. */
export type HostFactory = (spec: HostSpec) => Host;

const machineHost: HostFactory = (spec) => (spec.ssh ? sshHostFor(spec.ssh) : new LocalHost());
let factory: HostFactory = machineHost;

/** The executor for a host spec: this machine, or another over SSH (one connection per machine). */
export function hostFor(spec: HostSpec): Host {
    return factory(spec);
}

/**
 * Replaces the executor factory (the side-effect seam for tests: recording
 * and fault-injecting hosts). Returns a function that restores the previous one.
 */
export function useHostFactory(next: HostFactory): () => void {
    const previous = factory;
    factory = next;
    return () => {
        factory = previous;
    };
}

/** The target for a resource: its host, in `namespace` or the host's own namespace. */
export function targetFor(spec: HostSpec, namespace?: string): Target {
    return new Target(hostFor(spec), namespace ?? spec.netns);
}

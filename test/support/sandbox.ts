import { execFileSync } from "child_process";
import { readdirSync } from "fs";
import { runTag } from "./suite";

/** Runs `ip` with argv (no shell) and returns stdout. */
export function ip(...args: string[]): string {
    return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Names of the network namespaces on this machine (/run/netns). */
export function namespaces(): string[] {
    try {
        return readdirSync("/run/netns").sort();
    } catch {
        return [];
    }
}

/** Interface names in a namespace, or [] when it does not exist. */
export function links(netns: string): string[] {
    try {
        return (JSON.parse(ip("-n", netns, "-j", "link", "show")) as Array<{ ifname: string }>).map((l) => l.ifname).sort();
    } catch {
        return [];
    }
}

/**
 * A throwaway sandbox: a host namespace `npt-<tag>-host` made with plain `ip`
 * (not by the code under test) plus any namespace names handed out by
 * `name()`. `destroy()` removes exactly those names and nothing else.
 */
export class Sandbox {
    readonly tag = runTag();
    readonly host: string;
    private readonly names = new Set<string>();

    constructor(readonly prefix = "npt") {
        this.host = this.name("host");
        ip("netns", "add", this.host);
        ip("-n", this.host, "link", "set", "dev", "lo", "up");
    }

    /** A unique namespace name for this sandbox, registered for cleanup. */
    name(role: string): string {
        const name = `${this.prefix}-${this.tag}-${role}`;
        this.names.add(name);
        return name;
    }

    /** Creates an unmanaged namespace (as a neighbour would) and returns its name. */
    foreignNamespace(role: string): string {
        const name = this.name(role);
        ip("netns", "add", name);
        return name;
    }

    /** Deletes every namespace this sandbox named, by exact name. */
    destroy(): void {
        for (const name of this.names) {
            if (namespaces().includes(name)) ip("netns", "del", name);
        }
    }
}

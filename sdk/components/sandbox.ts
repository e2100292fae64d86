import * as pulumi from "@pulumi/pulumi";
import { NetworkNamespace } from "../resources/namespace";
import { Route } from "../resources/route";
import { SandboxServices } from "../resources/services";
import { VethPair } from "../resources/veth";

/** The inputs of a `Sandbox`. */
export interface SandboxArgs {
    /** Prefix of the two namespace names (`<prefix>-host`, `<prefix>-inet`). */
    readonly prefix: string;
    /** The emulated internet's /24, from a documentation range. Default "203.0.113". */
    readonly internet?: string;
    /** Names the emulated internet's DNS answers, all with its own address. Default example.test and www.example.test. */
    readonly dnsNames?: readonly string[];
}

/**
 * A machine inside the machine: a host namespace for a lab, next to an
 * uplink namespace standing in for the internet (documentation addresses;
 * TCP 80, 443 and 22 and DNS served by a process netplumb starts and stops).
 * The host's uplink is `wan0` with a default route to the internet.
 */
export class Sandbox extends pulumi.ComponentResource {
    /** The host namespace: pass `{ netns: sandbox.hostNetns }` as `host`. */
    public readonly hostNetns: pulumi.Output<string>;
    public readonly uplinkInterface = "wan0";
    /** The emulated internet's address (web, ssh and DNS server). */
    public readonly internetAddress: string;
    public readonly dnsNames: readonly string[];

    constructor(name: string, args: SandboxArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netplumb:sandbox:Sandbox", name, {}, opts);
        const net = args.internet ?? "203.0.113";
        this.internetAddress = `${net}.1`;
        this.dnsNames = args.dnsNames ?? ["example.test", "www.example.test"];
        const child = { parent: this };
        const hostNs = new NetworkNamespace(`${name}-host`, { name: `${args.prefix}-host` }, child);
        const inet = new NetworkNamespace(`${name}-inet`, { name: `${args.prefix}-inet` }, child);
        const link = new VethPair(
            `${name}-uplink`,
            {
                host: { netns: hostNs.name },
                a: { name: this.uplinkInterface, addresses: [`${net}.2/24`] },
                b: { name: "eth0", namespace: inet.name, addresses: [`${this.internetAddress}/24`] },
            },
            child,
        );
        new Route(
            `${name}-default`,
            { host: { netns: hostNs.name }, destination: "default", via: this.internetAddress, device: this.uplinkInterface },
            { ...child, dependsOn: link },
        );
        new SandboxServices(
            `${name}-services`,
            { namespace: inet.name, records: this.dnsNames.map((n) => ({ name: n, address: this.internetAddress })) },
            { ...child, dependsOn: link },
        );
        this.hostNetns = hostNs.name;
        this.registerOutputs({ hostNetns: this.hostNetns, internetAddress: this.internetAddress });
    }
}

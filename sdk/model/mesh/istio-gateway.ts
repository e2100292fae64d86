import { Failures, show } from "../failures";
import { portError } from "../cluster/gateway";
import { dns1123LabelError, labelsError } from "../cluster/labels";
import { ISTIO_API, MESH_PROTOCOLS, MeshObject, VirtualServiceInput, meshHostError } from "./istio";

/** TLS modes of a Gateway server. */
export const GATEWAY_TLS_MODES = ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"] as const;

/** One server of an Istio Gateway: a port, the hosts it exposes, and TLS. */
export interface GatewayServerInput {
    readonly port: { readonly number: number; readonly name: string; readonly protocol: string };
    /** Hosts exposed, each a host or `namespace/host` (`*` for any); e.g. `["bookinfo.example.com"]` or `["*"]`. */
    readonly hosts: readonly string[];
    /**
     * TLS settings. HTTPS and TLS servers need a mode; SIMPLE and MUTUAL need
     * `credentialName` (a Secret in the gateway pod's namespace). An HTTP
     * server may set `httpsRedirect`.
     */
    readonly tls?: { readonly mode?: (typeof GATEWAY_TLS_MODES)[number]; readonly credentialName?: string; readonly httpsRedirect?: boolean };
}

/** An Istio Gateway (networking.istio.io/v1): which gateway pods (by labels) serve which ports and hosts. */
export interface IstioGatewayInput {
    readonly name: string;
    readonly namespace: string;
    /** The gateway pods' labels, e.g. `{ istio: "ingressgateway" }`. Required: an empty selector binds every gateway pod in the mesh. */
    readonly selector: Readonly<Record<string, string>>;
    readonly servers: readonly GatewayServerInput[];
}

/** Why a server host (`host` or `namespace/host`) is invalid, or undefined. */
function serverHostError(entry: string): string | undefined {
    const slash = entry.indexOf("/");
    if (slash < 0) return meshHostError(entry);
    const [namespace, host] = [entry.slice(0, slash), entry.slice(slash + 1)];
    if (namespace !== "*" && namespace !== "." && dns1123LabelError(namespace) !== undefined)
        return `${show(entry)} names namespace ${show(namespace)}, which is not a namespace name, "*" or "."`;
    return meshHostError(host);
}

/** Checks one server's port, hosts and TLS settings. */
function checkServer(server: GatewayServerInput, at: (p: string) => string, failures: Failures): void {
    const protocol = server.port.protocol;
    failures.check(at("port.number"), portError(server.port.number));
    failures.check(at("port.name"), dns1123LabelError(server.port.name));
    if (!(MESH_PROTOCOLS as readonly string[]).includes(protocol))
        failures.add(at("port.protocol"), `${show(protocol)} is not one of ${MESH_PROTOCOLS.join(", ")}`);
    if (server.hosts.length === 0) failures.add(at("hosts"), 'a server needs at least one host, e.g. ["bookinfo.example.com"] or ["*"]');
    server.hosts.forEach((h, i) => failures.check(at(`hosts[${i}]`), serverHostError(h)));
    const mode = server.tls?.mode;
    if ((protocol === "HTTPS" || protocol === "TLS") && mode === undefined)
        failures.add(at("tls.mode"), `a ${protocol} server needs tls.mode, e.g. SIMPLE with a credentialName, or PASSTHROUGH for TLS`);
    if (mode !== undefined && !(GATEWAY_TLS_MODES as readonly string[]).includes(mode))
        failures.add(at("tls.mode"), `${show(mode)} is not one of ${GATEWAY_TLS_MODES.join(", ")}`);
    if ((mode === "SIMPLE" || mode === "MUTUAL") && !server.tls?.credentialName)
        failures.add(at("tls.credentialName"), `tls.mode ${mode} needs credentialName: the Secret holding the certificate and key`);
    if ((mode === "PASSTHROUGH" || mode === "AUTO_PASSTHROUGH") && protocol !== "TLS")
        failures.add(at("tls.mode"), `${mode} forwards TLS unterminated, so the port's protocol must be TLS, not ${show(protocol)}`);
    if (server.tls?.httpsRedirect && protocol !== "HTTP")
        failures.add(at("tls.httpsRedirect"), `httpsRedirect answers plain HTTP with a redirect; it belongs on an HTTP server, not ${show(protocol)}`);
}

/**
 * Checks an Istio Gateway: names, a selector with valid labels, and servers
 * consistent with each other: unique port names, one protocol per port
 * number, no host exposed twice on one port, TLS settings that fit the
 * protocol.
 */
export function checkIstioGateway(gw: IstioGatewayInput, path = ""): Failures {
    const at = (p: string) => (path ? `${path}.${p}` : p);
    const failures = new Failures();
    failures.check(at("name"), dns1123LabelError(gw.name));
    failures.check(at("namespace"), dns1123LabelError(gw.namespace));
    failures.check(at("selector"), labelsError(gw.selector));
    if (Object.keys(gw.selector).length === 0)
        failures.add(at("selector"), 'an empty selector binds every gateway pod in the mesh; name the pods, e.g. { istio: "ingressgateway" }');
    if (gw.servers.length === 0) failures.add(at("servers"), 'a Gateway needs at least one server, e.g. port { number: 80, name: "http", protocol: "HTTP" }');
    gw.servers.forEach((server, i) => {
        const s = (p: string) => at(`servers[${i}].${p}`);
        checkServer(server, s, failures);
        const earlier = gw.servers.slice(0, i);
        if (earlier.some((o) => o.port.name === server.port.name))
            failures.add(s("port.name"), `${show(server.port.name)} is used by an earlier server; port names must be unique in a Gateway`);
        const samePort = earlier.filter((o) => o.port.number === server.port.number);
        const clash = samePort.find((o) => o.port.protocol !== server.port.protocol);
        if (clash !== undefined)
            failures.add(s("port.protocol"), `port ${server.port.number} is ${clash.port.protocol} on an earlier server; one port number carries one protocol`);
        server.hosts.forEach((h, k) => {
            if (samePort.some((o) => o.hosts.includes(h)))
                failures.add(s(`hosts[${k}]`), `${show(h)} is already exposed on port ${server.port.number} by an earlier server`);
        });
    });
    return failures;
}

/** True when a gateway server's host pattern (`*`, `*.example.com`, `example.com`, optionally `namespace/`) covers `host`. */
export function serverHostCovers(pattern: string, host: string): boolean {
    const name = pattern.includes("/") ? pattern.slice(pattern.indexOf("/") + 1) : pattern;
    if (name === "*") return true;
    const wild = (p: string) => p.startsWith("*.");
    if (wild(name) && wild(host)) return host.slice(1).endsWith(name.slice(1));
    if (wild(name)) return host.endsWith(name.slice(1));
    if (wild(host)) return name.endsWith(host.slice(1));
    return name === host;
}

/**
 * Checks the VirtualServices (each with its property path) bound only to
 * Gateways declared beside them: each host must be exposed by a server of
 * one of those gateways, or the route matches no request at all. A
 * VirtualService bound to the mesh (no `gateways`, or `mesh` among them) or
 * to a gateway declared elsewhere is not held to this.
 */
export function checkGatewayBindings(virtualServices: ReadonlyArray<readonly [VirtualServiceInput, string]>, gateways: readonly IstioGatewayInput[]): Failures {
    const failures = new Failures();
    for (const [vs, path] of virtualServices) {
        const refs = vs.gateways ?? [];
        const bound = refs.map((ref) => {
            const [namespace, name] = ref.includes("/") ? ref.split("/", 2) : [vs.namespace, ref];
            return gateways.find((gw) => gw.name === name && gw.namespace === namespace);
        });
        if (refs.length === 0 || bound.some((gw) => gw === undefined)) continue;
        const exposed = bound.flatMap((gw) => gw!.servers.flatMap((s) => s.hosts));
        const names = bound.map((gw) => `${gw!.namespace}/${gw!.name}`).join(", ");
        vs.hosts.forEach((host, h) => {
            if (!exposed.some((pattern) => serverHostCovers(pattern, host)))
                failures.add(
                    `${path}.hosts[${h}]`,
                    `${show(host)} is exposed by none of its gateways (${names}: hosts ${exposed.join(", ")}), so this route matches nothing; add it to a server's hosts or bind the VirtualService to "mesh"`,
                );
        });
    }
    return failures;
}

/** The Gateway (networking.istio.io/v1) for valid input. */
export function compileIstioGateway(gw: IstioGatewayInput): MeshObject {
    return {
        apiVersion: ISTIO_API,
        kind: "Gateway",
        metadata: { name: gw.name, namespace: gw.namespace },
        spec: {
            selector: { ...gw.selector },
            servers: gw.servers.map((s) => ({
                port: { number: s.port.number, name: s.port.name, protocol: s.port.protocol },
                hosts: [...s.hosts],
                ...(s.tls ? { tls: { ...s.tls } } : {}),
            })),
        },
    };
}

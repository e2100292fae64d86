import * as pulumi from "@pulumi/pulumi";
import { join } from "path";

/** Module part of every netplumb type token: `pulumi-nodejs:dynamic/netplumb:<Name>`. */
export const MODULE = "netplumb";

/**
 * The `__provider` text Pulumi's dynamic-provider host loads for a kind:
 * `exports.handler = () => require("netplumb/dist/providers/veth.js")`. Written
 * here rather than produced by Pulumi's closure serializer, which costs about
 * a second of inspector work per program run and ~400 bytes more per resource
 * (twice: in its inputs and its outputs). Outside node_modules (a checkout)
 * the absolute path is used.
 */
export function providerSource(kind: string): string {
    return sourceRequiring(require.resolve(join(__dirname, "..", "..", "providers", kind)));
}

/** `exports.handler = () => require(M)`, M the file's package path when it is under node_modules. */
export function sourceRequiring(file: string): string {
    const at = file.lastIndexOf("/node_modules/");
    const module = at >= 0 ? file.slice(at + "/node_modules/".length) : file;
    return `exports.handler = () => require(${JSON.stringify(module)});\n`;
}

/**
 * Every netplumb resource: a Pulumi dynamic resource (type
 * `pulumi-nodejs:dynamic/netplumb:<Type>`) whose provider is the module
 * `providers/<kind>`, so state carries a `require` of it and not its code.
 */
export abstract class NetplumbResource extends pulumi.CustomResource {
    protected constructor(kind: string, type: string, name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(`pulumi-nodejs:dynamic/${MODULE}:${type}`, name, { ...inputs, __provider: providerSource(kind) }, opts);
    }
}

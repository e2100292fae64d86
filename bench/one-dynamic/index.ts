// One dynamic resource whose provider does nothing: what any dynamic
// provider costs per command (the engine, the program, and the provider
// process loading @pulumi/pulumi) before any work of its own. Its provider is
// given as a `require` of provider.js, as netplumb's are, so the closure
// serializer does not run either.
import * as pulumi from "@pulumi/pulumi";
import { join } from "path";

const provider = `exports.handler = () => require(${JSON.stringify(join(__dirname, "provider.js"))});\n`;

class Nothing extends pulumi.CustomResource {
    constructor(name: string) {
        super("pulumi-nodejs:dynamic/bench:Nothing", name, { __provider: provider });
    }
}

new Nothing("nothing");

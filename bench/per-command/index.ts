// The benchmark lab as users write it with @pulumi/command's local.Command:
// one resource per operation (a command, a directory, a file), each after
// the previous one of its member and after the host's. @pulumi/command's
// provider cannot be built on these machines, so `Command` is an equivalent
// dynamic resource: it runs one argv on create and its `undo` argv (if any)
// on delete. Reads the operations from operations.json, written by
// bench/peers.ts from bench/operations.ts (the same ones the script runs).
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "fs";

type Operation = { argv?: string[]; undo?: string[]; directory?: string; file?: string; content?: string };

const provider: pulumi.dynamic.ResourceProvider = {
    async create(op: Operation) {
        const { execFileSync } = require("child_process") as typeof import("child_process");
        const fs = require("fs") as typeof import("fs");
        if (op.argv) execFileSync(op.argv[0], op.argv.slice(1), { stdio: "ignore" });
        else if (op.directory) fs.mkdirSync(op.directory, { recursive: true });
        else if (op.file) fs.writeFileSync(op.file, op.content ?? "");
        return { id: `${Date.now()}-${Math.random().toString(36).slice(2)}`, outs: op };
    },
    async delete(_id: string, op: Operation) {
        const { execFileSync } = require("child_process") as typeof import("child_process");
        const fs = require("fs") as typeof import("fs");
        if (op.undo) execFileSync(op.undo[0], op.undo.slice(1), { stdio: "ignore" });
        else if (op.directory) fs.rmSync(op.directory, { recursive: true, force: true });
        else if (op.file) fs.rmSync(op.file, { force: true });
    },
};

class Command extends pulumi.dynamic.Resource {
    constructor(name: string, op: Operation, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, op, opts);
    }
}

const groups = JSON.parse(readFileSync("operations.json", "utf8")) as Operation[][];
const chain = (prefix: string, ops: Operation[], after: pulumi.Resource[]): pulumi.Resource[] => {
    let previous = after;
    ops.forEach((op, i) => (previous = [new Command(`${prefix}-${i}`, op, { dependsOn: previous })]));
    return previous;
};
const host = chain("host", groups[0], []);
groups.slice(1).forEach((ops, m) => chain(`m${m}`, ops, host));

/**
 * The sandbox's emulated internet: run inside the uplink namespace (by the
 * SandboxServices resource), it accepts TCP on the given ports, writing one
 * banner line, and answers DNS A queries on UDP 53 from a fixed table.
 *
 * Usage: node uplink-server.js --ports 80,443,22 --records example.test=203.0.113.1,... [--pid-file PATH]
 *
 * With --pid-file it first writes "PID STARTTIME" there (temporary file and
 * rename), so whoever started it can find and stop it even when the starter
 * was killed before it could note the PID itself.
 */
import { createSocket } from "dgram";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { dirname } from "path";
import { createServer } from "net";
import { answer } from "./dns-message";

function option(name: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? (process.argv[i + 1] ?? "") : "";
}

function serveTcp(port: number): void {
    createServer((socket) => {
        // Probes close at once; a reset connection is not the server's problem.
        socket.on("error", () => undefined);
        socket.end(`netplumb sandbox port ${port}\n`);
    }).listen(port, "0.0.0.0");
}

function serveDns(records: Map<string, string>): void {
    const socket = createSocket("udp4");
    socket.on("error", () => undefined);
    socket.on("message", (query, peer) => {
        const reply = answer(query, records);
        if (reply) socket.send(reply, peer.port, peer.address);
    });
    socket.bind(53, "0.0.0.0");
}

function writePidFile(path: string): void {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const startTime = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    // Its directory may be removed by a parallel delete of another server's record: made again, and the write retried.
    for (let attempt = 1; ; attempt++) {
        try {
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(`${path}.tmp`, `${process.pid} ${startTime}\n`, { mode: 0o644 });
            renameSync(`${path}.tmp`, path);
            return;
        } catch (error) {
            if (attempt >= 10 || (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
    }
}

if (option("pid-file")) writePidFile(option("pid-file"));
const ports = option("ports").split(",").filter(Boolean).map(Number);
const records = new Map(
    option("records")
        .split(",")
        .filter(Boolean)
        .map((r) => r.split("=") as [string, string]),
);
ports.forEach(serveTcp);
serveDns(records);
process.on("SIGTERM", () => process.exit(0));

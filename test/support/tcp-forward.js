// Joins standard input and output to a TCP connection to argv[2]:argv[3]
// (OpenSSH's `ssh -W` / `nc` role). Started inside a sandbox namespace so a
// test process outside it can talk to a server inside. Exits when either
// side closes.
"use strict";
const { connect } = require("net");

const [host, port] = process.argv.slice(2);
const socket = connect({ host, port: Number(port), noDelay: true });
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on("error", (error) => {
    process.stderr.write(`tcp-forward: ${error.code ?? "ERROR"} ${error.message}\n`);
    process.exit(1);
});
socket.on("close", () => process.exit(0));
process.stdin.on("end", () => socket.end());

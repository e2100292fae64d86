// A throughput probe for the shaping tests, run inside sandbox namespaces:
//   receive ADDRESS PORT     accepts one connection, prints "listening" when
//                            ready and "received N bytes in U us" (first byte
//                            to last) when the sender closes, then exits.
//   send ADDRESS PORT BYTES  connects, writes BYTES bytes as fast as TCP
//                            takes them, and exits once they are sent.
"use strict";
const { createServer, connect } = require("net");

const [mode, address, port, count] = process.argv.slice(2);

if (mode === "receive") {
    const server = createServer((socket) => {
        let received = 0;
        let first;
        socket.on("data", (chunk) => {
            first ??= process.hrtime.bigint();
            received += chunk.length;
        });
        socket.on("end", () => {
            const micros = first === undefined ? 0n : (process.hrtime.bigint() - first) / 1000n;
            process.stdout.write(`received ${received} bytes in ${micros} us\n`);
            server.close();
        });
    });
    server.listen(Number(port), address, () => process.stdout.write("listening\n"));
} else if (mode === "send") {
    const total = Number(count);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const socket = connect({ host: address, port: Number(port) }, () => {
        let sent = 0;
        const pump = () => {
            while (sent < total) {
                const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
                sent += piece.length;
                if (!socket.write(piece)) return socket.once("drain", pump);
            }
            socket.end();
        };
        pump();
    });
    socket.on("error", (error) => {
        process.stderr.write(`tcp-blast: ${error.message}\n`);
        process.exit(1);
    });
} else {
    process.stderr.write("usage: tcp-blast.js receive ADDRESS PORT | send ADDRESS PORT BYTES\n");
    process.exit(2);
}

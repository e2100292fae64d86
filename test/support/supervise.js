// Keeps one controller process running, as a kubelet restarts a crashing
// container: runs argv[2..] (no shell), and when it exits starts it again
// after one second. SIGTERM or SIGINT ends the child and then this process.
// The test cluster runs MetalLB's controller and Traefik under it, since
// they exit while their CRDs are not installed yet.
"use strict";
const { spawn } = require("child_process");

const [command, ...args] = process.argv.slice(2);
let child;
let stopping = false;

function start() {
    child = spawn(command, args, { stdio: "inherit" });
    child.on("exit", (code, signal) => {
        if (stopping) return process.exit(0);
        console.error(`supervise: ${command} exited (${signal ?? code}); restarting in 1 s`);
        setTimeout(start, 1000);
    });
}

for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
        stopping = true;
        child.kill("SIGTERM");
    });
}
start();

// Mirrors a Secret's data into a folder once a second, as the kubelet keeps a
// pod's secret volume in sync: MetalLB's controller (run by the test cluster
// as a host process) finds the webhook certificate its cert rotator writes
// into the Secret where its pod would have it mounted. Each key becomes a
// file, written to a temporary name and renamed. Runs until killed.
// Usage: node mount-secret.js KUBECONFIG NAMESPACE SECRET DIR
"use strict";
const { execFile } = require("child_process");
const { mkdirSync, renameSync, writeFileSync, readFileSync, existsSync } = require("fs");
const { join } = require("path");

const [kubeconfig, namespace, secret, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });

function sync() {
    const argv = ["--kubeconfig", kubeconfig, "-n", namespace, "get", "secret", secret, "-o", "jsonpath={.data}"];
    execFile("kubectl", argv, (error, stdout) => {
        if (!error && stdout.trim() !== "") {
            for (const [key, value] of Object.entries(JSON.parse(stdout))) {
                const file = join(dir, key);
                const content = Buffer.from(value, "base64");
                if (existsSync(file) && readFileSync(file).equals(content)) continue;
                writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
                renameSync(`${file}.tmp`, file);
            }
        }
        setTimeout(sync, 1000);
    });
}
sync();

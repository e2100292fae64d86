// The first process of an emulated SSH host (test/support/emulated-host.ts),
// started with `ip netns exec HOST node emulated-host-init.js DIR SSHD LIBDIR`,
// so it already runs in the host's network namespace and in a mount namespace
// of its own whose mounts do not propagate back (ip netns exec makes / a
// slave). There it gives the host a machine's private state: a new /run
// (with /run/netns, /run/netplumb, /run/sshd), a new /var/lib and /root, and /etc as an
// overlay whose changes (the sshd user, /etc/netns) land in DIR/etc-upper.
// Then it runs sshd in the foreground (no shell) and prints "sshd PID". The
// host stays up when sshd stops (SIGUSR1 starts it again, as a restart of
// the service would); SIGTERM stops sshd, then this process.
"use strict";
const { spawn, execFileSync } = require("child_process");
const { appendFileSync, mkdirSync } = require("fs");
const { join } = require("path");

const [dir, sshd, libDir] = process.argv.slice(2);

function mount(...args) {
    execFileSync("mount", args, { stdio: ["ignore", "ignore", "inherit"] });
}

mount("-t", "tmpfs", "-o", "mode=755", "tmpfs", "/run");
for (const sub of ["netns", "netplumb", "sshd"]) mkdirSync(join("/run", sub), { mode: 0o755 });
mount("-t", "tmpfs", "-o", "mode=755", "tmpfs", "/var/lib");
// root's home: a new machine's (this machine's ~/.bashrc, which bash reads for every SSH command, is not the emulated host's).
mount("-t", "tmpfs", "-o", "mode=700", "tmpfs", "/root");
for (const sub of ["upper", "work"]) mkdirSync(join(dir, `etc-${sub}`), { recursive: true });
mount("-t", "overlay", "overlay", "-o", `lowerdir=/etc,upperdir=${join(dir, "etc-upper")},workdir=${join(dir, "etc-work")}`, "/etc");
// sshd's privilege separation user, on this host only.
appendFileSync("/etc/passwd", "sshd:x:74:65534:sshd privilege separation:/run/sshd:/usr/sbin/nologin\n");

let sshdProcess;
let stopping = false;

/** Starts sshd in the foreground and prints "sshd PID"; the host stays up when sshd stops (SIGUSR1 starts it again). */
function startSshd() {
    const child = spawn(sshd, ["-D", "-e", "-f", join(dir, "sshd_config")], {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, LD_LIBRARY_PATH: libDir },
    });
    sshdProcess = child;
    child.on("spawn", () => process.stdout.write(`sshd ${child.pid}\n`));
    child.on("exit", (code, signal) => {
        process.stderr.write(`emulated host: sshd exited (${signal ?? code})\n`);
        if (sshdProcess === child) sshdProcess = undefined;
        if (stopping) process.exit(0);
    });
}

// The host stays up while sshd is stopped: nothing else would keep this process alive.
setInterval(() => undefined, 1 << 30);
process.on("SIGUSR1", () => {
    if (!sshdProcess) startSshd();
});
for (const signal of ["SIGTERM", "SIGINT"])
    process.on(signal, () => {
        stopping = true;
        if (sshdProcess) sshdProcess.kill("SIGTERM");
        else process.exit(0);
    });
startSshd();

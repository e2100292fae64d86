#!/usr/bin/env bash
# Debian's sshd for the emulated SSH hosts the tests start (test/support/
# emulated-host.ts): openssh-server and the one library it needs that a
# client machine lacks (libwrap0), downloaded with apt-get and unpacked into
# .tools/openssh with dpkg -x. Nothing is installed on the machine, so no
# sshd service is ever started here; each emulated host runs this binary in
# its own network and mount namespace.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/unpack-debs.sh"
cd "$NETPLUMB_ROOT"

target=".tools/openssh"
if [[ -x "$target/usr/sbin/sshd" ]]; then
    printf 'setup: sshd for emulated hosts present (%s)\n' "$target"
    exit 0
fi
started=$SECONDS
unpack_debs "$target" openssh-server libwrap0
printf 'setup: unpacked Debian'"'"'s openssh-server into %s (%d s)\n' "$target" $((SECONDS - started))

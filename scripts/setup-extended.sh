#!/usr/bin/env bash
# Builds what `npm run test:extended` needs beyond `npm run setup`, into
# .tools/extended/bin, each only when missing or built from another version:
# cnitool (github.com/containernetworking/cni, pinned below; seconds) and
# istioctl (the Go module istio.io/istio pinned in tools/extended/istioctl).
# Measured: 11.5 min on 2 cores with a cold Go cache (while other work ran);
# seconds when present. Not part of `npm test` (CI's budget), as
# CLARIFICATIONS allows for independent cross-checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"

say() { printf 'setup-extended: %s\n' "$*"; }
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
BIN="$NETPLUMB_ROOT/.tools/extended/bin"
mkdir -p "$BIN"

# build_once NAME FROM COMMAND...: runs COMMAND to build $BIN/NAME unless it
# is there and was built from FROM (recorded in $BIN/NAME.built-from).
build_once() {
    local name="$1" from="$2"
    shift 2
    if [[ -x "$BIN/$name" && "$(cat "$BIN/$name.built-from" 2>/dev/null)" == "$from" ]]; then
        say "$name present ($from)"
        return
    fi
    say "building $name: $from"
    local start=$SECONDS
    "$@"
    printf '%s\n' "$from" >"$BIN/$name.built-from"
    say "  took $((SECONDS - start)) s"
}

# cnitool, the reference runtime's command-line tool (libcni), for the CNI cross-check (seconds).
CNITOOL_MODULE="github.com/containernetworking/cni/cnitool@v1.3.1"
build_once cnitool "$CNITOOL_MODULE" env GOBIN="$BIN" go install -trimpath -ldflags "-s -w" "$CNITOOL_MODULE"

# istioctl, for the mesh cross-check (about 12 minutes cold).
build_istioctl() { (cd tools/extended/istioctl && go build -trimpath -ldflags "-s -w" -o "$BIN/istioctl" istio.io/istio/istioctl/cmd/istioctl); }
build_once istioctl "istio.io/istio $(cd tools/extended/istioctl && go list -m -f '{{.Version}}' istio.io/istio)" build_istioctl

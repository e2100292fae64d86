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

# cnitool, the reference runtime's command-line tool (libcni), for the CNI cross-check.
CNITOOL_MODULE="github.com/containernetworking/cni/cnitool@v1.3.1"
if [[ -x "$BIN/cnitool" && "$(cat "$BIN/cnitool.built-from" 2>/dev/null)" == "$CNITOOL_MODULE" ]]; then
    say "cnitool present ($CNITOOL_MODULE)"
else
    say "building cnitool: $CNITOOL_MODULE"
    start=$SECONDS
    GOBIN="$BIN" go install -trimpath -ldflags "-s -w" "$CNITOOL_MODULE"
    printf '%s\n' "$CNITOOL_MODULE" >"$BIN/cnitool.built-from"
    say "  took $((SECONDS - start)) s"
fi

from="istio.io/istio $(cd tools/extended/istioctl && go list -m -f '{{.Version}}' istio.io/istio)"
if [[ -x "$BIN/istioctl" && "$(cat "$BIN/istioctl.built-from" 2>/dev/null)" == "$from" ]]; then
    say "istioctl present ($from)"
else
    say "building istioctl: $from (about 12 minutes cold)"
    start=$SECONDS
    (cd tools/extended/istioctl && go build -trimpath -ldflags "-s -w" -o "$BIN/istioctl" istio.io/istio/istioctl/cmd/istioctl)
    printf '%s\n' "$from" >"$BIN/istioctl.built-from"
    say "  took $((SECONDS - start)) s"
fi

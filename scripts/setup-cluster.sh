#!/usr/bin/env bash
# Builds the test cluster's real components from Go modules into
# .tools/cluster/bin, each only when missing or of another version:
#   - kube-apiserver, kube-controller-manager, kube-scheduler and etcd in one
#     `go build` (tools/cluster/controlplane), so they share compiled packages;
#   - kwok (simulated nodes and pods), with its stage files;
#   - the Pulumi Kubernetes provider for @pulumi/kubernetes, registered as a
#     plugin in this project's PULUMI_HOME;
#   - the MetalLB controller and Traefik, which the cluster component suites
#     run as processes against the test cluster's API server.
# Cold (empty Go caches, 2 cores, other work sharing them), measured: control
# plane 657 s, kwok 197 s, the provider about 11 minutes, MetalLB 230 s,
# Traefik 717 s; warm, seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"

say() { printf 'setup-cluster: %s\n' "$*"; }
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
CLUSTER="$NETPLUMB_ROOT/.tools/cluster"
BIN="$CLUSTER/bin"
KUBE_VERSION="v1.34.4"
KUBERNETES_PROVIDER_VERSION="4.25.0"
KUBERNETES_PROVIDER_MODULE="github.com/pulumi/pulumi-kubernetes/provider/v4@v4.0.0-20260115033456-f47bc2d6f199"

# built NAME STAMP: true when .tools/cluster/bin/NAME was built from STAMP.
built() { [[ -x "$BIN/$1" && "$(cat "$BIN/$1.built-from" 2>/dev/null)" == "$2" ]]; }
stamp() { printf '%s\n' "$2" >"$BIN/$1.built-from"; }
timed() {
    local start=$SECONDS
    "$@"
    say "  took $((SECONDS - start)) s"
}

build_control_plane() {
    local from="k8s.io/kubernetes $KUBE_VERSION + etcd server $(go_version_of controlplane go.etcd.io/etcd/server/v3)"
    if built kube-apiserver "$from" && built etcd "$from"; then
        say "control plane present ($from)"
        return
    fi
    say "building the control plane: $from (about 7 minutes on a cold Go cache)"
    local pkg=k8s.io/component-base/version
    local meta=k8s.io/client-go/pkg/version
    local stamp_flags=""
    for p in "$pkg" "$meta"; do
        stamp_flags+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=34 -X $p.gitTreeState=clean"
    done
    (cd tools/cluster/controlplane && timed go build -trimpath -ldflags "-s -w$stamp_flags" -o "$BIN/" \
        k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
        k8s.io/kubernetes/cmd/kube-scheduler go.etcd.io/etcd/server/v3)
    mv "$BIN/server" "$BIN/etcd" # go names a /v3 module's command after the element before it
    for name in kube-apiserver kube-controller-manager kube-scheduler etcd; do stamp "$name" "$from"; done
}

build_kwok() {
    local from="sigs.k8s.io/kwok $(go_version_of kwok sigs.k8s.io/kwok)"
    if built kwok "$from" && [[ -d "$CLUSTER/kwok-stages" ]]; then
        say "kwok present ($from)"
        return
    fi
    say "building kwok: $from (about 2 minutes cold)"
    (cd tools/cluster/kwok && timed go build -trimpath -ldflags "-s -w" -o "$BIN/kwok" sigs.k8s.io/kwok/cmd/kwok)
    local source
    source="$(cd tools/cluster/kwok && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage"
    rm -rf "$CLUSTER/kwok-stages"
    mkdir -p "$CLUSTER/kwok-stages"
    for file in node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml \
        pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
        install -m 0644 "$source/$file" "$CLUSTER/kwok-stages/$(basename "$file")"
    done
    stamp kwok "$from"
}

build_kubernetes_provider() {
    local from="$KUBERNETES_PROVIDER_MODULE as $KUBERNETES_PROVIDER_VERSION"
    if built pulumi-resource-kubernetes "$from"; then
        say "Pulumi Kubernetes provider present ($from)"
    else
        say "building the Pulumi Kubernetes provider $KUBERNETES_PROVIDER_VERSION (about 11 minutes cold)"
        local dir source="$CLUSTER/src/pulumi-kubernetes-provider"
        dir="$(cd /tmp && go mod download -json "$KUBERNETES_PROVIDER_MODULE" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
        rm -rf "$source"
        mkdir -p "$(dirname "$source")"
        cp -R "$dir" "$source"
        chmod -R u+w "$source"
        # The served module keeps a replace of its SDK by a sibling folder that a
        # module download does not include; the published SDK is used instead.
        (cd "$source" && go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 &&
            go get "github.com/pulumi/pulumi-kubernetes/sdk/v4@$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi-kubernetes/sdk/v4)")
        (cd "$source/cmd/pulumi-resource-kubernetes" && VERSION="$KUBERNETES_PROVIDER_VERSION" timed go run generate.go)
        (cd "$source" && timed go build -trimpath \
            -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_PROVIDER_VERSION" \
            -o "$BIN/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
        rm -rf "$source"
        stamp pulumi-resource-kubernetes "$from"
    fi
    if ! pulumi plugin ls 2>/dev/null | grep -Eq "^kubernetes +resource +$KUBERNETES_PROVIDER_VERSION "; then
        pulumi plugin install resource kubernetes "$KUBERNETES_PROVIDER_VERSION" --file "$BIN/pulumi-resource-kubernetes" >/dev/null
        say "registered the kubernetes $KUBERNETES_PROVIDER_VERSION plugin in $PULUMI_HOME"
    fi
}

build_controller() {
    local name="$1" module_dir="$2" module="$3" package="$4"
    local from
    from="$module $(go_version_of "$module_dir" "$module")"
    if built "$name" "$from"; then
        say "$name present ($from)"
        return
    fi
    say "building $name: $from"
    (cd "tools/cluster/$module_dir" && timed go build -trimpath -ldflags "-s -w" -o "$BIN/$name" "$package")
    stamp "$name" "$from"
}

go_version_of() { (cd "tools/cluster/$1" && go list -m -f '{{.Version}}' "$2"); }

main() {
    command -v go >/dev/null || { echo "setup-cluster: Go is needed to build the test cluster" >&2; exit 1; }
    mkdir -p "$BIN"
    build_control_plane
    build_kwok
    build_kubernetes_provider
    build_controller metallb-controller metallb go.universe.tf/metallb go.universe.tf/metallb/controller
    build_controller traefik traefik github.com/traefik/traefik/v3 github.com/traefik/traefik/v3/cmd/traefik
    say "cluster components ready in $BIN"
}

main "$@"

#!/usr/bin/env bash
# Idempotent set-up of a fresh clone (run as root): system packages, npm
# dependencies, the build, the Pulumi engine built from Go modules when no
# `pulumi` CLI is on PATH, Debian's sshd unpacked for the emulated SSH hosts, and the test cluster's components (control plane,
# kwok, the Kubernetes provider). Prints what it does and how long each part
# took; seconds when already done.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"

say() { printf 'setup: %s\n' "$*"; }

install_system_packages() {
    local missing=()
    command -v ip >/dev/null || missing+=(iproute2)
    command -v nft >/dev/null || missing+=(nftables)
    command -v ping >/dev/null || missing+=(iputils-ping)
    command -v sysctl >/dev/null || missing+=(procps)
    command -v arping >/dev/null || missing+=(iputils-arping)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    # The CNI plugins portmap and firewall, and bridge's ipMasq, call iptables (the tests run them in sandbox namespaces only).
    command -v iptables >/dev/null || missing+=(iptables)
    if ((${#missing[@]} == 0)); then
        say "system packages present (ip, nft, ping, sysctl, arping, openssl, ssh-keygen, iptables)"
        return
    fi
    say "installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_npm_dependencies() {
    if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
        say "npm dependencies up to date"
        return
    fi
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
}

build_package() {
    say "compiling TypeScript to dist/ (from clean: nothing stale is packed)"
    rm -rf dist
    npx tsc -p tsconfig.build.json
}

main() {
    install_system_packages
    install_npm_dependencies
    build_package
    bash scripts/setup-engine.sh
    bash scripts/setup-sshd.sh
    bash scripts/setup-cni.sh
    bash scripts/setup-compat.sh >/dev/null
    bash scripts/setup-cluster.sh
    say "done"
}

main "$@"

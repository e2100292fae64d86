#!/usr/bin/env bash
# Sourced by the setup scripts that need a program from Debian without
# installing it on the machine: `unpack_debs TARGET PACKAGE...` downloads the
# packages with apt-get (refreshing the package lists once if the download
# fails) and unpacks them with dpkg -x into TARGET (made whole or not at all,
# through TARGET.partial).
unpack_debs() {
    local target="$1"
    shift
    local work
    work="$(mktemp -d)"
    chmod 755 "$work" # apt's download user must be able to write here
    (cd "$work" && apt-get download -qq "$@" >/dev/null 2>&1) || {
        apt-get update -qq
        (cd "$work" && apt-get download -qq "$@" >/dev/null)
    }
    rm -rf "$target.partial"
    mkdir -p "$target.partial"
    for deb in "$work"/*.deb; do dpkg -x "$deb" "$target.partial"; done
    rm -rf "$work"
    mv -T "$target.partial" "$target"
}

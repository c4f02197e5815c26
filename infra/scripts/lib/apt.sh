#!/usr/bin/env bash
# Installs Debian packages quietly, for the scripts that need more than the .NET SDK (lib/rabbitmq.sh, test.sh):
# `apt_install WHAT PACKAGE...`. Needs root; the package lists are refreshed only when the install fails without
# them; on failure apt's output is shown and the script stops with status 2. The caller defines log() and fail().
apt_install() {
    local what=$1
    shift
    log "installing $what (Debian package)"
    if [[ $(id -u) -ne 0 ]]; then
        fail "$what is missing and installing it needs root (apt-get install $*)."
        exit 2
    fi
    local apt_log
    apt_log="$(mktemp)"
    local -a install=(apt-get install -y -qq --no-install-recommends "$@")
    if ! DEBIAN_FRONTEND=noninteractive "${install[@]}" >"$apt_log" 2>&1 &&
       ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive "${install[@]}"; } >>"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        fail "could not install $* with apt-get (output above)."
        exit 2
    fi
    rm -f "$apt_log"
}

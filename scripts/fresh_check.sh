#!/usr/bin/env bash
# What CI sees, on this machine: a fresh clone of the committed main branch (nothing
# uncommitted), with shared/ beside it as in CI, running `CI=true bash .ci/run` (which is
# `make test`: venv from the lock files, llama.cpp build, lint, the whole suite) with HOME
# pointed to a new empty folder, so no user cache helps (~/.cache/newsqa's ONNX export,
# embedding caches, matplotlib's font cache). pip's own download cache is kept so the
# installs do not download everything again, and so is the user's pip config (the machine's
# package indexes: configuration, not a cache). pip's cache of wheels it built itself is not
# kept: llama-cpp-python is compiled with the Makefile's CMAKE_ARGS as on a new machine
# (a cached wheel is reused whatever CMAKE_ARGS it was built with).
#
# Usage: scripts/fresh_check.sh   (or `make fresh-check`; ~15-20 min)
#        KEEP=1 ...                keeps the temporary folder even on success
#        REUSE_BUILT_WHEELS=1 ...  PIP_CACHE_DIR is the real pip cache, built wheels
#                                  included (skips the ~5 min llama.cpp build)
# Prints the clone's path, the elapsed time and the test summary; exits with CI's status.
# The temporary folder is removed on success unless KEEP=1; on failure it is kept.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
shared="$(cd "$repo/../shared" 2>/dev/null && pwd -P)" || {
    echo "fresh-check: $repo/../shared not found (CI has shared/ beside the clone)" >&2
    exit 2
}

# The real pip cache and pip config, found before HOME changes.
if [ -x "$repo/.venv/bin/pip" ]; then pip_cmd=("$repo/.venv/bin/pip"); else pip_cmd=(python3 -m pip); fi
pip_cache="${PIP_CACHE_DIR:-$("${pip_cmd[@]}" cache dir 2>/dev/null || echo "${XDG_CACHE_HOME:-$HOME/.cache}/pip")}"
pip_confs=()
for conf in "${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf" "$HOME/.pip/pip.conf"; do
    if [ -f "$conf" ]; then pip_confs+=("$conf"); fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/newsqa-fresh.XXXXXX")"
clone="$tmp/fresh/main"
home="$tmp/home"
log="$tmp/ci.log"
mkdir -p "$tmp/fresh" "$home"
if [ "${REUSE_BUILT_WHEELS:-0}" = 1 ]; then
    run_pip_cache="$pip_cache"
else
    # The real download caches (http-v2: pip >= 23.3, http: older), an empty wheels/.
    run_pip_cache="$tmp/pip-cache"
    mkdir -p "$run_pip_cache"
    for sub in http-v2 http; do
        if [ -d "$pip_cache/$sub" ]; then ln -s "$pip_cache/$sub" "$run_pip_cache/$sub"; fi
    done
fi

if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
    echo "fresh-check: note: uncommitted changes in $repo are not part of this check"
fi
git clone --quiet --branch main "$repo" "$clone"
ln -s "$shared" "$tmp/fresh/shared"
# The user's pip config (indexes, find-links) goes to the new HOME, where pip looks for it.
if [ "${#pip_confs[@]}" -gt 0 ]; then
    mkdir -p "$home/.config/pip"
    cat "${pip_confs[@]}" >"$home/.config/pip/pip.conf"
fi

echo "fresh-check: clone $clone (main at $(git -C "$clone" rev-parse --short HEAD))"
echo "fresh-check: HOME=$home, PIP_CACHE_DIR=$run_pip_cache; log $log"

# PATH without this work tree's venv; no variable that points at a real cache or venv.
clean_path=""
IFS=: read -ra path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do
    case "$dir" in
    "$repo" | "$repo"/*) ;;
    *) clean_path="${clean_path:+$clean_path:}$dir" ;;
    esac
done
# The interpreter `python3` is now, so the venv does not depend on HOME (e.g. pyenv shims).
python="$(PATH="$clean_path" python3 -c 'import sys; print(sys.executable)')"
echo "fresh-check: PYTHON=$python"
start=$SECONDS
set +e
(
    cd "$clone" &&
        env -u VIRTUAL_ENV -u NEWSQA_HOME -u NEWSQA_ONNX_CACHE -u XDG_CACHE_HOME \
            -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u HF_HOME -u HF_HUB_CACHE \
            -u TRANSFORMERS_CACHE -u SENTENCE_TRANSFORMERS_HOME -u TORCH_HOME \
            -u MPLCONFIGDIR -u PIP_CONFIG_FILE \
            HOME="$home" PATH="$clean_path" PYTHON="$python" PIP_CACHE_DIR="$run_pip_cache" CI=true \
            bash .ci/run
) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
elapsed=$((SECONDS - start))

echo
echo "fresh-check: clone $clone"
printf 'fresh-check: elapsed %dm%02ds\n' $((elapsed / 60)) $((elapsed % 60))
summary="$(grep -E '^(=+ )?([0-9]+ (passed|failed|errors?|skipped)|no tests ran)\b.* in [0-9.]+s' "$log" |
    tail -n 1 || true)"
echo "fresh-check: tests: ${summary:-no pytest summary (failed before the tests ran?)}"
echo "fresh-check: CI exit status $status"
if [ "$status" -eq 0 ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$tmp"
    echo "fresh-check: removed $tmp (KEEP=1 keeps it)"
else
    echo "fresh-check: kept $tmp"
fi
exit "$status"

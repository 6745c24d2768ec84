# Shared helpers for the editor end-to-end runners (sourced).
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$E2E_DIR/../.." && pwd)"
CACHE="${ANNALIST_E2E_CACHE:-/opt/annalist-e2e}"
ARTIFACTS="${ANNALIST_E2E_ARTIFACTS:-$E2E_DIR/artifacts}"

# The server binary: $ANNALIST_SERVER, else target/release, else target/debug.
find_server() {
  local s="${ANNALIST_SERVER:-}"
  if [ -z "$s" ]; then
    for c in "$REPO/target/release/annalist" "$REPO/target/debug/annalist"; do
      if [ -x "$c" ]; then s="$c"; break; fi
    done
  fi
  if [ -z "$s" ] || [ ! -x "$s" ]; then
    echo "e2e: no annalist binary (build it with 'cargo build --release' or set ANNALIST_SERVER)" >&2
    return 1
  fi
  (cd "$(dirname "$s")" && echo "$(pwd)/$(basename "$s")")
}

# A fresh workspace with the fixtures, marked as a project root.
make_workspace() {
  local ws
  ws="$(mktemp -d "${TMPDIR:-/tmp}/annalist-e2e-ws.XXXXXX")"
  mkdir -p "$ws/.git"
  cp "$REPO/fixtures/bajanov-1995.md" "$ws/"
  # The citation fixture pair: an article citing its .bib (front matter `bibliography:`).
  mkdir -p "$ws/citations"
  cp "$REPO/fixtures/citations/article.md" "$REPO/fixtures/citations/article.bib" "$ws/citations/"
  echo "$ws"
}

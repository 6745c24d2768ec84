#!/usr/bin/env bash
# Time and peak memory of `annalist check --format json` per input family and size.
#
#   benches/scaling.sh [SIZES] [FAMILIES]
#     SIZES default "10000 100000 1000000 10000000"; FAMILIES default: all of
#     benches/pathological.py (document long-line paragraph findings spellings nesting emphasis)
#
# Prints a Markdown table (for benches/README.md): wall and user seconds, peak RSS,
# user µs per KB and RSS bytes per input byte. Each cell is the best of 3 runs (wall)
# with the min–max range; a run is stopped after 300 s. Release build.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIZES="${1:-10000 100000 1000000 10000000}"
FAMILIES="${2:-document long-line paragraph findings spellings nesting emphasis}"
BIN="${ANNALIST:-${CARGO_TARGET_DIR:-$ROOT/target}/release/annalist}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg); $BIN"
echo
echo "| family | bytes | findings | wall s (min–max of 3) | user s | peak RSS MB | user µs/KB | RSS B/B |"
echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
for fam in $FAMILIES; do
  for n in $SIZES; do
    f="$TMP/$fam-$n.md"
    python3 "$ROOT/benches/pathological.py" "$fam" "$n" > "$f"
    bytes=$(stat -c %s "$f")
    walls=(); best_user=""; best_rss=""; findings=""
    for _ in 1 2 3; do
      # --no-cache: the figures are the analysis's, not a cache read. `check` exits 1
      # when it finds problems, and /usr/bin/time then writes a line before its own:
      # the figures are on the last line.
      timeout 300 /usr/bin/time -o "$TMP/t" -f "%e %U %M" "$BIN" check --no-cache --format json "$f" > "$TMP/out.json" 2>/dev/null
      read -r w u m < <(tail -n 1 "$TMP/t") || { w=timeout; u=0; m=0; }
      [[ "$w" =~ ^[0-9.]+$ ]] || { w=timeout; u=0; m=0; }
      walls+=("$w")
      if [[ -z "$best_user" ]] || awk "BEGIN {exit !($u < $best_user)}"; then best_user=$u; best_rss=$m; fi
      [[ -z "$findings" ]] && findings=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(f.get('diagnostics', f.get('findings', []))) for f in (d if isinstance(d, list) else d.get('files', []))))" "$TMP/out.json" 2>/dev/null || echo "?")
      [[ "$w" == timeout ]] && break
    done
    range=$(printf '%s\n' "${walls[@]}" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END{print lo "–" hi}')
    python3 - "$fam" "$bytes" "$findings" "$range" "$best_user" "$best_rss" <<'PY'
import sys
fam, b, fnd, rng, u, m = sys.argv[1:]
b, u, m = int(b), float(u), int(m)
print(f"| {fam} | {b:,} | {fnd} | {rng} | {u:.2f} | {m/1024:.0f} | {u*1e6/(b/1000):.0f} | {m*1024/b:.1f} |")
PY
  done
done

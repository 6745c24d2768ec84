#!/usr/bin/env bash
# Annalist beside rumdl, in one run: `check` on generated transcriptions of 10 KB,
# 100 KB, 1 MB and 10 MB (benches/pathological.py document) and on the 2,000-file
# corpus of benches/check-bench.sh. Installs rumdl from PyPI (pip install rumdl) if
# absent. Best wall time of 3 runs, its user time and peak RSS (/usr/bin/time), and the
# ratio annalist/rumdl.
#
#   benches/compare.sh [SIZES]
#
# Not (yet) compared: the language servers' didOpen→diagnostics and edit→diagnostics
# (benches/lsp.rs measures Annalist's; driving `rumdl server` with the same client is
# left to do).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIZES="${1:-10000 100000 1000000 10000000}"
BIN="${ANNALIST:-${CARGO_TARGET_DIR:-$ROOT/target}/release/annalist}"
command -v rumdl >/dev/null 2>&1 || pip install --quiet rumdl
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
best() { # prints "wall user rss" of the fastest of 3 runs
  local b="" line
  for _ in 1 2 3; do
    timeout 300 /usr/bin/time -o "$TMP/t" -f "%e %U %M" "$@" >/dev/null 2>&1
    line=$(cat "$TMP/t" | tail -1)
    if [[ -z "$b" ]] || awk "BEGIN {exit !(${line%% *} < ${b%% *})}"; then b=$line; fi
  done
  echo "$b"
}
echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(rumdl --version 2>/dev/null)"
echo
echo "| input | annalist wall s / user s / MB | rumdl wall s / user s / MB | wall annalist/rumdl |"
echo "| --- | --- | --- | ---: |"
row() {
  local name=$1 target=$2
  read -r aw au am < <(best "$BIN" check --no-cache "$target")
  read -r rw ru rm < <(best rumdl check --no-cache --no-config "$target")
  python3 -c "import sys; n,aw,au,am,rw,ru,rm=sys.argv[1:]; print(f'| {n} | {aw} / {au} / {int(am)//1024} | {rw} / {ru} / {int(rm)//1024} | {float(aw)/max(float(rw),1e-3):.2f}x |')" "$name" "$aw" "$au" "$am" "$rw" "$ru" "$rm"
}
export ANNALIST_CACHE_DIR="$TMP/cache"
for n in $SIZES; do
  mkdir -p "$TMP/d$n"
  python3 "$ROOT/benches/pathological.py" document "$n" > "$TMP/d$n/doc.md"
  row "document $(stat -c %s "$TMP/d$n/doc.md") B" "$TMP/d$n/doc.md"
done
CORPUS="${TMPDIR:-/tmp}/annalist-bench-corpus"
[[ -f "$CORPUS/names.txt" ]] || python3 "$ROOT/benches/make-corpus.py" "$CORPUS" >/dev/null
row "2,000 files ($(du -sh "$CORPUS/many" | cut -f1))" "$CORPUS/many"
# Re-run on the unchanged corpus: annalist from its cache (filled by one run first),
# rumdl from its own cache, and the read floor.
"$BIN" check "$CORPUS/many" >/dev/null 2>&1
read -r cw cu cm < <(best "$BIN" check "$CORPUS/many")
rumdl check --no-config "$CORPUS/many" >/dev/null 2>&1
read -r rw ru rm < <(best rumdl check --no-config "$CORPUS/many")
read -r fw fu fm < <(best bash -c "find '$CORPUS/many' -name '*.md' -print0 | xargs -0 cat")
echo "| 2,000 files, unchanged re-run (cached) | $cw / $cu / $((cm / 1024)) | $rw / $ru / $((rm / 1024)) | $(python3 -c "print(f'{$cw/max($rw,1e-3):.2f}x')") |"
echo
echo "read floor (find | xargs cat): $fw s wall; annalist cached / floor: $(python3 -c "print(f'{$cw/max($fw,1e-3):.2f}x')")"

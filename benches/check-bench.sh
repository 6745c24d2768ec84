#!/usr/bin/env bash
# Speed of `annalist check` beside other Markdown linters and a read floor.
#
#   benches/check-bench.sh [CORPUS]     (default: $TMPDIR/annalist-bench-corpus)
#
# Builds the release binary and the corpus (benches/make-corpus.py) if missing, then
# times on the same files, side by side:
#   annalist check      (release build; default output to /dev/null; --no-cache)
#   annalist cached     (the same, re-run on an unchanged corpus: results from the cache)
#   rumdl check         (pip install rumdl; --no-cache --no-config, all default rules)
#   markdownlint-cli2   (npm install -g markdownlint-cli2; default rules)
#   cat                 (read floor: every byte read once)
#   rg                  (search floor: every gazetteer name, case-insensitive, fixed strings)
# over two corpora: one ~1 MB document, and 2,000 documents of ~10 KB.
# Wall time and CPU time (user + system) from hyperfine (means of >= 3 runs after a
# warm-up) when installed, else the best of 3 runs of /usr/bin/time; peak memory (max
# RSS) from /usr/bin/time -v. On a loaded machine compare CPU times: wall times then
# mostly measure the wait for a core.
# Tools not installed are skipped. The machine's load is printed: on a shared machine
# the figures are noisy, the ratios less so.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${1:-${TMPDIR:-/tmp}/annalist-bench-corpus}"
OUT="${CORPUS}/results"
mkdir -p "$OUT"

if [[ ! -f "$CORPUS/names.txt" ]]; then
  python3 "$ROOT/benches/make-corpus.py" "$CORPUS"
fi
(cd "$ROOT" && cargo build --release --quiet)
ANNALIST="${CARGO_TARGET_DIR:-$ROOT/target}/release/annalist"
# The cache lives outside the corpus (so the other tools never see it).
export ANNALIST_CACHE_DIR="$OUT/annalist-cache"

have() { command -v "$1" >/dev/null 2>&1; }

# name|command template; {} is the corpus directory.
TOOLS=("annalist|$ANNALIST check --no-cache {} >/dev/null 2>&1")
TOOLS+=("annalist cached|$ANNALIST check {} >/dev/null 2>&1")
have rumdl && TOOLS+=("rumdl|rumdl check --no-cache --no-config {} >/dev/null 2>&1")
have markdownlint-cli2 && TOOLS+=("markdownlint-cli2|markdownlint-cli2 '{}/**/*.md' >/dev/null 2>&1")
TOOLS+=("cat (read floor)|find {} -name '*.md' -print0 | xargs -0 cat >/dev/null")
have rg && TOOLS+=("rg names (search floor)|rg -i -F -c -f $CORPUS/names.txt {} >/dev/null 2>&1")

echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "annalist $("$ANNALIST" --version | cut -d' ' -f2)$(have rumdl && echo "; $(rumdl --version)")$(have markdownlint-cli2 && echo "; $(markdownlint-cli2 --help 2>/dev/null | head -1)")"
echo

RESULTS="$OUT/results.tsv"
: > "$RESULTS"
for corpus in large many; do
  dir="$CORPUS/$corpus"
  bytes=$(find "$dir" -name '*.md' -printf '%s\n' | awk '{s+=$1} END {print s}')
  files=$(find "$dir" -name '*.md' | wc -l)
  for entry in "${TOOLS[@]}"; do
    name="${entry%%|*}"
    cmd="${entry#*|}"
    cmd="${cmd//\{\}/$dir}"
    # The cached row: one run first fills the cache.
    [[ "$name" == "annalist cached" ]] && { bash -c "$cmd" || true; }
    # Peak memory: one run under /usr/bin/time -v.
    rss=$( { /usr/bin/time -v bash -c "$cmd" || true; } 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}' | tail -1)
    if have hyperfine; then
      hyperfine --style none --warmup 1 --min-runs 3 --max-runs 10 -i \
        --export-json "$OUT/$corpus-${name%% *}.json" "$cmd" >/dev/null 2>&1
      read -r mean cpu < <(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(r['mean'], r['user'] + r['system'])" "$OUT/$corpus-${name%% *}.json")
    else
      best=""
      for _ in 1 2 3; do
        read -r t c < <( { /usr/bin/time -f '%e %U %S' bash -c "$cmd" || true; } 2>&1 >/dev/null | tail -1 | awk '{print $1, $2 + $3}')
        if [[ -z "$best" ]] || awk "BEGIN {exit !($t < $best)}"; then best=$t; cpu=$c; fi
      done
      mean=$best
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$corpus" "$name" "$files" "$bytes" "$mean" "${rss:-0}" "$cpu" >> "$RESULTS"
  done
done

python3 - "$RESULTS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
for corpus in ("large", "many"):
    rs = [r for r in rows if r[0] == corpus]
    if not rs:
        continue
    files, size = int(rs[0][2]), int(rs[0][3])
    base = next((float(r[4]) for r in rs if r[1] == "annalist"), None)
    base_cpu = next((float(r[6]) for r in rs if r[1] == "annalist"), None)
    print(f"## {corpus}: {files} file(s), {size / 1e6:.2f} MB")
    print(f"{'tool':<24} {'wall s':>8} {'MB/s':>8} {'CPU s':>8} {'peak MB':>8} {'wall/annalist':>14} {'CPU/annalist':>13}")
    for _, name, _, _, mean, rss, cpu in rs:
        t, c = float(mean), float(cpu)
        ratio = f"{t / base:.2f}x" if base else "-"
        cratio = f"{c / base_cpu:.2f}x" if base_cpu else "-"
        print(f"{name:<24} {t:>8.3f} {size / 1e6 / t if t > 0 else 0:>8.1f} {c:>8.3f} {int(rss) / 1024:>8.1f} {ratio:>14} {cratio:>13}")
    print()
PY

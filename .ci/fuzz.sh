#!/usr/bin/env bash
# Bounded fuzzing for CI (called from .ci/run). Each target runs FUZZ_SECONDS
# (default 45 s; 4 targets = 3 minutes) from a corpus seeded with the fixtures, with
# debug assertions on. A crash fails the step and leaves its input in
# fuzz/artifacts/<target>/; turn it into a regression test in the normal suite.
#
# The machine has only stable Rust: cargo-fuzz's nightly flags (-Z sanitizer, …) are
# enabled with RUSTC_BOOTSTRAP=1. cargo-fuzz is installed from crates.io if missing.
#
#   FUZZ_SECONDS=600 .ci/fuzz.sh            # a longer run
#   FUZZ_TARGETS="wire positions" .ci/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${FUZZ_SECONDS:-45}
TARGETS=${FUZZ_TARGETS:-"analyze document_edits positions wire"}

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
# Keep the instrumented build between runs (the first one takes ~15 minutes on 2 cores):
# CI clones afresh each time, but runs on a machine of the same kind.
export CARGO_TARGET_DIR=${ANNALIST_FUZZ_TARGET:-/var/cache/annalist/fuzz-target}
mkdir -p "$CARGO_TARGET_DIR"
cd fuzz
cargo fuzz build -a

seed() { # target dir
  local t=$1 d=$2
  mkdir -p "$d"
  case $t in
    analyze|document_edits)
      cp "$ROOT"/fixtures/*.md "$d"/ 2>/dev/null || true
      printf '# A [^1]\n\nText (1) on 25 June 1950.[^x]\n\n[^1]: Note.\n' >"$d/seed-notes"
      ;;
    positions)
      printf '\x03\x00\x05\x00\x00\x10\x00\x00a\xf0\x9f\x98\x80b\r\n\xec\x84\x9c\xec\x9a\xb8\rS\xc5\x8ful\n' >"$d/seed-unicode"
      ;;
    wire)
      local m='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
      printf '\x07Content-Length: %d\r\n\r\n%s' "${#m}" "$m" >"$d/seed-message"
      printf '\x03Content-Length: 9\r\n\r\n{"a": 1}xContent-Length: %d\r\n\r\n%s' "${#m}" "$m" >"$d/seed-garbage"
      ;;
  esac
}

total=0
for t in $TARGETS; do
  corpus=corpus/$t
  [ -d "$corpus" ] || seed "$t" "$corpus"
  log=$(mktemp)
  echo "fuzz: $t for ${SECS}s"
  # Every edit reparses the whole text: shorter inputs, more executions.
  case $t in document_edits) maxlen=4096 ;; *) maxlen=16384 ;; esac
  if ! cargo fuzz run -a "$t" "$corpus" -- \
      -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 -max_len="$maxlen" \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/ (cargo fuzz fmt $t <file> shows it)"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  echo "fuzz: $t ok, ${runs:-?} executions"
  total=$((total + ${runs:-0}))
  rm -f "$log"
done
echo "fuzz: all targets ok, $total executions in total"

#!/usr/bin/env bash
# Measures the regression gate on this machine: how often it cries wolf on an unchanged tree (A/A) and
# how often it catches a planted regression. Prints one line per check and the rates at the end.
#   scripts/gate-proof.sh [REPEATS=4] [PLANTED_US_PER_SPAN=20] [SCENARIO=ci]
# A planted regression burns PLANTED_US_PER_SPAN µs of CPU per ended span in every traced variant
# (--plant-span-work-us); with always_on's 8 spans per request, 20 µs is about +10% CPU per request here.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-4}
planted=${2:-20}
scenario=${3:-ci}
# GATE_PROOF_DIR keeps every run's folder and output there; otherwise a temporary folder is removed at the end.
if [[ -n "${GATE_PROOF_DIR:-}" ]]; then
  work=$GATE_PROOF_DIR; mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/tracetax-gate-proof.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

bench() { npm run --silent bench -- --scenario "$scenario" "$@" >"$work/last.out" 2>"$work/last.err"; }
# The verdict line, then the CPU row of the verdict table (change, CI, p).
verdict() { echo "$(grep -E '^(PASS|FAIL):' "$work/last.out" | head -n 1) | $(grep -E 'CPU µs/request overhead' "$work/last.out" | grep -v '^FAIL' | tail -n 1 | tr -s ' ')"; }

start=$(date +%s)
bench --save-baseline "$work/baseline.json" --out "$work/baseline"
echo "baseline saved in $(( $(date +%s) - start )) s"

false_alarms=0 detections=0
for i in $(seq "$repeats"); do
  # Interleaved, so slow drift of the machine hits both kinds of check alike.
  start=$(date +%s)
  if bench --check "$work/baseline.json" --out "$work/aa-$i"; then :; else
    rc=$?; [[ $rc == 1 ]] || { cat "$work/last.err"; exit "$rc"; }; false_alarms=$((false_alarms + 1))
  fi
  echo "A/A $i: $(verdict) ($(( $(date +%s) - start )) s)"
  if bench --check "$work/baseline.json" --plant-span-work-us "$planted" --out "$work/planted-$i"; then :; else
    rc=$?; [[ $rc == 1 ]] || { cat "$work/last.err"; exit "$rc"; }; detections=$((detections + 1))
  fi
  echo "planted $planted µs/span $i: $(verdict)"
done
echo "false alarms: $false_alarms of $repeats unchanged checks; detections: $detections of $repeats planted regressions ($planted µs/span)"

#!/usr/bin/env bash
# Measures the regression gate on this machine: how often it cries wolf on an unchanged tree (A/A) and
# how often it catches a planted regression, in either mode of --check. Prints one line per check and the
# rates at the end.
#   scripts/gate-proof.sh [MODE=same-run] [CHECKS=20] [PLANT_PCT=5] [SCENARIO=ci]
# MODE same-run: --check runs a clone of HEAD (npm ci'd) beside this tree, in the same rounds.
# MODE saved-baseline: one run saves a baseline file; every check is a later run against it.
# The planted regression is about PLANT_PCT % of always_on's CPU/request, sized once from a first run's
# figures as a fixed count of loop iterations per span (PLANT_PCT % × CPU µs/request ÷ spans per request ×
# the run's loop iterations per µs), the same work in every check, planted in this tree only; each
# check's own measured change is printed beside its verdict. Exit 4 (undecided) is counted apart.
# GATE_PROOF_DIR keeps every run's folder and output there; otherwise a temporary folder is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-same-run}
checks=${2:-20}
plant_pct=${3:-5}
scenario=${4:-ci}
case $mode in same-run|saved-baseline) ;; *) echo "gate-proof: MODE must be same-run or saved-baseline, got '$mode'" >&2; exit 2 ;; esac
if [[ -n "${GATE_PROOF_DIR:-}" ]]; then
  work=$GATE_PROOF_DIR; mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/tracetax-gate-proof.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

bench() { npm run --silent bench -- --scenario "$scenario" "$@" >"$work/last.out" 2>"$work/last.err"; }
# The verdict line, then the CPU row of the verdict table (change, CI, p).
verdict() { echo "$(grep -E '^(PASS|FAIL|UNDECIDED):' "$work/last.out" | head -n 1 | cut -c1-120) | $(grep -E 'CPU µs/request overhead' "$work/last.out" | tail -n 1 | tr -s ' ')"; }
# PLANT_PCT % of always_on's CPU/request in a run folder, per span, as loop iterations.
plant_from() {
  node -e '
    const run = JSON.parse(require("fs").readFileSync(process.argv[1] + "/run.json", "utf8"));
    const v = run.variants.find((x) => x.name === "always_on");
    if (!v) { console.error("gate-proof: the scenario has no always_on variant to size the plant from"); process.exit(2); }
    console.log(Math.round(Number(process.argv[2]) / 100 * v.summary.cpuUsPerRequest / run.spansPerRequestExpected * run.environment.iterationsPerUs));
  ' "$1" "$plant_pct"
}

if [[ $mode == same-run ]]; then
  if ! git diff --quiet HEAD -- src scenarios package-lock.json; then
    echo "gate-proof: src/, scenarios/ or the lockfile differ from HEAD, and the base is a clone of HEAD: commit first" >&2; exit 2
  fi
  rm -rf "$work/base"
  git clone -q . "$work/base"
  (cd "$work/base" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  reference=(--check "$work/base")
  start=$(date +%s)
  # Exit 1 (a false alarm) is a result here too: the run only sizes the plant.
  bench "${reference[@]}" --out "$work/calibrate" || [[ $? == 1 ]] || { cat "$work/last.err" >&2; exit 2; }
  echo "calibration run (not counted) in $(( $(date +%s) - start )) s: $(verdict)"
  planted=$(plant_from "$work/calibrate")
else
  start=$(date +%s)
  bench --save-baseline "$work/baseline.json" --out "$work/baseline"
  echo "baseline saved in $(( $(date +%s) - start )) s"
  reference=(--check "$work/baseline.json")
  planted=$(plant_from "$work/baseline")
fi
echo "planted regression: $planted loop iterations per span (about $plant_pct% of always_on's CPU/request)"

false_alarms=0 detections=0 undecided_unchanged=0 undecided_planted=0 slowest=0
for i in $(seq "$checks"); do
  # Interleaved, so slow drift of the machine hits both kinds of check alike.
  for kind in unchanged planted; do
    extra=(); [[ $kind == planted ]] && extra=(--plant-span-iterations "$planted")
    start=$(date +%s)
    failed=0 open=0
    if ! bench "${reference[@]}" "${extra[@]}" --out "$work/$kind-$i"; then
      rc=$?
      case $rc in 1) failed=1 ;; 4) open=1 ;; *) cat "$work/last.err" >&2; exit "$rc" ;; esac
    fi
    took=$(( $(date +%s) - start )); (( took > slowest )) && slowest=$took
    if [[ $kind == unchanged ]]; then false_alarms=$((false_alarms + failed)); undecided_unchanged=$((undecided_unchanged + open))
    else detections=$((detections + failed)); undecided_planted=$((undecided_planted + open)); fi
    echo "$kind $i: $(verdict) (${took} s)"
  done
done
echo "$mode: false alarms $false_alarms of $checks unchanged checks (undecided $undecided_unchanged); detections $detections of $checks planted regressions (undecided $undecided_planted; $planted iterations/span, about $plant_pct% of CPU/request); slowest check ${slowest} s"

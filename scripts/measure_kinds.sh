#!/bin/bash
# Issue 21's levers, one at a time and together, on dev halves only (README "Where errors are dense"):
# realistic-wiki and realistic-books dev slices (scripts/dense_slice.py, 60 lines of 5-40 words each),
# BEA-322:dev and own:dev, through the real corrector; per-kind recall and precision in each report.md,
# one table by `spelltune compare`. Each finished report is skipped on a rerun. One heavy job at a time:
#   nohup bash scripts/measure_kinds.sh > runs/kinds/measure.log 2>&1 &
# Choose what ships only from these dev numbers; the test halves are scored once, at the end.
# Each finished report is also kept in $RECORDS (committed): the whole measurement needs more hours of two cores
# than one sitting, and a later sitting restores those reports instead of running them again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-runs/kinds/levers}
SHARED=${SHARED:-../shared/data}
LIMIT=${LIMIT:-60}
RECORDS=${RECORDS:-docs/dense-errors/records}
mkdir -p "$OUT"
for record in "$RECORDS"/*/*/; do  # <suite>/<lever>/report.json from an earlier sitting
  [[ -f $record/report.json ]] || continue
  target=$OUT/$(basename "$(dirname "$record")")/$(basename "$record")
  [[ -f $target/report.json ]] || { mkdir -p "$target" && cp "$record"/report.* "$target/"; }
done
for corpus in wiki books; do
  [[ -f $OUT/$corpus-dev.jsonl ]] ||
    $PY scripts/dense_slice.py "$SHARED/realistic-$corpus:dev" --limit "$LIMIT" --out "$OUT/$corpus-dev.jsonl"
done
SUITES=("wiki=$OUT/wiki-dev.jsonl" "books=$OUT/books-dev.jsonl" "bea=$SHARED/neuspell-bea322:dev" "own=own:dev")
declare -A LEVERS=(
  [baseline]=""
  [short]="rescore.short_words=true"
  [split]="rescore.split_words=true"
  [long3]="rescore.long_word_distance=3"
  [adjacent]="rescore.adjacent_misspellings=true"
  [all]="rescore.short_words=true rescore.split_words=true rescore.long_word_distance=3 rescore.adjacent_misspellings=true"
)
for lever in baseline short split long3 adjacent all; do
  sets=()
  for setting in ${LEVERS[$lever]}; do sets+=(--set "$setting"); done
  for entry in "${SUITES[@]}"; do
    name=${entry%%=*} suite=${entry#*=}
    report=$OUT/$name/$lever
    [[ -f $report/report.json ]] || $PY -m spelltune eval --model default --suite "$suite" --out "$report" "${sets[@]}"
    mkdir -p "$RECORDS/$name/$lever" && cp "$report"/report.{json,md} "$RECORDS/$name/$lever/"
  done
done
for entry in "${SUITES[@]}"; do
  name=${entry%%=*}
  $PY -m spelltune compare "$OUT/$name"/{baseline,short,split,long3,adjacent,all} --out "$OUT/compare-$name"
done
echo "done: $OUT/compare-*/"

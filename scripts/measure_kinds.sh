#!/bin/bash
# Issue 21's levers, one at a time and together (README "Where errors are dense"): realistic-wiki and
# realistic-books slices (scripts/dense_slice.py, 60 lines of 5-40 words each), BEA-322 and own, one half
# each, through the real corrector; per-kind recall and precision in each report.md, one table by
# `spelltune compare`. Each finished report is skipped on a rerun. One heavy job at a time:
#   nohup bash scripts/measure_kinds.sh > runs/kinds/measure.log 2>&1 &
# Choose what ships only from the dev numbers (SPLIT=dev, the default). The test halves are scored once, at the
# end, for the shipped settings against the old ones:
#   SPLIT=test LEVER_NAMES="before after" bash scripts/measure_kinds.sh
# What each finished report measured is also kept in $RECORDS (committed): the whole measurement needs more hours
# of two cores than one sitting, and a later sitting restores those reports instead of running them again. A record
# is report.json without its cases: their sentences come from ../shared/data, which is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
SPLIT=${SPLIT:-dev}
SUFFIX=$([[ $SPLIT == dev ]] || echo "-$SPLIT")  # the dev half keeps the first sitting's folders
OUT=${OUT:-runs/kinds/levers$SUFFIX}
SHARED=${SHARED:-../shared/data}
LIMIT=${LIMIT:-60}
RECORDS=${RECORDS:-docs/dense-errors/records$SUFFIX}
LEVER_NAMES=${LEVER_NAMES:-baseline short split long3 adjacent all short+adjacent sentence rare sentence+rare}
mkdir -p "$OUT"
for record in "$RECORDS"/*/*/; do  # <suite>/<lever>/report.json from an earlier sitting
  [[ -f $record/report.json ]] || continue
  target=$OUT/$(basename "$(dirname "$record")")/$(basename "$record")
  [[ -f $target/report.json ]] || { mkdir -p "$target" && cp "$record"/report.json "$target/"; }
done
for corpus in wiki books; do
  [[ -f $OUT/$corpus-$SPLIT.jsonl ]] ||
    $PY scripts/dense_slice.py "$SHARED/realistic-$corpus:$SPLIT" --limit "$LIMIT" --out "$OUT/$corpus-$SPLIT.jsonl"
done
ALL_SUITES=("wiki=$OUT/wiki-$SPLIT.jsonl" "books=$OUT/books-$SPLIT.jsonl" "bea=$SHARED/neuspell-bea322:$SPLIT"
            "own=own:$SPLIT")
SUITE_NAMES=${SUITE_NAMES:-wiki books bea own}  # e.g. SUITE_NAMES="bea own": a lever's check on learner text only
SUITES=()
for entry in "${ALL_SUITES[@]}"; do [[ " $SUITE_NAMES " == *" ${entry%%=*} "* ]] && SUITES+=("$entry"); done
# Later levers were measured against the shipped defaults of their day; these pin what those were.
BEFORE_ACCENTS="rescore.accent_typos=false rescore.sentence_case=false"
BEFORE_KNOWN="$BEFORE_ACCENTS rescore.known_context=false"
ALL_LEVERS="rescore.short_words=true rescore.split_words=true rescore.long_word_distance=3 rescore.adjacent_misspellings=true"
OFF="rescore.short_words=false rescore.split_words=false rescore.long_word_distance=2 rescore.adjacent_misspellings=false
     rescore.sentence_misspellings=false rescore.redecide_rounds=1 rescore.rare_words=false $BEFORE_KNOWN"
# The second sitting's levers go on top of the first sitting's pick (short words + adjacent misspellings).
PICK="rescore.short_words=true rescore.split_words=false rescore.long_word_distance=2 rescore.adjacent_misspellings=true
      rescore.sentence_misspellings=false rescore.redecide_rounds=1 rescore.rare_words=false $BEFORE_KNOWN"
declare -A LEVERS=(
  [baseline]="$OFF"  # every lever off, as the first measurement ran it
  [short]="$OFF rescore.short_words=true"
  [split]="$OFF rescore.split_words=true"
  [long3]="$OFF rescore.long_word_distance=3"
  [adjacent]="$OFF rescore.adjacent_misspellings=true"
  [all]="$OFF $ALL_LEVERS"
  [short+adjacent]="$OFF rescore.short_words=true rescore.adjacent_misspellings=true"  # the two that paid alone
  [sentence]="$PICK rescore.sentence_misspellings=true rescore.redecide_rounds=2"
  [rare]="$PICK rescore.rare_words=true"
  [sentence+rare]="$PICK rescore.sentence_misspellings=true rescore.redecide_rounds=2 rescore.rare_words=true"
  [before]="$OFF"
  [after]="$BEFORE_KNOWN"  # the shipped defaults when the test halves were first scored
  [dense-model]="$BEFORE_KNOWN"  # those defaults with the adapter retrained on dense data (MODELS below)
  [known]="$BEFORE_ACCENTS rescore.known_context=true"  # and the others' likeliest known words as context
  [accents]="rescore.accent_typos=true rescore.sentence_case=false"  # known, and stray accents decided as plain text
  [cased]="rescore.accent_typos=true rescore.sentence_case=true"  # and corrected sentence starts capitalised (shipped)
  [names]=""  # the shipped defaults once a capitalised word with accents is a name at a sentence start too (code)
)
# A lever may also name the model it runs; the rest run the shipped `default`.
declare -A MODELS=(
  [dense-model]=${DENSE_MODEL:-runs/dense-retrain/run}  # scripts/train_dense_model.sh
)
for lever in $LEVER_NAMES; do
  sets=()
  for setting in ${LEVERS[$lever]}; do sets+=(--set "$setting"); done
  for entry in "${SUITES[@]}"; do
    name=${entry%%=*} suite=${entry#*=}
    report=$OUT/$name/$lever
    [[ -f $report/report.json ]] || $PY -m spelltune eval --model "${MODELS[$lever]:-default}" --suite "$suite" --out "$report" "${sets[@]}"
    mkdir -p "$RECORDS/$name/$lever"
    $PY -c 'import json, sys; report = json.load(open(sys.argv[1])); report.pop("cases", None)
json.dump(report, open(sys.argv[2], "w"), indent=1)' "$report/report.json" "$RECORDS/$name/$lever/report.json"
  done
done
for entry in "${SUITES[@]}"; do
  name=${entry%%=*}
  reports=()
  for lever in $LEVER_NAMES; do reports+=("$OUT/$name/$lever"); done
  $PY -m spelltune compare "${reports[@]}" --out "$OUT/compare-$name"
done
echo "done: $OUT/compare-*/"

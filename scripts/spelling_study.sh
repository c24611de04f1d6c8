#!/bin/bash
# The spelling-mechanics study, end to end (README "Spelling mechanics"; docs/spelling-study/). Every step
# skips what is already there, so a rerun after an interruption continues. One heavy job at a time:
#   nohup bash scripts/spelling_study.sh > runs/spelling/study.log 2>&1 &
# and `bash scripts/spelling_study.sh --save-records` copies what the finished runs measured into $DOCS/records.
# 1. data: spelling rows of the tokenizer's tokens + letter questions on held-out words; the control data
# 2. the base model on the validation questions (the sweep table's first row)
# 3. stage 1: one change at a time around the reference (configs/sweep/spelling-points.yaml) + control
# 4. stage 2: the best stage-1 setting trained LONG_STEPS steps, and a second seed of the top two
#    (scripts/spelling_stage2_points.py; chosen on validation only)
# 5. the test split, once: the base, the run the validation metric selects, and both controls
# 6. the report and dashboard in docs/spelling-study, and the selected model merged
# The study needs more hours of two cores than one working session has, so what each finished step measured
# (a run's config, summary and metrics; an evaluation's summary and predictions; never weights) is kept in
# $DOCS/records and committed. A later session restores those records instead of training again, and
# retrains (same config and seed) only a run whose weights the test step needs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-runs/spelling}
DOCS=${DOCS:-docs/spelling-study}
LONG_STEPS=${LONG_STEPS:-750}  # 6x stage 1's 120 steps, 3x the first study run's 250
LONG_EVERY=${LONG_EVERY:-150}
TEST_PER_TYPE=${TEST_PER_TYPE:-500}
st() { $PY -m spelltune "$@"; }
EVAL=(--threads 2 --batch-size 16)
RECORDS=$DOCS/records
RUN_FILES=(train_summary.json config.yaml metrics.jsonl)
EVAL_FILES=(summary.json predictions.jsonl model.txt)

save_records() {  # what every finished run and evaluation measured, without weights
  local run name file
  for run in "$OUT"/sweep/*/; do
    name=$(basename "$run")
    [[ -f $run/train_summary.json ]] || continue
    mkdir -p "$RECORDS/sweep/$name"
    for file in "${RUN_FILES[@]}"; do [[ -f $run/$file ]] && cp "$run/$file" "$RECORDS/sweep/$name/"; done
  done
  for run in "$OUT"/eval-*/; do
    [[ -f $run/summary.json ]] || continue
    name=$(basename "$run")
    mkdir -p "$RECORDS/$name"
    for file in "${EVAL_FILES[@]}"; do [[ -f $run/$file ]] && cp "$run/$file" "$RECORDS/$name/"; done
  done
  return 0
}
restore_records() {  # a record stands in for a run or evaluation this machine has not got
  local record name
  for record in "$RECORDS"/sweep/*/ "$RECORDS"/eval-*/; do
    [[ -d $record ]] || continue
    name=$(basename "$record")
    case $record in */sweep/*) target=$OUT/sweep/$name ;; *) target=$OUT/$name ;; esac
    [[ -f $target/train_summary.json || -f $target/summary.json ]] && continue
    mkdir -p "$target" && cp "$record"/* "$target/" && touch "$target/.restored"
  done
  return 0
}
trap save_records EXIT
[[ ${1:-} == --save-records ]] && exit 0  # only keep what the finished runs measured (before a sitting ends)

[[ -f $OUT/data/manifest.json ]] || st spelling build --out "$OUT/data"
[[ -f $OUT/control/manifest.json ]] || st spelling control --data "$OUT/data" --out "$OUT/control"
[[ -f $OUT/control-mismatched/manifest.json ]] ||
  st spelling control --data "$OUT/data" --out "$OUT/control-mismatched" --kind mismatched
restore_records
[[ -f $OUT/eval-base-validation/summary.json ]] ||
  st spelling eval --model smollm2-135m --data "$OUT/data" --split validation --per-type 100 --spell-words 0 \
    "${EVAL[@]}" --out "$OUT/eval-base-validation"

SWEEP=(configs/train/spelling-sweep.yaml --metric eval_letter_accuracy --out "$OUT/sweep" --set "data.path=$OUT/data")
sed "s#runs/spelling/#$OUT/#" configs/sweep/spelling-points.yaml > "$OUT/points-stage1.yaml"
st sweep "${SWEEP[@]}" --points "$OUT/points-stage1.yaml"
save_records
$PY scripts/spelling_stage2_points.py "$OUT/sweep" "$OUT/points-stage1.yaml" --long-steps "$LONG_STEPS" --every "$LONG_EVERY" \
  > "$OUT/points-stage2.yaml"
st sweep "${SWEEP[@]}" --points "$OUT/points-stage2.yaml"

SELECTED=$($PY - "$OUT/sweep" <<'PYTHON'
import sys
from pathlib import Path
from spelltune.spelling.sweep_report import read_sweep_runs, selected_run
print(selected_run(read_sweep_runs(Path(sys.argv[1]))).name)
PYTHON
)
echo "selected on validation: $SELECTED"
for name in "$SELECTED" control control-mismatched; do  # the test step needs these weights: retrain a run known only by its record
  if [[ -f $OUT/sweep/$name/.restored ]]; then
    echo "$name was restored from its record; training it again for its weights"
    rm -rf "${OUT:?}/sweep/$name"
  fi
done
st sweep "${SWEEP[@]}" --points "$OUT/points-stage1.yaml"
st sweep "${SWEEP[@]}" --points "$OUT/points-stage2.yaml"
for name in base selected control control-mismatched; do
  case $name in
    base) model=smollm2-135m ;;
    selected) model="$OUT/sweep/$SELECTED" ;;
    *) model="$OUT/sweep/$name" ;;
  esac
  [[ -f $OUT/eval-test-$name/summary.json && $(cat "$OUT/eval-test-$name/model.txt" 2>/dev/null) == "$model" ]] || {
    rm -rf "${OUT:?}/eval-test-$name"
    st spelling eval --model "$model" --data "$OUT/data" --split test --per-type "$TEST_PER_TYPE" "${EVAL[@]}" \
      --out "$OUT/eval-test-$name"
    echo "$model" > "$OUT/eval-test-$name/model.txt"
  }
done
st spelling report "$OUT"/eval-test-{base,selected,control,control-mismatched} \
  --run "$OUT/sweep/$SELECTED" --sweep "$OUT/sweep" --base-validation "$OUT/eval-base-validation" \
  --control "$OUT/eval-test-control" --control "$OUT/eval-test-control-mismatched" --out "$DOCS"
st merge "$OUT/sweep/$SELECTED" --out "$OUT/merged-$SELECTED" --force
echo "study done: $DOCS/report.md; merged model: $OUT/merged-$SELECTED"

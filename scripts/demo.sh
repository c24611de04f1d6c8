#!/usr/bin/env bash
# The whole pipeline on a CPU, end to end: build data, fine-tune briefly, evaluate against the
# classic baselines, compare, and correct a sample paragraph. Run through `make demo`.
#
#   DEMO_DIR   where everything is written            (default: runs/demo)
#   BENCH      a corrupt.txt/correct.txt benchmark    (default: ../shared/data/neuspell-bea322 when
#              present, else the project's own suite)
#   LM_LIMIT   sentences per eval, the same for every model (default: 100)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DEMO_DIR=${DEMO_DIR:-runs/demo}
LM_LIMIT=${LM_LIMIT:-100}
if [[ -z "${BENCH:-}" ]]; then
  if [[ -d ../shared/data/neuspell-bea322 ]]; then BENCH=../shared/data/neuspell-bea322; else BENCH=own; fi
fi
DEFAULT_MODEL=$($BIN/python -c 'from spelltune.models import default_model_spec as d; print(d())')
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1/5 build the quick dataset (embedded sources only)"
$BIN/spelltune data build configs/data/quick.yaml --out "$DEMO_DIR/data"
$BIN/spelltune data check "$DEMO_DIR/data"

step "2/5 fine-tune the embedded SmolLM2-135M briefly (configs/train/cpu-smoke.yaml): watch the loss fall"
rm -rf "$DEMO_DIR/train"
$BIN/spelltune train configs/train/cpu-smoke.yaml --out "$DEMO_DIR/train" --set "data.path=$DEMO_DIR/data" --set "data.overrides=[]"

step "3/5 evaluate on $BENCH (first $LM_LIMIT sentences): the demo run, '$DEFAULT_MODEL' and the classic baselines"
reports=()
for model in identity symspell pyspellchecker; do
  $BIN/spelltune eval --model "$model" --suite "$BENCH" --limit "$LM_LIMIT" --out "$DEMO_DIR/eval/$model"
  reports+=("$DEMO_DIR/eval/$model")
done
for model in "$DEMO_DIR/train" "$DEFAULT_MODEL"; do
  name=$(basename "$model")
  $BIN/spelltune eval --model "$model" --suite "$BENCH" --limit "$LM_LIMIT" --out "$DEMO_DIR/eval/$name"
  reports+=("$DEMO_DIR/eval/$name")
done

step "4/5 compare (table below; plots in $DEMO_DIR/compare)"
$BIN/spelltune compare "${reports[@]}" --out "$DEMO_DIR/compare"

step "5/5 correct examples/sample.txt with '$DEFAULT_MODEL'"
$BIN/spelltune fix --diff --file examples/sample.txt

step "next: check your own writing in the web editor"
printf 'Start it with:\n\n    .venv/bin/spelltune serve\n\nthen open http://127.0.0.1:8080/ (the model loads once; Ctrl+C stops it).\n'

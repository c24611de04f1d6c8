#!/usr/bin/env bash
# Issue 21's retrain: the shipped default's recipe (configs/train/cpu-default.yaml, 700 steps) on the quick
# dataset with a share of dense pairs (a quarter of the words wrong, short words and neighbours included).
# Only the complexity mix differs from the shipped run: simple/medium/complex 0.4/0.4/0.2 become
# 0.35/0.35/0.15 plus dense 0.15 (13% of the corrupted pairs). ~70 minutes on 2 cores; resumes when rerun.
#   nohup bash scripts/train_dense_model.sh > runs/dense-retrain/train.log 2>&1 &
# Then: LEVER_NAMES="sentence dense-model" bash scripts/measure_kinds.sh   (dev halves)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${1:-runs/dense-retrain/run}
resume=()
[[ -d "$RUN_DIR/checkpoints" ]] && resume=(--resume)
.venv/bin/spelltune train configs/train/cpu-default.yaml --out "$RUN_DIR" "${resume[@]}" \
  --set 'data.overrides=["complexity_mix={simple: 0.35, medium: 0.35, complex: 0.15, dense: 0.15}"]' \
  --set max_minutes=85

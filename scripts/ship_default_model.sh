#!/usr/bin/env bash
# Regenerate the shipped default model: train configs/train/cpu-default.yaml (<= 60 min on 2 cores),
# then copy its LoRA adapter and model card into spelltune/models/default/ (the `default` spec).
#
#   bash scripts/ship_default_model.sh [RUN_DIR]     (default RUN_DIR: runs/cpu-default)
# An existing finished RUN_DIR is shipped as it is; an unfinished one is resumed first.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RUN_DIR=${1:-runs/cpu-default}
TARGET=spelltune/models/default

status=$($BIN/python -c "import json,sys; print(json.load(open(sys.argv[1])).get('status',''))" "$RUN_DIR/spelltune_run.json" 2>/dev/null || true)
if [[ "$status" != "finished" ]]; then
  resume=()
  [[ -d "$RUN_DIR/checkpoints" ]] && resume=(--resume)
  $BIN/spelltune train configs/train/cpu-default.yaml --out "$RUN_DIR" "${resume[@]}"
fi

adapter="$RUN_DIR/$($BIN/python -c "import json,sys; print(json.load(open(sys.argv[1]))['model_dir'])" "$RUN_DIR/spelltune_run.json")"
rm -rf "$TARGET"
mkdir -p "$TARGET"
cp "$adapter/adapter_model.safetensors" "$TARGET/"
# The base must be a spec any install resolves: the embedded model, not a path on this machine.
$BIN/python - "$adapter/adapter_config.json" "$TARGET/adapter_config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["base_model_name_or_path"] = "smollm2-135m"
if isinstance(config.get("target_modules"), list):  # PEFT writes a set: same adapter, another order
    config["target_modules"] = sorted(config["target_modules"])
json.dump(config, open(sys.argv[2], "w"), indent=2, sort_keys=True)
PY
{
  echo "# spelltune's \`default\` model"
  echo
  echo "This LoRA adapter on the embedded SmolLM2-135M-Instruct (\`smollm2-135m\`) is what \`spelltune fix\`"
  echo "uses when no \`--model\` is given. Regenerate it with \`bash scripts/ship_default_model.sh\`"
  echo "(trains \`configs/train/cpu-default.yaml\`, then copies the adapter here). Its run's card follows;"
  echo "paths in it are relative to that run directory."
  echo
  echo "In \`spelltune fix\` the adapter's greedy output goes through the guard, then a second pass in which"
  echo "the same model chooses, for each misspelled word, among the dictionary spellings (\`--no-rescore\`"
  echo "turns it off). README.md has both on BEA-322 and the own suite, with the commands."
  echo
  sed 's/^# /## /' "$RUN_DIR/README.md"
} > "$TARGET/README.md"
cp "$RUN_DIR/config.yaml" "$TARGET/train_config.yaml"
du -sh "$TARGET"/*
echo "shipped $adapter as the 'default' model spec"

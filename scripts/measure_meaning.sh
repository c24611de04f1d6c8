#!/bin/bash
# Issue 14 measurements, in the order choices are made (run it under the heavy lock:
#   flock /tmp/spelltune-heavy.lock scripts/measure_meaning.sh > runs/measure-meaning.log 2>&1).
# Dev halves only until the last step:
#   1. the previous shipped adapter (commit 60aa802) and the retrained one at the settings shipped
#      before the sweep, on own:dev + BEA-322:dev: which adapter ships;
#   2. the second-pass grid for the retrained adapter, and the point scripts/pick_rescore_settings.py
#      picks by its fixed rule;
# then, once configs/correct/default.yaml holds the picked point and the better adapter is shipped
# (STAGE=test), the test halves.
set -euxo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
BEA=../shared/data/neuspell-bea322
DEV=(--suite own:dev --suite "$BEA:dev")
BASELINE=(rescore.confusion_margin=2.0 rescore.distance_penalty=1.0 rescore.mirror_letter_cost=1.0 rescore.sound_alike_discount=0.0)
if [[ "${STAGE:-dev}" == dev ]]; then
  mkdir -p runs/adapters/v1
  for file in adapter_config.json adapter_model.safetensors README.md train_config.yaml; do
    git show "60aa802:spelltune/models/default/$file" > "runs/adapters/v1/$file"
  done
  grid_of() { for kv in "$@"; do echo "--grid" "$kv"; done; }
  # shellcheck disable=SC2046
  $PY scripts/rescore_sweep.py --model runs/adapters/v1 "${DEV[@]}" $(grid_of "${BASELINE[@]}") --out runs/rescore-sweep/dev-v1
  $PY scripts/rescore_sweep.py --model "${MODEL:-runs/cpu-default}" "${DEV[@]}" \
    --grid rescore.confusion_margin=1.0,2.0,3.0,4.0 --grid rescore.distance_penalty=1.0,1.5 \
    --grid rescore.mirror_letter_cost=1.0,0.5 --grid rescore.sound_alike_discount=0.0,0.5 --out runs/rescore-sweep/dev-v2
  $PY scripts/pick_rescore_settings.py runs/rescore-sweep/dev-v2/sweep.json $(printf -- '--baseline %s ' "${BASELINE[@]}") \
    | tee runs/rescore-sweep/dev-v2/picked.txt
  echo DEV DONE
else
  $PY -m spelltune eval --model default --suite own:test --out runs/eval/own-test-default
  $PY scripts/guard_refusals.py --from-json runs/eval/own-test-default/report.json --out runs/guard/after-own-test
  $PY -m spelltune eval --model default --suite "$BEA:test" --out runs/eval/bea-test-default
  echo TEST DONE
fi

#!/bin/bash
# Issue 14 measurements, most important first (run it under the heavy lock:
#   flock /tmp/spelltune-heavy.lock scripts/measure_meaning.sh > runs/measure-meaning.log 2>&1):
# The test halves with the shipped confusion margin (2.0, set before any measurement), the previous
# code on the BEA-322 test half, then the dev sweep that checks the margin (scripts/pick_margin.py).
set -x
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY -m spelltune eval --model default --suite own:test --out runs/eval/own-test-default
$PY scripts/guard_refusals.py --from-json runs/eval/own-test-default/report.json --out runs/guard/after-own-test
$PY -m spelltune eval --model default --suite ../shared/data/neuspell-bea322:test --out runs/eval/bea-test-default
$PY -m spelltune eval --model symspell --suite ../shared/data/neuspell-bea322:test --out runs/eval/bea-test-symspell
$PY -m spelltune eval --model symspell --suite own:test --out runs/eval/own-test-symspell
# The previous code on the BEA-322 test half: git archive 3c941c1 into /tmp/quality/before, and
# /tmp/quality/bea322-test.jsonl written from load_suite("../shared/data/neuspell-bea322:test") (the old code has no :test).
[ -d /tmp/quality/before ] && (cd /tmp/quality/before && PYTHONPATH=/tmp/quality/before "$OLDPWD/.venv/bin/python" -m spelltune eval --model default --suite /tmp/quality/bea322-test.jsonl --out "$OLDPWD/runs/eval/before-bea-test")
echo TEST DONE
$PY scripts/rescore_sweep.py --suite own:dev --suite ../shared/data/neuspell-bea322:dev \
   --grid rescore.confusion_sets=true,false --grid rescore.confusion_margin=0,1,2,3,4 --out runs/rescore-sweep/margin
$PY scripts/pick_margin.py runs/rescore-sweep/margin/sweep.json > runs/rescore-sweep/margin/picked.txt
echo PIPELINE DONE

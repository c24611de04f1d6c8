#!/bin/bash
# Issue 22's measurements with the real default model (README "Learning from a writer's decisions" and
# "Many writers"). One heavy job at a time:  nohup bash scripts/measure_writers.sh > runs/writers/measure.log 2>&1 &
# 1. simulated writers, no learning and immediate learning (WRITERS x SESSIONS x SENTENCES)
# 2. the same with `adapt` between sessions (ADAPT_WRITERS writers; each adapt trains a small LoRA), then
#    each writer's last kept adapter on the general held-out halves (own:test, BEA-322:test) beside the default model
# 3. serve_load with N writers, each with their own token and dictionary word, on SQLite and on a throwaway
#    PostgreSQL cluster (Debian's postgresql; started as the postgres user when run as root)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-runs/writers}
SHARED=${SHARED:-../shared/data}
WRITERS=${WRITERS:-4} SESSIONS=${SESSIONS:-5} SENTENCES=${SENTENCES:-20} ADAPT_WRITERS=${ADAPT_WRITERS:-2}
mkdir -p "$OUT"

[[ -f $OUT/learning.json ]] || $PY bench/simulated_writers.py --model default --writers "$WRITERS" \
  --sessions "$SESSIONS" --sentences-per-session "$SENTENCES" --modes none,immediate --out "$OUT/learning"

[[ -f $OUT/replay/train.jsonl ]] || $PY -m spelltune data build configs/data/quick.yaml --out "$OUT/replay"
[[ -f $OUT/adapt.json ]] || $PY bench/simulated_writers.py --model default --writers "$ADAPT_WRITERS" \
  --sessions "$SESSIONS" --sentences-per-session "$SENTENCES" --modes none,immediate,adapt \
  --replay "$OUT/replay" --out "$OUT/adapt"
for suite in own:test "$SHARED/neuspell-bea322:test"; do
  name=$(basename "${suite%%:*}")
  [[ -f $OUT/general/default-$name/report.json ]] ||
    $PY -m spelltune eval --model default --suite "$suite" --out "$OUT/general/default-$name"
  # each writer's model after the last session: the last adapter `adapt` kept for them
  kept=$($PY -c 'import json, pathlib, sys
last = {}
for path in pathlib.Path(sys.argv[1]).glob("*/after-*/decision.json"):
    decision = json.loads(path.read_text())
    after = int(path.parent.name.removeprefix("after-"))
    writer = path.parent.parent.name
    if decision.get("kept") and after > last.get(writer, (-1, ""))[0]:
        last[writer] = (after, decision["model"])
for writer, (after, model) in sorted(last.items()):
    print(f"{writer}-after-{after}", model)' "$OUT/adapted" 2>/dev/null || true)
  while read -r label adapter; do
    [[ -n $label ]] || continue
    [[ -f $OUT/general/$label-$name/report.json ]] ||
      $PY -m spelltune eval --model "$adapter" --suite "$suite" --out "$OUT/general/$label-$name"
  done <<< "$kept"
done

[[ -f $OUT/load-sqlite.json ]] || $PY bench/serve_load.py --model default --writers 8 --clients 16 --duration 60 \
  --database "sqlite:///$PWD/$OUT/load.db" --json-out "$OUT/load-sqlite.json"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
if [[ ! -f $OUT/load-postgres.json && -x $PGBIN/initdb ]]; then
  cluster=$(mktemp -d); chmod 755 "$cluster"
  as_pg=(); [[ $(id -u) -eq 0 ]] && { chown postgres "$cluster"; as_pg=(runuser -u postgres --); }
  "${as_pg[@]}" "$PGBIN/initdb" -D "$cluster/data" -A trust -U postgres > /dev/null
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$cluster/data" -o "-p 54329 -k $cluster -c listen_addresses=''" -w start > /dev/null
  trap '"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$cluster/data" -m fast stop > /dev/null; rm -rf "$cluster"' EXIT
  $PY bench/serve_load.py --model default --writers 8 --clients 16 --duration 60 \
    --database "postgresql://postgres@/postgres?host=$cluster&port=54329" --json-out "$OUT/load-postgres.json"
fi
# 4. what README "Learning from a writer's decisions" shows, regenerated into docs/writers
DOCS=${DOCS:-docs/writers}
mkdir -p "$DOCS"
$PY -m spelltune compare "$OUT"/general/*-own "$OUT"/general/*-neuspell-bea322 --out "$OUT/general-compare" > /dev/null
cp "$OUT"/learning.{md,png} "$OUT"/adapt.{md,png} "$OUT"/load-sqlite.json "$DOCS/"
[[ -f $OUT/load-postgres.json ]] && cp "$OUT/load-postgres.json" "$DOCS/"
cp "$OUT/general-compare/compare.md" "$DOCS/general.md"
$PY - "$OUT/adapted" > "$DOCS/adapt-decisions.md" <<'PYTHON'
import json, pathlib, sys
print("| writer | after feedback events | kept | train minutes | held-out fixed (old → new) | rejected shown again | general exact (old → new) |")
print("|---|---:|---|---:|---|---|---|")
rows = []
for path in pathlib.Path(sys.argv[1]).glob("*/after-*/decision.json"):
    d = json.loads(path.read_text())
    rows.append((path.parent.parent.name, int(path.parent.name.removeprefix("after-")), d))
for writer, after, d in sorted(rows):
    old, new = d["old"], d["new"]
    print(f"| {writer} | {after} | {'yes' if d['kept'] else 'no'} | {d['train_minutes']:.1f} | {old['fixed']} → {new['fixed']} | "
          f"{old['wrong_again']} → {new['wrong_again']} | {old['general_exact']:.1%} → {new['general_exact']:.1%} |")
PYTHON
echo "done: $OUT, $DOCS"

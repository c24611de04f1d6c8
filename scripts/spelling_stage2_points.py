"""The spelling study's stage 2: stage 1's points plus the longer run and second seeds, chosen on validation only.

Reads SWEEP/sweep.json (stage 1 finished), picks the best spelling run (never a control) and the
runner-up by validation mean letter accuracy, and prints a points YAML holding every stage-1 point plus:
  long-<best>:    the best run's settings trained LONG_STEPS steps (several times longer than the rest),
  seed1-<best>, seed1-<runner-up>: the same two settings with seed 1 (their difference may be noise).
The sweep skips finished runs, so running `spelltune sweep --points` on the output trains only the new ones.

    python scripts/spelling_stage2_points.py runs/spelling/sweep configs/sweep/spelling-points.yaml \
        --long-steps 1500 > runs/spelling/points-stage2.yaml
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

METRIC = "eval_letter_accuracy"


def stage2_points(rows: list[dict], stage1: dict[str, list[str]], long_steps: int, every: int) -> dict[str, list[str]]:
    """Stage 1's points and the three new ones, in a stable order."""
    ranked = sorted((r for r in rows if not r["run"].startswith("control") and r.get(METRIC) is not None),
                    key=lambda r: -r[METRIC])
    if len(ranked) < 2:
        raise SystemExit("stage 1 needs at least two finished spelling runs")
    best, runner_up = ranked[0]["run"], ranked[1]["run"]
    points = dict(stage1)
    points[f"long-{best}"] = [*stage1[best], f"max_steps={long_steps}", f"eval.every_steps={every}",
                              f"save_every_steps={every}"]
    for name in (best, runner_up):
        points[f"seed1-{name}"] = [*stage1[name], "seed=1"]
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep", type=Path, help="stage 1's sweep folder (with sweep.json)")
    parser.add_argument("points", type=Path, help="stage 1's points YAML")
    parser.add_argument("--long-steps", type=int, default=1500)
    parser.add_argument("--every", type=int, default=300, help="validation/checkpoint interval of the long run")
    args = parser.parse_args()
    rows = json.loads((args.sweep / "sweep.json").read_text(encoding="utf-8"))
    stage1 = {name: list(overrides or []) for name, overrides in yaml.safe_load(args.points.read_text()).items()}
    print(yaml.safe_dump(stage2_points(rows, stage1, args.long_steps, args.every), sort_keys=False), end="")


if __name__ == "__main__":
    main()

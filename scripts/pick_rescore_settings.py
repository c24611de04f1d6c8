"""Pick second-pass settings from a dev sweep (scripts/rescore_sweep.py) by a rule fixed before looking.

Rule: among grid points that keep every correct dev sentence holding a confusable word as written and
break no more dev words than the baseline point (the settings shipped before the sweep), the one with
the best dev exact match summed over the suites. Ties go to the larger confusion margin, then to the
point that differs from the baseline in fewer settings, then to the first in grid order. Prints the
chosen point as `key=value` lines.

    python scripts/pick_rescore_settings.py runs/rescore-sweep/dev/sweep.json \
        --baseline rescore.confusion_margin=2 --baseline rescore.distance_penalty=1 ...
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

MARGIN = "rescore.confusion_margin"


def _grid_keys(row: dict) -> list[str]:
    return [key for key in row if "." in key and not key.endswith(("%", "broken"))]


def _broken(row: dict) -> int:
    return sum(value for key, value in row.items() if key.endswith(" broken"))


def _exact(row: dict) -> float:
    return sum(value for key, value in row.items() if key.endswith(" exact %"))


def _all_kept(row: dict) -> bool:
    kept, total = row["confusable pass-through kept"].split("/")
    return kept == total


def _same(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return a.lower() == b.lower()


def pick(rows: list[dict], baseline: dict[str, str]) -> dict:
    """The grid point the rule picks (a sweep row)."""
    keys = _grid_keys(rows[0])
    missing = sorted(set(baseline) - set(keys))
    if missing:
        raise SystemExit(f"error: the sweep has no axis {', '.join(missing)}")
    base = [row for row in rows if all(_same(str(row[k]), v) for k, v in baseline.items())]
    if len(base) != 1:
        raise SystemExit(f"error: the baseline matches {len(base)} sweep points, not one: name every axis")
    ceiling = _broken(base[0])
    allowed = [row for row in rows if _all_kept(row) and _broken(row) <= ceiling] or base

    def differences(row: dict) -> int:
        return sum(not _same(str(row[k]), baseline[k]) for k in baseline)

    return max(allowed, key=lambda row: (_exact(row), float(row.get(MARGIN, 0)), -differences(row)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep", type=Path, help="sweep.json from scripts/rescore_sweep.py")
    parser.add_argument("--baseline", action="append", required=True, help="key=value of the shipped settings; repeat")
    args = parser.parse_args()
    rows = json.loads(args.sweep.read_text())
    chosen = pick(rows, dict(item.split("=", 1) for item in args.baseline))
    for key in _grid_keys(chosen):
        print(f"{key}={chosen[key]}")


if __name__ == "__main__":
    main()

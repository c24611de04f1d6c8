"""Pick the confusion margin from a dev sweep (scripts/rescore_sweep.py) by a rule fixed before looking.

Rule: among margins that leave every correct dev sentence holding a confusable word as written and
break no more dev words than the largest margin swept, the one with the best dev exact match summed over
the suites; on a tie, the larger margin (fewer changes). Prints the margin.

    python scripts/pick_margin.py runs/rescore-sweep/margin/sweep.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def pick(rows: list[dict]) -> float:
    """The margin the rule picks from the sweep rows."""
    key = "rescore.confusion_margin"
    rows = sorted((row for row in rows if str(row.get("rescore.confusion_sets", "true")).lower() == "true"),
                  key=lambda row: float(row[key]))
    broken = [sum(v for k, v in row.items() if k.endswith(" broken")) for row in rows]
    safest = broken[-1]

    def all_kept(row):
        kept, total = row["confusable pass-through kept"].split("/")
        return kept == total

    allowed = [(row, b) for row, b in zip(rows, broken) if all_kept(row) and b <= safest] or [(rows[-1], safest)]
    best = max(allowed, key=lambda item: (sum(v for k, v in item[0].items() if k.endswith(" exact %")), float(item[0][key])))
    return float(best[0][key])


if __name__ == "__main__":
    print(pick(json.loads(Path(sys.argv[1]).read_text())))

"""Sweep the rescoring penalties on a dev report: how sentence exact match and broken words move.

Input: a report written by `spelltune eval --no-rescore` on a dev suite (BEA-322, own-dev). For every
word the rescoring would decide (`find_slots`), the model scores every variant once (the whole line is
the prompt); each grid point then decides every word independently from those cached scores, so the
sweep is cheap. Dev suites only: choose the penalties here, report on test suites.

    python scripts/rescore_sweep.py runs/eval/bea-default-norescore/report.json --model default \
        --out runs/rescore-sweep/bea
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tqdm import tqdm

UNKNOWN_WORD_PENALTIES = [0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0]
DISTANCE_PENALTIES = [0.0, 0.5, 1.0, 2.0]


def score_cases(report: dict, model: str, split: str | None) -> list[dict]:
    """Each case with its slots and every variant's log-probability."""
    from dataclasses import asdict

    from spelltune.correct.rescore import CandidateRescorer, find_slots
    from spelltune.engine import load_engine

    rescorer = CandidateRescorer(load_engine(model))
    cases = [c for c in report["cases"] if split is None or c.get("split") == split]
    scored = []
    for case in tqdm(cases, desc="scoring candidates", unit="sentence"):
        slots = []
        for slot in find_slots(case["input"], case["output"], rescorer.settings):
            texts = [case["output"][: slot.start] + v + case["output"][slot.end :] for v in slot.variants]
            slots.append({**asdict(slot), "log_probs": rescorer.completion_log_probs(case["input"], texts)})
        scored.append({"input": case["input"], "expected": case["expected"], "output": case["output"], "slots": slots})
    return scored


def apply_penalties(case: dict, settings) -> str:
    """The case's output after deciding each slot with these settings."""
    from spelltune.correct.rescore import Slot

    text = case["output"]
    for data in sorted(case["slots"], key=lambda s: -s["start"]):
        slot = Slot(data["start"], data["end"], data["variants"], data["distances"], data["known"])
        text = text[: slot.start] + slot.choose(data["log_probs"], settings) + text[slot.end :]
    return text


def sweep(scored: list[dict]) -> list[dict]:
    """Exact match and words broken at every grid point."""
    from spelltune.correct.rescore import RescoreSettings
    from spelltune.evaluate.metrics import exact_match, word_counts

    sources = [c["input"] for c in scored]
    expected = [c["expected"] for c in scored]
    rows = [{"unknown_word_penalty": None, "distance_penalty": None,
             "exact_match": exact_match([c["output"] for c in scored], expected),
             "words_broken": word_counts(sources, expected, [c["output"] for c in scored]).broken}]
    for unknown in UNKNOWN_WORD_PENALTIES:
        for distance in DISTANCE_PENALTIES:
            settings = RescoreSettings(unknown_word_penalty=unknown, distance_penalty=distance)
            outputs = [apply_penalties(c, settings) for c in scored]
            rows.append({"unknown_word_penalty": unknown, "distance_penalty": distance,
                         "exact_match": exact_match(outputs, expected),
                         "words_broken": word_counts(sources, expected, outputs).broken})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="report.json of `spelltune eval --no-rescore` on a dev suite")
    parser.add_argument("--model", default="default")
    parser.add_argument("--split", default=None, help="only cases of this split (own suite: dev)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    cache = args.out / "scores.json"
    if cache.exists():
        scored = json.loads(cache.read_text())
    else:
        scored = score_cases(json.loads(args.report.read_text()), args.model, args.split)
        cache.write_text(json.dumps(scored, indent=1))
    rows = sweep(scored)
    lines = ["| keep penalty | edit penalty | exact % | words broken |", "|---|---|---|---|"]
    for row in rows:
        label = ("off", "off") if row["unknown_word_penalty"] is None else (row["unknown_word_penalty"], row["distance_penalty"])
        lines.append(f"| {label[0]} | {label[1]} | {100 * row['exact_match']:.1f} | {row['words_broken']} |")
    table = "\n".join(lines)
    (args.out / "sweep.md").write_text(f"# Rescoring sweep on {args.report}\n\n{table}\n")
    print(table)


if __name__ == "__main__":
    main()

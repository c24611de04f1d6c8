"""What the guard refused on a suite, by reason, and how many of those refusals blocked a right fix.

Corrects every case with the real corrector (`load_corrector`, config and --set overrides as `spelltune
eval` takes them) and writes `refusals.json` (each case's output and refusals) and `refusals.md`: per
reason, refusals in total and those whose proposal was the expected fix ("right fix refused"); and
strict exact match per category.

    python scripts/guard_refusals.py --model default --suite own:test --out runs/guard/own-test
    python scripts/guard_refusals.py --from-json runs/guard/before-own/refusals.json --split test \
        --out runs/guard/before-own-test     # the same tables for one half of an earlier run
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from tqdm import tqdm


def refused_right_fix(source: str, expected: str, original: str, proposed: str) -> bool:
    """Whether a refused proposal was (part of) the fix the case expects: made alone, it brings the
    sentence closer to the expected one, word by word, and adds no word the expected sentence lacks."""
    from rapidfuzz.distance import Levenshtein

    at = source.find(original)
    if at < 0 or not original:
        return False
    proposal_made = source[:at] + proposed + source[at + len(original):]
    wanted = set(expected.split())
    if any(word not in wanted for word in proposed.split()):
        return False
    return Levenshtein.distance(proposal_made.split(), expected.split()) < Levenshtein.distance(source.split(), expected.split())


def select(cases: list, categories: str | None, per_category: int | None, key) -> list:
    """The cases of the given categories (all when None), the first `per_category` of each."""
    wanted = set(categories.split(",")) if categories else None
    taken: Counter = Counter()
    kept = []
    for case in cases:
        if wanted is not None and key(case) not in wanted:
            continue
        if per_category is not None and taken[key(case)] >= per_category:
            continue
        taken[key(case)] += 1
        kept.append(case)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--suite", default="own:test")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--from-json", type=Path, default=None, help="summarise an earlier refusals.json or eval report.json instead")
    parser.add_argument("--split", default=None, help="with --from-json: only cases of this half (own suite ids)")
    parser.add_argument("--categories", default=None, help="comma-separated categories to keep")
    parser.add_argument("--per-category", type=int, default=None, help="keep the first N cases of each category")
    args = parser.parse_args()
    if args.from_json:
        from spelltune.evaluate.suites import load_suite

        cases = json.loads(args.from_json.read_text())
        if isinstance(cases, dict):  # a `spelltune eval` report.json: its cases carry their refusals
            cases = cases["cases"]
        for case in cases:  # judged again with this version of refused_right_fix
            for refusal in case["rejected"]:
                refusal["right_fix"] = refused_right_fix(case["input"], case["expected"], refusal["original"],
                                                         refusal["proposed"])
        if args.split:
            wanted = {case.id for case in load_suite(f"own:{args.split}").cases}
            cases = [case for case in cases if case["id"] in wanted]
        cases = select(cases, args.categories, args.per_category, key=lambda case: case["category"])
        write_summary(cases, f"{args.from_json} ({args.split or 'all'})", args.out)
        return

    from spelltune.correct.config import load_corrector_config
    from spelltune.correct.load import load_corrector
    from spelltune.evaluate.suites import load_suite

    suite = load_suite(args.suite)
    suite.cases = select(suite.cases, args.categories, args.per_category, key=lambda case: case.category)
    corrector = load_corrector(args.model, load_corrector_config(args.config, args.overrides))
    cases = []
    for first in tqdm(range(0, len(suite.cases), args.batch_size), desc="correcting", unit="batch"):
        batch = suite.cases[first : first + args.batch_size]
        for case, correction in zip(batch, corrector.correct_lines([c.input for c in batch])):
            cases.append({"id": case.id, "category": case.category, "input": case.input, "expected": case.expected,
                          "output": correction.output, "exact": correction.output == case.expected,
                          "rejected": [{"original": r.original, "proposed": r.proposed, "reason": r.reason,
                                        "right_fix": refused_right_fix(case.input, case.expected, r.original, r.proposed)}
                                       for r in correction.rejected]})
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "refusals.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False))
    write_summary(cases, f"{args.model} on {args.suite}", args.out)


def write_summary(cases: list[dict], title: str, out: Path) -> None:
    """refusals.md: refusals by reason (and right fixes refused), exact match by category."""
    out.mkdir(parents=True, exist_ok=True)
    reasons, right = Counter(), Counter()
    for case in cases:
        for refusal in case["rejected"]:
            reason = "changes the word count" if refusal["reason"].startswith("changes the word count") else refusal["reason"]
            reasons[reason] += 1
            right[reason] += refusal["right_fix"]
    lines = [f"# Guard refusals: {title} ({len(cases)} sentences)", "",
             "| reason | refused | right fix refused |", "|---|---|---|"]
    lines += [f"| {reason} | {count} | {right[reason]} |" for reason, count in reasons.most_common()]
    lines += [f"| **total** | {sum(reasons.values())} | {sum(right.values())} |", "",
              "| category | sentences | exact % |", "|---|---|---|"]
    for category in dict.fromkeys(case["category"] for case in cases):
        group = [case for case in cases if case["category"] == category]
        lines.append(f"| {category} | {len(group)} | {100 * sum(c['exact'] for c in group) / len(group):.1f} |")
    from spelltune.correct.confusion import confusion_partners
    from spelltune.correct.edge_punctuation import strip_edge_punctuation

    confusable = [case for case in cases if case["input"] == case["expected"] and any(
        len(word) > 1 and confusion_partners(strip_edge_punctuation(word)) for word in case["input"].split())]
    kept = sum(case["output"] == case["input"] for case in confusable)
    lines += ["", f"Correct sentences holding a confusable word (their, its, form, to, …) left as written: "
                  f"{kept}/{len(confusable)}"]
    text = "\n".join(lines) + "\n"
    (out / "refusals.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

"""Why the wrong words of an eval report stayed wrong, by kind (README "Where errors are dense").

Reads a `spelltune eval` report.json (with its cases) and sorts each wrong word the corrector did not set right,
in lines whose input, expected text and output have the same word count, into: right but for its case (and
whether it starts a sentence), a real word (a real-word error), kept as written (and whether its only fault
is its accents), or changed to another wrong word. Prints counts and examples.

    python scripts/dense_misses.py runs/kinds/levers/books/known/report.json
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from spelltune.correct.dictionary import known_words, without_accents
from spelltune.correct.edge_punctuation import strip_edge_punctuation

_ENDS_SENTENCE = re.compile(r"[.!?:][\"')\]]*$")


def miss_kind(written: str, expected: str, output: str, sentence_start: bool) -> str:
    """The kind of one wrong word left wrong (cores without edge punctuation)."""
    if output.lower() == expected.lower():
        return "case only, sentence start" if sentence_start else "case only, inside a sentence"
    if written.lower() in known_words():
        return "real word"
    if output == written:
        accent_only = not written.isascii() and without_accents(written).lower() == expected.lower()
        return "kept as written, accents only" if accent_only else "kept as written"
    return "changed to another wrong word"


def main() -> None:
    """Print the kinds of the misses of one report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="a report.json written by `spelltune eval` (with its cases)")
    parser.add_argument("--examples", type=int, default=8, help="examples per kind")
    args = parser.parse_args()
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"cannot read {args.report} as a report: {error}") from None
    if not isinstance(report, dict) or "cases" not in report:
        raise SystemExit(f"{args.report} has no cases (a record without sentences): use the report under runs/")
    counts, examples, unaligned = Counter(), defaultdict(list), 0
    for case in report["cases"]:
        words = [case[key].split() for key in ("input", "expected", "output")]
        if len({len(w) for w in words}) != 1:
            unaligned += 1
            continue
        for index, (written, expected, output) in enumerate(zip(*words)):
            cores = [strip_edge_punctuation(word) for word in (written, expected, output)]
            if cores[0] == cores[1] or cores[2] == cores[1]:
                continue
            start = index == 0 or bool(_ENDS_SENTENCE.search(words[0][index - 1]))
            kind = miss_kind(*cores, start)
            counts[kind] += 1
            examples[kind].append(f"{cores[0]} -> {cores[2]} (meant {cores[1]})")
    print(f"{args.report}: {sum(counts.values())} wrong words left wrong ({unaligned} lines of another word count skipped)")
    for kind, count in counts.most_common():
        print(f"{count:4d}  {kind}: {', '.join(examples[kind][: args.examples])}")


if __name__ == "__main__":
    main()

"""A slice of a dense-noise benchmark (realistic-wiki, realistic-books) for quick before/after runs.

The cases of one half (`:dev` or `:test`, the same hash split `spelltune eval` uses) whose input has
MIN–MAX words, the first N of them, as a JSONL suite that keeps each case's id and split:

    python scripts/dense_slice.py ../shared/data/realistic-wiki:dev --limit 60 --out runs/kinds/wiki-dev.jsonl
    spelltune eval --model default --suite runs/kinds/wiki-dev.jsonl --out runs/kinds/after-wiki
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spelltune.atomic import write_text
from spelltune.evaluate.suites import load_suite


def main() -> None:
    """Write the slice the arguments describe."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("suite", help="a corrupt/correct folder with :dev or :test")
    parser.add_argument("--limit", type=int, default=60, help="cases to keep (the first ones)")
    parser.add_argument("--min-words", type=int, default=5)
    parser.add_argument("--max-words", type=int, default=40)
    parser.add_argument("--out", type=Path, required=True, help="the JSONL file to write")
    args = parser.parse_args()
    suite = load_suite(args.suite)
    half = args.suite.rpartition(":")[2]
    kept = [case for case in suite.cases if args.min_words <= len(case.input.split()) <= args.max_words][: args.limit]
    rows = [json.dumps({"id": case.id, "input": case.input, "expected": case.expected, "split": half},
                       ensure_ascii=False) for case in kept]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_text(args.out, "".join(row + "\n" for row in rows))
    print(f"{len(rows)} cases of {suite.name} ({args.min_words}-{args.max_words} words) -> {args.out}")


if __name__ == "__main__":
    main()

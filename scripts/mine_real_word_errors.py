"""Mine real-word errors from the real misspelling corpora into the corrector's package data.

A real-word error is a misspelling that is itself a dictionary word ("male" for "mail", "form" for
"from"): no word list flags it, so the second pass looks at such words as a confusion set. This reads
the Birkbeck and Holbrook corpora (Mitton's `.dat` format) and TOEFL-Spell (`Annotations.tsv`), keeps
the pairs whose misspelling is a common dictionary word (in SymSpell's list with at least
`--min-count` corpus frequency) different from its target, seen at least `--min-seen` times and not an
inflection of it, and writes
`spelltune/correct/lexicon/real_word_errors.txt`: `error<TAB>intended<TAB>times seen<TAB>sources`.
The product ships that file, never the corpora.

    python scripts/mine_real_word_errors.py ../shared/data
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "spelltune" / "correct" / "lexicon" / "real_word_errors.txt"


def read_mitton(path: Path) -> list[tuple[str, str, int]]:
    """(misspelling, target, count) from a Mitton `.dat` file (`$target` then misspellings, optional counts)."""
    pairs, target = [], None
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("$"):
            target = line[1:].strip()
            continue
        parts = line.split()
        if not parts or target in (None, "?"):
            continue
        count = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
        pairs.append((parts[0], target, count))
    return pairs


def read_toefl(path: Path) -> list[tuple[str, str, int]]:
    """(misspelling, correction, 1) per annotated misspelling of TOEFL-Spell."""
    with path.open(encoding="utf-8") as handle:
        return [(row["Misspelling"], row["Correction"], 1) for row in csv.DictReader(handle, delimiter="\t")
                if row.get("Type") == "M"]


def word_frequencies() -> dict[str, int]:
    """SymSpell's English word list with its corpus counts."""
    from importlib.resources import files

    text = (files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return {word: int(count) for word, count in (line.split(" ", 1) for line in text.splitlines() if line)}


INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "r", "ly", "'s")
# Other forms of one word (tense, number): swapping them is grammar and changes what is said.
GRAMMAR_PAIRS = {frozenset(pair) for pair in (
    ("go", "got"), ("go", "gone"), ("get", "got"), ("run", "ran"), ("come", "came"), ("have", "had"),
    ("has", "had"), ("has", "have"), ("fall", "fell"), ("eat", "ate"), ("blow", "blew"), ("shot", "shoot"),
    ("said", "say"), ("been", "being"), ("man", "men"), ("think", "things"), ("dangers", "dangerous"),
    ("nerves", "nervous"), ("stare", "stars"), ("we", "was"), ("story", "stories"), ("tired", "tied"),
    ("kid", "killed"), ("could", "called"), ("know", "knocked"), ("my", "mine"), ("see", "saw"),
)}
# Words so frequent that treating each as a possible error would put nearly every word of every sentence
# in the second pass; their real confusions (to/too/two, of/off, there/their) are in homophones.txt.
FUNCTION_WORDS = frozenset(
    "a an the and is it its he she we i me my by be to do of on in at as has have had his her him hear here "
    "are was were for from they them then there their this that what when where who how but put use us will "
    "no not now know new knew one won our out so".split()
)


def is_inflection(a: str, b: str) -> bool:
    """Whether one word is the other plus an ending ("look"/"looked", "boy"/"boys"): grammar, not spelling."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and long[len(short):] in INFLECTIONS:
        return True
    doubled = len(long) > len(short) and long.startswith(short) and long[len(short)] == short[-1]
    if doubled and long[len(short) + 1 :] in INFLECTIONS:  # stop -> stopped
        return True
    return short.endswith("e") and long.startswith(short[:-1]) and long[len(short) - 1 :] in INFLECTIONS  # come -> coming


def mine(data_dir: Path, min_count: int, min_seen: int) -> list[tuple[str, str, int, str]]:
    """Real-word error pairs: (error, intended, times seen, sources), most seen first."""
    frequencies = word_frequencies()
    sources = {
        "birkbeck": read_mitton(data_dir / "mitton" / "missp.dat"),
        "holbrook": read_mitton(data_dir / "mitton" / "holbrook-missp.dat"),
        "toefl": read_toefl(data_dir / "toefl-spell" / "Annotations.tsv"),
    }
    seen: Counter[tuple[str, str]] = Counter()
    found_in: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, pairs in sources.items():
        for error, intended, count in pairs:
            error, intended = error.lower().replace("_", " "), intended.lower().replace("_", " ")
            if error == intended or not error.isalpha() or not intended.replace("'", "").isalpha():
                continue
            if len(error) < 2 or len(intended) < 2 or " " in intended or is_inflection(error, intended):
                continue
            if error in FUNCTION_WORDS or frozenset((error, intended)) in GRAMMAR_PAIRS:
                continue
            if frequencies.get(error, 0) < min_count or frequencies.get(intended, 0) < min_count:
                continue
            seen[(error, intended)] += count
            found_in[(error, intended)].add(source)
    return sorted(((e, i, n, ",".join(sorted(found_in[(e, i)]))) for (e, i), n in seen.items() if n >= min_seen),
                  key=lambda row: (-row[2], row[0], row[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="folder holding mitton/ and toefl-spell/ (../shared/data)")
    parser.add_argument("--min-count", type=int, default=1_000_000,
                        help="least SymSpell corpus count of both words (rare words are rarely the intended error)")
    parser.add_argument("--min-seen", type=int, default=2, help="least times a pair occurs in the corpora")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = mine(args.data_dir, args.min_count, args.min_seen)
    header = ("# Real-word errors mined from the Birkbeck, Holbrook and TOEFL-Spell corpora by\n"
              f"# scripts/mine_real_word_errors.py (--min-count {args.min_count} --min-seen {args.min_seen}):\n"
              "# error, intended, times seen, sources. Inflections (look/looked) are left out: grammar, not spelling.\n")
    args.out.write_text(header + "".join(f"{e}\t{i}\t{n}\t{s}\n" for e, i, n, s in rows), encoding="utf-8")
    print(f"wrote {len(rows)} pairs to {args.out}")


if __name__ == "__main__":
    main()

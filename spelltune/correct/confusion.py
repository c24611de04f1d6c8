"""Confusion sets: the real words a writer confuses with one another, which no word list can flag.

Four kinds, each a package data file in `spelltune/correct/lexicon/`:
- homophones and near-homophones (their/there/they're, affect/effect): `homophones.txt`;
- contractions written without the apostrophe (dont, youre, its): `contractions.txt`;
- real-word errors mined from real misspelling corpora (`scripts/mine_real_word_errors.py`):
  `real_word_errors.txt`;
- one-letter real-word slips (form/from, tow/two): `slips.txt`.

The guard lets a correct word change only into a partner from these sets; the second pass offers the
partners as candidates and lets context decide.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

_APOSTROPHES = str.maketrans({"’": "'"})

# Mirror-image letters dyslexic writers swap (b/d, p/q, m/w, n/u): the data stage writes them, the
# second pass counts them as smaller edits.
MIRROR_LETTERS: dict[str, str] = {"b": "d", "d": "b", "p": "q", "q": "p", "m": "w", "w": "m", "n": "u", "u": "n"}


def _data_lines(name: str) -> list[str]:
    text = (files("spelltune.correct") / "lexicon" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def contractions() -> dict[str, str]:
    """Apostrophe-less spelling -> contraction, lowercase ("dont" -> "don't", "im" -> "i'm")."""
    return dict(line.split("\t")[:2] for line in _data_lines("contractions.txt"))


@lru_cache(maxsize=1)
def confusion_groups() -> list[frozenset[str]]:
    """The symmetric confusion sets (lowercase): homophones and listed slips; either word may be meant."""
    groups = [frozenset(line.split()) for line in _data_lines("homophones.txt")]
    return groups + [frozenset(line.split()) for line in _data_lines("slips.txt")]


@lru_cache(maxsize=1)
def _partners_index() -> dict[str, frozenset[str]]:
    """Written word -> the words it may have been meant as. Homophones and slips go both ways; a mined
    error goes to its intended word only ("hit" may mean "it", "it" never means "hit"); a contraction
    without its apostrophe goes to the contraction, and back only when the plain form is a word itself."""
    from spelltune.correct.dictionary import known_words

    index: dict[str, set[str]] = {}
    for group in confusion_groups():
        for word in group:
            index.setdefault(word, set()).update(group - {word})
    for line in _data_lines("real_word_errors.txt"):
        error, intended = line.split("\t")[:2]
        index.setdefault(error, set()).add(intended)
    for plain, contraction in contractions().items():
        index.setdefault(plain, set()).add(contraction)
        if plain in known_words():
            index.setdefault(contraction, set()).add(plain)
    return {word: frozenset(partners) for word, partners in index.items()}


@lru_cache(maxsize=1)
def _slips_and_mined_errors_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = {}
    for line in _data_lines("slips.txt"):
        a, b = line.split()[:2]
        index.setdefault(a, set()).add(b)
        index.setdefault(b, set()).add(a)
    for line in _data_lines("real_word_errors.txt"):
        error, intended = line.split("\t")[:2]
        index.setdefault(intended, set()).add(error)
    return {word: tuple(sorted(errors)) for word, errors in index.items()}


def real_word_errors_for(word: str) -> tuple[str, ...]:
    """The real words people write by mistake for `word` (lowercase, sorted): its listed one-letter slips
    and the mined real-word errors whose intended word it is ("from" -> "form", "just" -> "gust")."""
    return _slips_and_mined_errors_index().get(word.lower().translate(_APOSTROPHES), ())


def confusion_partners(word: str) -> frozenset[str]:
    """The words `word` may have been meant as (lowercase), or an empty set."""
    return _partners_index().get(word.lower().translate(_APOSTROPHES), frozenset())


def are_confusable(original: str, replacement: str) -> bool:
    """Whether `original` may have been meant as `replacement` (case and apostrophe style ignored)."""
    return replacement.lower().translate(_APOSTROPHES) in confusion_partners(original)


def is_homophone_pair(original: str, replacement: str) -> bool:
    """Whether the two words are listed homophones (know/no, knot/not), the only confusions a negation may
    take part in."""
    a, b = original.lower().translate(_APOSTROPHES), replacement.lower().translate(_APOSTROPHES)
    return any(a in group and b in group for group in _homophone_groups())


@lru_cache(maxsize=1)
def _homophone_groups() -> list[frozenset[str]]:
    return [frozenset(line.split()) for line in _data_lines("homophones.txt")]


@lru_cache(maxsize=1)
def _negated_contractions() -> frozenset[str]:
    return frozenset(plain for plain, contraction in contractions().items() if contraction.endswith("n't"))


NEGATION_WORDS = frozenset({"not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "cannot"})


def is_negation(word: str) -> bool:
    """Whether `word` negates: not, no, never, … a contraction in n't, or one written without its
    apostrophe ("wasnt", "dont")."""
    core = word.strip(".,;:!?\"()[]{}").lower().translate(_APOSTROPHES)
    return core in NEGATION_WORDS or core.endswith("n't") or core in _negated_contractions()


def negation_count(text: str) -> int:
    """How many negations `text` holds."""
    return sum(is_negation(word) for word in text.split())

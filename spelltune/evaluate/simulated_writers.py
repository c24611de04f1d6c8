"""Simulated writers with consistent habits, and the sessions they write (bench/simulated_writers.py).

A writer is built, seeded, from real misspellings (`WordMisspelling`s from the Birkbeck, Holbrook,
Wikipedia or Aspell lists): a fixed set of words they always misspell the same way, one tendency that
strikes other words now and then (mirror letters, dropped doubles, swapped letters, neighbour keys), and a
few names they use. A session is a list of clean sentences with those habits applied: every habit word
as the writer spells it, a tendency slip in some sentences, and a name addressed at the start of some.

The written sentence keeps the clean sentence's tokens one for one, so `judge_suggestion` can tell a right
suggestion (every token it changes becomes the clean token) from a wrong one.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spelltune.correct.edge_punctuation import strip_edge_punctuation
from spelltune.data.corruption import (match_case, reverse_dyslexic_letters, substitute_adjacent_key,
                                       transpose_letters, undouble_letter)
from spelltune.data.types import WordMisspelling
from spelltune.errors import InputError

TENDENCIES: dict[str, Callable[[str, random.Random], str | None]] = {
    "mirror letters": reverse_dyslexic_letters,
    "dropped doubles": undouble_letter,
    "swapped letters": transpose_letters,
    "neighbour keys": substitute_adjacent_key,
}

# Given names a small English dictionary does not know, for writers to use (and add to their dictionary).
NAMES = ("Siobhan", "Aoife", "Niamh", "Tadhg", "Ngozi", "Oluwaseun", "Xiomara", "Saoirse", "Ruairi", "Bronwen",
         "Eilidh", "Dervla", "Anwen", "Caoimhe", "Zeynep", "Mairead", "Lachlan", "Ffion", "Cerys", "Rhiannon",
         "Grainne", "Ailsa", "Ishbel", "Thandiwe", "Chiamaka", "Emeka", "Kwabena", "Abena", "Torin", "Oisin")

_TOKEN = re.compile(r"\S+")
_PLAIN = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class SimulatedWriter:
    """One writer's habits: words always misspelled one way, a tendency and its rate, names they use."""

    name: str
    habits: dict[str, str]  # correct word (lowercase) -> how this writer spells it
    tendency: str  # a key of TENDENCIES
    names: tuple[str, ...]
    tendency_rate: float = 0.3  # share of sentences with one tendency slip
    name_rate: float = 0.2  # share of sentences addressed to one of their names

    def to_json_dict(self) -> dict:
        """The writer as plain data, for the benchmark's report."""
        return {"name": self.name, "habits": dict(sorted(self.habits.items())), "tendency": self.tendency,
                "names": list(self.names), "tendency_rate": self.tendency_rate, "name_rate": self.name_rate}


@dataclass(frozen=True)
class WrittenError:
    """One token the writer got wrong: its index, the clean token and what they wrote."""

    index: int
    clean: str
    written: str
    kind: str  # "habit" or "tendency"


@dataclass(frozen=True)
class WrittenSentence:
    """A clean sentence as one writer wrote it (the same tokens, some of them misspelled)."""

    clean: str
    written: str
    errors: tuple[WrittenError, ...] = ()
    names: tuple[str, ...] = ()  # the writer's names in it (correct as written)


def habit_candidates(misspellings: list[WordMisspelling], sentences: list[str], known: frozenset[str],
                     min_sentences: int = 5) -> dict[str, list[str]]:
    """Words that occur in at least `min_sentences` of `sentences` and have real misspellings that are no
    known word, each with those misspellings (lowercase, one word each, sorted)."""
    counts: Counter[str] = Counter()
    for sentence in sentences:
        counts.update({strip_edge_punctuation(token).lower() for token in sentence.split()})
    found: dict[str, set[str]] = {}
    for item in misspellings:
        word, wrong = item.correct.lower(), item.misspelling.lower()
        if counts[word] >= min_sentences and len(word) >= 3 and _PLAIN.match(word) and _PLAIN.match(wrong) \
                and wrong != word and wrong not in known:
            found.setdefault(word, set()).add(wrong)
    return {word: sorted(wrongs) for word, wrongs in sorted(found.items())}


def build_writers(count: int, candidates: dict[str, list[str]], *, seed: int = 0, habits_per_writer: int = 30,
                  names_per_writer: int = 3) -> list[SimulatedWriter]:
    """`count` writers, the same ones for the same arguments: each with `habits_per_writer` habit words drawn
    from `candidates` (one misspelling each), a tendency, and `names_per_writer` names."""
    if count < 1:
        raise InputError("build at least one writer")
    if len(candidates) < habits_per_writer:
        raise InputError(f"only {len(candidates)} words have usable misspellings; need {habits_per_writer} per writer")
    writers = []
    tendencies = sorted(TENDENCIES)
    for number in range(count):
        rng = random.Random(f"writer-{seed}-{number}")
        words = rng.sample(sorted(candidates), habits_per_writer)
        habits = {word: rng.choice(candidates[word]) for word in words}
        writers.append(SimulatedWriter(name=f"writer{number + 1}", habits=habits,
                                       tendency=tendencies[(seed + number) % len(tendencies)],
                                       names=tuple(rng.sample(NAMES, names_per_writer))))
    return writers


def session_sentences(writer: SimulatedWriter, sentences: list[str], sessions: int, per_session: int,
                      seed: int = 0) -> list[list[str]]:
    """`sessions` lists of `per_session` different clean sentences for `writer`, none used twice, those holding
    one of their habit words first (a writer's habits show in what they write)."""
    rng = random.Random(f"sessions-{seed}-{writer.name}")
    with_habits = [s for s in sentences if any(_core(t) in writer.habits for t in s.split())]
    others = [s for s in sentences if s not in set(with_habits)]
    rng.shuffle(with_habits)
    rng.shuffle(others)
    pool = with_habits + others
    needed = sessions * per_session
    if len(pool) < needed:
        raise InputError(f"{len(pool)} sentences for {sessions} sessions of {per_session}: give more sentences")
    return [pool[i * per_session : (i + 1) * per_session] for i in range(sessions)]


def write_sentence(writer: SimulatedWriter, clean: str, rng: random.Random) -> WrittenSentence:
    """`clean` as `writer` writes it: their habit words misspelled their way, sometimes one tendency slip on
    another word, sometimes one of their names in front (then part of the clean sentence too)."""
    clean = " ".join(clean.split())
    names: tuple[str, ...] = ()
    if writer.names and rng.random() < writer.name_rate:
        name = rng.choice(writer.names)
        first, _, rest = clean.partition(" ")
        if first != "I" and not first.startswith(("I'", "I’")):
            first = first[:1].lower() + first[1:]
        clean, names = f"{name}, {first} {rest}".rstrip(), (name,)
    tokens = clean.split(" ")
    written, errors = list(tokens), []
    for index, token in enumerate(tokens):
        core = strip_edge_punctuation(token)
        if core.lower() in writer.habits and core not in names:
            written[index] = _with_core(token, core, match_case(core, writer.habits[core.lower()]))
            errors.append(WrittenError(index, token, written[index], "habit"))
    if rng.random() < writer.tendency_rate:
        slip = TENDENCIES[writer.tendency]
        taken = {error.index for error in errors}
        free = [i for i, token in enumerate(tokens) if i not in taken and len(_core(token)) >= 4
                and _PLAIN.match(strip_edge_punctuation(token)) and strip_edge_punctuation(token) not in names]
        rng.shuffle(free)
        for index in free:
            core = strip_edge_punctuation(tokens[index])
            wrong = slip(core, rng)
            if wrong and wrong != core:
                written[index] = _with_core(tokens[index], core, wrong)
                errors.append(WrittenError(index, tokens[index], written[index], "tendency"))
                break
    return WrittenSentence(clean, " ".join(written), tuple(sorted(errors, key=lambda e: e.index)), names)


def _core(token: str) -> str:
    return strip_edge_punctuation(token).lower()


def _with_core(token: str, core: str, new_core: str) -> str:
    start = token.index(core)
    return token[:start] + new_core + token[start + len(core):]


@dataclass
class Judgement:
    """What the writer makes of one suggestion: right (accept), wrong (reject), and a name it touched."""

    right: bool
    fixed: list[int] = field(default_factory=list)  # indices of the errors it corrects
    name: str | None = None


def judge_suggestion(sentence: WrittenSentence, offset: int, length: int, replacement: str) -> Judgement:
    """Right when every token the suggestion changes becomes its clean token and the token count stays;
    otherwise wrong (with the writer's name it touched, if any)."""
    written = sentence.written
    changed = written[:offset] + replacement + written[offset + length :]
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(written)]
    touched = [i for i, (start, end) in enumerate(spans) if start < offset + length and end > offset
               or (length == 0 and start == offset)]
    clean_tokens, before, after = sentence.clean.split(), written.split(), changed.split()
    name = next((strip_edge_punctuation(before[i]) for i in touched
                 if strip_edge_punctuation(before[i]) in sentence.names), None)
    if len(after) != len(clean_tokens) or len(before) != len(clean_tokens):
        return Judgement(False, name=name)
    differing = [i for i in range(len(after)) if after[i] != before[i]]
    if not differing or any(after[i] != clean_tokens[i] for i in differing):
        return Judgement(False, name=name)
    errors = {error.index for error in sentence.errors}
    return Judgement(True, fixed=[i for i in differing if i in errors], name=name)

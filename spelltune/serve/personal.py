"""The personal dictionary ("never flag this word") and the feedback log, kept in local files.

Both live in the user data directory (`platformdirs`), or under `$SPELLTUNE_DATA_DIR` when set:
`dictionary.txt` (one word a line) and `feedback.jsonl` (one accept/reject decision a line).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import replace
from pathlib import Path

from spelltune.atomic import write_text
from spelltune.correct.corrector import Correction
from spelltune.correct.edits import apply_edits
from spelltune.errors import InputError

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MAX_WORD_LENGTH = 64


def user_data_dir() -> Path:
    """Where spelltune keeps a person's files: `$SPELLTUNE_DATA_DIR`, else the platform's user data dir."""
    override = os.environ.get("SPELLTUNE_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as platform_user_data_dir

    return Path(platform_user_data_dir("spelltune", appauthor=False))


def default_dictionary_path() -> Path:
    """The personal dictionary file `spelltune serve` and `spelltune fix` use unless told otherwise."""
    return user_data_dir() / "dictionary.txt"


def default_feedback_path() -> Path:
    """The feedback log `spelltune serve` appends every accept/reject to."""
    return user_data_dir() / "feedback.jsonl"


class PersonalDictionary:
    """Words a person never wants flagged, matched without regard to case; saved on every change."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._words: dict[str, str] = {}
        if self.path.is_dir():
            raise InputError(f"cannot use {self.path} as the personal dictionary: it is a directory")
        if self.path.exists():
            try:
                text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise InputError(f"cannot read the personal dictionary {self.path}: {error}") from None
            for line in text.splitlines():
                word = line.strip()
                if word and not word.startswith("#"):
                    self._words[word.casefold()] = word

    def words(self) -> list[str]:
        """The words, sorted without regard to case."""
        with self._lock:
            return sorted(self._words.values(), key=str.casefold)

    def __contains__(self, word: str) -> bool:
        return word.strip().casefold() in self._words

    def add(self, word: str) -> str:
        """Add one word (InputError when it is not a single word); returns the word as stored."""
        word = normalize_word(word)
        with self._lock:
            self._words.setdefault(word.casefold(), word)
            self._save()
        return word

    def remove(self, word: str) -> bool:
        """Remove one word; False when it was not there."""
        with self._lock:
            found = self._words.pop(word.strip().casefold(), None) is not None
            if found:
                self._save()
        return found

    def _save(self) -> None:
        lines = sorted(self._words.values(), key=str.casefold)
        write_text(self.path, "".join(word + "\n" for word in lines))

    def flags(self, original: str) -> bool:
        """Whether a change of `original` touches a word of this dictionary."""
        return touches_a_word(original, self._words.keys())

    def filter(self, correction: Correction) -> Correction:
        """`correction` without the edits and refusals whose original holds a dictionary word."""
        return without_dictionary_words(correction, self._words.keys())


def touches_a_word(original: str, casefolded_words) -> bool:
    """Whether a change of `original` touches one of `casefolded_words`."""
    return any(word.casefold() in casefolded_words for word in _WORD.findall(original))


def without_dictionary_words(correction: Correction, casefolded_words) -> Correction:
    """`correction` without the edits and refusals whose original holds one of `casefolded_words` (a set)."""
    if not casefolded_words:
        return correction
    edits = [edit for edit in correction.edits if not touches_a_word(edit.original, casefolded_words)]
    rejected = [item for item in correction.rejected if not touches_a_word(item.original, casefolded_words)]
    if len(edits) == len(correction.edits) and len(rejected) == len(correction.rejected):
        return correction
    return replace(correction, output=apply_edits(correction.input, edits), edits=edits, rejected=rejected)


def normalize_word(word: object) -> str:
    """`word` stripped, or InputError when it is not one word of letters (apostrophes and hyphens allowed)."""
    if not isinstance(word, str) or not word.strip():
        raise InputError("give one word")
    word = word.strip()
    if len(word) > MAX_WORD_LENGTH or not _WORD.fullmatch(word):
        raise InputError(f"not a single word: {word[:MAX_WORD_LENGTH]!r}")
    return word


DECISIONS = ("accepted", "rejected")


class FeedbackLog:
    """An append-only JSONL of decisions: the sentence, the suggestion, accepted or rejected, and when."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, sentence: str, suggestion: dict, decision: str) -> dict:
        """Append one decision and return the record written."""
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "decision": decision,
            "sentence": sentence,
            "suggestion": suggestion,
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        return record


class DictionaryFilteredCorrector:
    """A corrector whose corrections never touch a personal-dictionary word (`spelltune fix --dictionary`)."""

    def __init__(self, corrector, dictionary: PersonalDictionary):
        self._corrector = corrector
        self.dictionary = dictionary

    def __getattr__(self, name: str):
        return getattr(self._corrector, name)

    def correct_lines(self, lines: list[str], **kwargs) -> list[Correction]:
        """The inner corrector's corrections, less the edits of dictionary words."""
        return [self.dictionary.filter(correction) for correction in self._corrector.correct_lines(lines, **kwargs)]


def personal_dictionary_for_fix(path: Path | None) -> PersonalDictionary | None:
    """The dictionary `spelltune fix` honours: `path` (which must exist), else the default file if there is one."""
    if path is not None:
        if not path.exists():
            raise InputError(f"cannot read the personal dictionary {path}: no such file")
        return PersonalDictionary(path)
    default = default_dictionary_path()
    return PersonalDictionary(default) if default.is_file() else None

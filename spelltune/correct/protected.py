"""Tokens a corrector must never change: URLs, e-mails, numbers, times, code, names, acronyms."""

from __future__ import annotations

import re

import jellyfish
from rapidfuzz.distance import OSA

from spelltune.correct.dictionary import known_words
from spelltune.correct.edge_punctuation import strip_edge_punctuation

_URL = re.compile(r"^(https?://|ftp://|www\.)\S+$|^[\w-]+(\.[\w-]+)*\.(com|org|net|io|dev|edu|gov|co|uk|de|ai|app|info)(/\S*)?$", re.I)
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_DIGIT = re.compile(r"\d")
_CODE = re.compile(
    r"[_`{}\[\]=<>\\|$#@]|::|->|\(\)|^[./~]\S*/|"  # code punctuation, paths
    r"[a-z][A-Z]|"  # camelCase
    r"^\w+\.\w+\(|^[A-Za-z_]\w*\.[A-Za-z_]\w*$"  # calls, dotted names and file names
)
# Words that are capitalised mid-sentence without being names.
_ALWAYS_CAPITALISED = {"I", "I'm", "I've", "I'll", "I'd", "I’m", "I’ve", "I’ll", "I’d", "Im", "Ive", "Id", "Ill"}


def protected_kind(token: str, sentence_start: bool) -> str | None:
    """Why `token` must not be changed (`URL`, `e-mail`, `number`, `code`, `name`, `acronym`), or None.

    `sentence_start` says the token begins a sentence, where a capital letter does not mark a name.
    """
    core = strip_edge_punctuation(token)
    if not core:
        return None
    if _EMAIL.match(core):
        return "e-mail"
    if _URL.match(core):
        return "URL"
    if _DIGIT.search(core):
        return "number"
    if _CODE.search(core):
        return "code"
    letters = [char for char in core if char.isalpha()]
    if len(letters) >= 2 and all(char.isupper() for char in letters):
        return "acronym"
    if core[0].isupper() and not sentence_start and core not in _ALWAYS_CAPITALISED:
        return None if is_misspelled_calendar_name(core) else "name"
    if core[0].isupper() and not core.isascii():
        # Even starting a sentence, a capitalised word with letters outside A-Z is a name ("Siân", "Şoray",
        # "Núria"): the few English words with accents are known to the word lists and stay as written anyway.
        return "name"
    return None


# The days and months (lowercase): written capitalised, so a misspelling of one looks like a name.
CALENDAR_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
# Shorter names (May, June, March) are too close to names and words of their own to guess a misspelling.
_LONG_CALENDAR_NAMES = tuple(sorted(name for name in CALENDAR_NAMES if len(name) >= 6))


def is_misspelled_calendar_name(word: str) -> bool:
    """Whether `word` is a misspelled day or month ("Tuseday", "Febuary", "Satrday"): no known word, six
    letters or more, within two edits of one and sounding like it (same Metaphone key). Shorter names
    (Mai, Frida) and names that only look alike (Sundar, Fridman) stay names."""
    lower = word.lower()
    if len(lower) < 6 or not lower.isalpha() or lower in known_words():
        return False
    key = jellyfish.metaphone(lower)
    return any(OSA.distance(lower, name) <= 2 and jellyfish.metaphone(name) == key
               for name in _LONG_CALENDAR_NAMES)


# Abbreviations whose full stop does not end a sentence ("Dr. Adeyemi" is a name, not a new sentence).
_TITLE_ABBREVIATIONS = {"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "sr.", "jr.", "e.g.", "i.e.", "vs.", "no."}


def ends_sentence(token: str) -> bool:
    """Whether the next token starts a new sentence (this one ends with . ! ? or a colon)."""
    if token.lower() in _TITLE_ABBREVIATIONS:
        return False
    return token.rstrip("\"'”’)]}").endswith((".", "!", "?", ":"))


# A list item's marker: "-", "*", "•", "–", ">", "3)", "(b)".
_LIST_MARKER = re.compile(r"^(?:[-–—*•·>]+|\(?(?:\d{1,3}|[A-Za-z])\))$")


def next_starts_sentence(token: str, starts_here: bool) -> bool:
    """Whether the token after `token` starts a sentence: `token` ends one, or `token` is a list marker
    ("- Recieved it", "• Wensday") standing where a sentence starts."""
    return ends_sentence(token) or (starts_here and bool(_LIST_MARKER.match(token)))

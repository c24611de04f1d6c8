"""The never-rewrite guard: accept a model's output only as a set of small, safe edits.

A correction is an edit, not a paraphrase. Whole outputs that drop or add too many words or wander
far from the input are refused; single edits that touch a name, URL, e-mail, number or code token,
drop or add a word, or swap a word for an unrelated one are reverted. What was refused is reported.

Meaning is kept by four rules: a negation never appears or disappears; a correctly spelled word changes
only into a confusion-set partner (correct/confusion.py), a case or apostrophe variant, or a split or
merge of itself; a rewrite of several words passes only as a re-spacing of the same letters or when each
word's change passes alone; a misspelling becomes only a word close to it in spelling or in sound.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import jellyfish
from rapidfuzz.distance import DamerauLevenshtein, Indel

from spelltune.correct.confusion import MIRROR_LETTERS, are_confusable, contractions, is_homophone_pair, negation_count
from spelltune.correct.corrector import Correction, Edit, Rejection
from spelltune.correct.dictionary import (is_accented_word, is_english_word, known_words, without_accents,
                                          word_frequency)
from spelltune.correct.edge_punctuation import strip_edge_punctuation
from spelltune.correct.edits import apply_edits, compute_edits, tokenize
from spelltune.correct.protected import CALENDAR_NAMES, next_starts_sentence, protected_kind


@dataclass(frozen=True)
class GuardConfig:
    """Bounds on how far a correction may move from its input."""

    # Word-count change allowed for a whole piece: max(min_word_delta, word_delta_rate * words).
    min_word_delta: int = 2
    word_delta_rate: float = 0.2
    # Character similarity (0-1, case-insensitive) below which a whole piece counts as rewritten.
    min_piece_similarity: float = 0.6
    # Character similarity below which a single replaced word counts as a different word.
    min_edit_similarity: float = 0.5
    min_edit_similarity_new_first_letter: float = 0.65
    # Similarity, spaces removed, that a split or merge must keep ("alot" -> "a lot" is 1.0).
    min_split_merge_similarity: float = 0.85
    # Above this (spaces removed) any re-spacing is allowed: "therules ofthe" -> "the rules of the".
    min_resplit_similarity: float = 0.95
    # Refuse swapping one correctly spelled word for another unless it is a known confusion.
    keep_correct_words: bool = True
    # A dictionary word rarer than this (SymSpell corpus count) may change by one slip into a more frequent
    # word: "waite" -> "wait", "shinning" -> "shining". Common words change only within confusion sets.
    rare_word_count: int = 3_000_000
    # A misspelling may become a word this many Damerau-Levenshtein edits away (or a word that sounds
    # alike) ...
    misspelling_edits: int = 2
    # ... or, for long words, this many edits per letter of the longer word ("acommodation" needs 2).
    misspelling_edit_rate: float = 0.25
    # Refuse an edit that makes a negation appear or disappear ("wasnt" -> "was"). Listed homophones
    # (no/know, not/knot) are still allowed: "I no the answer" is a misspelling, not a negation.
    keep_negations: bool = True
    # Keep all-lowercase text lowercase (learners' and chat style): "i" is not changed to "I".
    keep_lowercase_style: bool = True


_NOUN = {
    "URL": "a URL",
    "e-mail": "an e-mail address",
    "number": "a number",
    "code": "a code token",
    "acronym": "an acronym",
    "name": "a name",
}


def _similarity(a: str, b: str) -> float:
    return Indel.normalized_similarity(a.casefold(), b.casefold())


# camelCase as code writes it: "getValue", "isEmpty" (stray capitals like "tHis", "beSt" are noise).
_CAMEL_CASE = re.compile(r"^[a-z]{2,}(?:[A-Z][a-z]{2,})+$")


def _fixes_case_noise(original: str, replacement: str) -> bool:
    """Whether the edit only repairs stray capitals ("THe" -> "the", "uS" -> "us").

    Words written in Title case (names), all capitals (acronyms) or camelCase (code) are not noise.
    """
    core, fixed = strip_edge_punctuation(original), strip_edge_punctuation(replacement)
    if core == fixed or core.casefold() != fixed.casefold() or _punctuation(original) != _punctuation(replacement):
        return False
    if not core.isalpha() or core.isupper() or core.islower() or _CAMEL_CASE.match(core):
        return False
    if core[0].isupper() and core[1:].islower():
        return False
    return fixed.islower() or (fixed[0].isupper() and fixed[1:].islower())


_REGIONAL_PATTERNS = [
    (re.compile(r"(?<=\w\w)" + pattern), american)  # two letters before: "four" is not "for"
    for pattern, american in (
        (r"is(e|ed|es|ing|ation|ations)$", r"iz\1"),
        (r"ys(e|ed|es|ing)$", r"yz\1"),
        (r"our(s|ed|ing|ite|ites|able|ful)?$", r"or\1"),
        (r"tre(s)?$", r"ter\1"),
        (r"ogue(s)?$", r"og\1"),
        (r"ll(ed|ing|er|ers)$", r"l\1"),
        (r"ence$", r"ense"),
    )
]


def _drops_accents(original: str, replacement: str) -> bool:
    """Whether a real word written with accents loses them and nothing else changes."""
    a, b = strip_edge_punctuation(original), strip_edge_punctuation(replacement)
    return is_accented_word(a) and without_accents(a).casefold() == b.casefold()


def _regional_variant(original: str, replacement: str) -> bool:
    """Whether the two are one word in British and American spelling ("realise" / "realize").

    Both must be words: "presense" -> "presence" fixes a misspelling, it swaps no regional spelling.
    """
    a, b = strip_edge_punctuation(original).lower(), strip_edge_punctuation(replacement).lower()
    if a == b or a not in known_words() or b not in known_words():
        return False

    def americanised(word: str) -> str:
        for pattern, american in _REGIONAL_PATTERNS:
            word = pattern.sub(american, word)
        return word

    return americanised(a) == americanised(b)


def _garbles_capitalised_word(original_words: list[str], replacement_words: list[str]) -> bool:
    """Whether a capitalised word (a possible name, even at a sentence start) becomes a non-word.

    "Becuase" -> "Because" is a correction; "Siobhan" -> "Siborjan" is a name being mangled.
    """
    if len(original_words) != 1 or len(replacement_words) != 1:
        return False
    original = strip_edge_punctuation(original_words[0])
    replacement = strip_edge_punctuation(replacement_words[0])
    if not original[:1].isupper() or original.casefold() == replacement.casefold():
        return False
    if "'" in replacement or "’" in replacement:
        return False  # contractions ("Im" -> "I'm") are not in the word list
    return not is_english_word(original) and not is_english_word(replacement)


def is_slip(written: str, replacement: str, config: GuardConfig) -> bool:
    """Whether a dictionary word became another by a slip writers make, which makes the pair a confusion
    set of its own: the letters reversed ("sub" -> "bus"), two neighbours swapped ("form" -> "from"), a
    mirrored letter (b/d, p/q, m/w, n/u: "bog" -> "dog", "we" -> "me"), or any one edit when the written
    word is rare and the new one more frequent ("waite" -> "wait")."""
    a, b = written.lower(), replacement.lower()
    if a == b:
        return False
    if a == b[::-1] or (len(a) == len(b) and DamerauLevenshtein.distance(a, b) == 1 and sorted(a) == sorted(b)):
        return True
    changed = [(x, y) for x, y in zip(a, b) if x != y] if len(a) == len(b) else []
    if len(changed) == 1 and MIRROR_LETTERS.get(changed[0][0]) == changed[0][1]:
        return True
    written_frequency = word_frequency(a)
    return (DamerauLevenshtein.distance(a, b) == 1 and written_frequency < config.rare_word_count
            and word_frequency(b) > written_frequency)


def _swaps_correct_word(original: str, replacement: str, config: GuardConfig) -> bool:
    """Whether a correctly spelled word becomes another one without a known reason to.

    Known reasons: a confusion-set partner (checked before), a case or apostrophe variant ("wed" ->
    "we'd"), or a slip (`is_slip`). Anything else ("july" -> "june", "red" -> "rod", "finally" ->
    "fortunately", "orreries" -> "orrearies") changes meaning, not spelling. Either word list counts.
    """
    a, b = strip_edge_punctuation(original).lower(), strip_edge_punctuation(replacement).lower()
    if a == b or a not in known_words():
        return False
    if a.replace("'", "").replace("’", "") == b.replace("'", "").replace("’", ""):
        return False
    return not is_slip(a, b, config)


def sounds_alike(original: str, replacement: str) -> bool:
    """Whether the two words have the same Metaphone key ("fone" / "phone", "sed" / "said")."""
    a, b = _letters(original).replace("'", "").replace("’", ""), _letters(replacement).replace("'", "").replace("’", "")
    return bool(a and b) and jellyfish.metaphone(a) == jellyfish.metaphone(b)


def _close_spelling(original: str, replacement: str, config: GuardConfig) -> bool:
    """Whether `replacement` is a plausible spelling of `original` rather than another word.

    The same letters reordered (dyslexic reversals: "eht" -> "the", "sub" -> "bus"), one Damerau edit
    apart ("fo" -> "of"), the same sound ("fone" -> "phone"), or few edits apart (`misspelling_edits`,
    more for long words) with enough letters in common.
    """
    a, b = original.casefold(), replacement.casefold()
    if sorted(a) == sorted(b):
        return True
    if DamerauLevenshtein.distance(a, b) <= 1 or sounds_alike(a, b):
        return True
    allowed = max(config.misspelling_edits, math.floor(config.misspelling_edit_rate * max(len(a), len(b))))
    if a not in known_words() and DamerauLevenshtein.distance(a, b) > allowed:
        return False  # a misspelling becomes only a word close to it (a correct word: see _swaps_correct_word)
    # Misspellings nearly always keep the first letter; a new first letter needs more in common
    # ("yesterday" -> "today" does not pass).
    needed = config.min_edit_similarity if a[:1] == b[:1] else config.min_edit_similarity_new_first_letter
    return _similarity(a, b) >= needed


def _letters(text: str) -> str:
    # Apostrophes count as letters: "dont" -> "don't" is a spelling fix.
    return "".join(char for char in text if char.isalnum() or char in "'’")


_QUOTES = "'‘’"


def _dropped_quote(source: str, edit: Edit) -> str | None:
    """Whether the edit drops a single quote that marks a quotation, which is text lost ("the song
    'blue moon' and" -> "'blue moon and"): the quote opening a word, or closing one after an opening quote
    earlier in the line that is still open. A trailing apostrophe with no open quote ("its'") may go."""
    original, replacement = edit.original.strip(), edit.replacement.strip()
    if not original or not replacement:
        return None
    if original[0] in _QUOTES and replacement[0] not in _QUOTES:
        return "drops an opening quote"
    if original[-1] in _QUOTES and replacement[-1] not in _QUOTES:
        before = source[: edit.start].split()
        opened = sum(word[0] in _QUOTES for word in before) - sum(
            len(word) > 1 and word.rstrip(".,;:!?)")[-1:] in ("'", "’") for word in before)
        if opened > 0:
            return "drops a closing quote"
    return None


_KEPT_MARKS = {**dict.fromkeys('"“”«»', "a quote"), **dict.fromkeys("()[]{}", "a bracket"),
               **dict.fromkeys(".,;:!?…", "punctuation")}


def _dropped_mark(edit: Edit) -> str | None:
    """Whether a spelling fix loses a double quote, a bracket or a sentence mark of its words ("(the catt)"
    -> "(the cat"): text lost like a dropped word. The word's fix alone may still be made (the second pass
    keeps what stands around a word)."""
    original, replacement = _punctuation(edit.original), _punctuation(edit.replacement)
    for mark in dict.fromkeys(original):
        if mark in _KEPT_MARKS and replacement.count(mark) < original.count(mark):
            return f"drops {_KEPT_MARKS[mark]}"
    return None


def _punctuation(text: str) -> str:
    return "".join(char for char in text if not (char.isalnum() or char in "'’" or char.isspace()))


def _known_confusion(original: str, replacement: str) -> bool:
    """Whether the pair is in a confusion set: homophones (their/there), a contraction without its
    apostrophe (dont/don't), a mined real-word error (male/mail) or a listed slip (tow/two)."""
    return are_confusable(strip_edge_punctuation(original), strip_edge_punctuation(replacement))


def _drops_contracted_part(original: str, replacement: str) -> bool:
    """Whether a contraction written without its apostrophe became only its first word ("theyd" -> "they")."""
    contraction = contractions().get(strip_edge_punctuation(original).lower())
    if contraction is None or "'" not in contraction:
        return False
    return strip_edge_punctuation(replacement).lower() == contraction.split("'", 1)[0]


def _negation_reason(original: str, replacement: str) -> str | None:
    """Why the edit makes a negation appear or disappear, or None.

    A misspelled word of the original may have been a negation ("nevr" -> "never", "notsure" -> "not
    sure"), so it may become one; a known word or contraction ("wasnt" -> "was", "hot" -> "not") may not.
    """
    before, after = negation_count(original), negation_count(replacement)
    if before == after:
        return None
    words = original.split(), replacement.split()
    if len(words[0]) == len(words[1]) == 1 and is_homophone_pair(strip_edge_punctuation(original),
                                                                  strip_edge_punctuation(replacement)):
        return None  # "I no the answer" -> "I know the answer"
    if after < before:
        return "drops a negation"
    if after - before <= sum(_is_misspelling(word) for word in words[0]):
        return None
    return "adds a negation"


def _is_misspelling(word: str) -> bool:
    """Whether `word` is in no word list and is no contraction written without its apostrophe."""
    core = strip_edge_punctuation(word).lower()
    return bool(core) and core.isalpha() and core not in known_words() and core not in contractions()


def _fixes_calendar_word(text: str, replacement_words: list[str], config: GuardConfig) -> bool:
    """Whether a capitalised misspelling (taken for a name) becomes a weekday or month close to it:
    "Firday" -> "Friday", "Thrusday" -> "Thursday". Other names stay as written."""
    if len(replacement_words) != 1:
        return False
    fixed = strip_edge_punctuation(replacement_words[0])
    return (fixed.lower() in CALENDAR_NAMES and fixed[:1].isupper() and _is_misspelling(text)
            and _close_spelling(text, fixed, config))


def _protected_in(text: str, first_is_sentence_start: bool) -> list[tuple[str, str]]:
    found = []
    sentence_start = first_is_sentence_start
    for token in tokenize(text):
        kind = protected_kind(token.text, sentence_start)
        if kind:
            found.append((kind, strip_edge_punctuation(token.text)))
        sentence_start = next_starts_sentence(token.text, sentence_start)
    return found


def _starts_sentence(source: str, position: int) -> bool:
    starts = True
    for word in source[:position].split():
        starts = next_starts_sentence(word, starts)
    return starts


def refuse_edit_reason(source: str, edit: Edit, config: GuardConfig) -> str | None:
    """Why this single edit must be reverted, or None if it is a safe correction."""
    original_words = edit.original.split()
    replacement_words = edit.replacement.split()
    if not replacement_words:
        position = edit.start
        next_words = source[edit.end :].split()
        previous_words = source[:position].split()
        neighbours = {w.lower() for w in next_words[:1] + previous_words[-1:]}
        for kind, _ in _protected_in(edit.original, _starts_sentence(source, edit.start)):
            return f"drops {_NOUN[kind]}"  # "at 5 5 pm" may be a table row: a repeated number stays
        if all(word.lower() in neighbours for word in original_words):
            return None  # a repeated word removed ("the the" -> "the")
        return "drops a word"
    if not original_words:
        return "adds a word"
    if _fixes_case_noise(edit.original, edit.replacement):
        return None
    if config.keep_negations:
        negation = _negation_reason(edit.original, edit.replacement)
        if negation:
            return negation
    kept_protected = {text for _, text in _protected_in(edit.replacement, False)}
    kept_protected |= {strip_edge_punctuation(word) for word in replacement_words}
    for kind, text in _protected_in(edit.original, _starts_sentence(source, edit.start)):
        if text not in kept_protected and not _fixes_calendar_word(text, replacement_words, config):
            return f"changes {_NOUN[kind]}"
    source_protected = {text for _, text in _protected_in(source, True)}
    for kind, text in _protected_in(edit.replacement, _starts_sentence(source, edit.start)):
        if kind != "name" and text not in source_protected:
            return f"adds {_NOUN[kind]}"
    if _letters(strip_edge_punctuation(edit.original)).casefold() == _letters(
        strip_edge_punctuation(edit.replacement)
    ).casefold() and (
        _punctuation(edit.original) != _punctuation(edit.replacement)
    ):
        return "changes punctuation"
    quote = _dropped_quote(source, edit) or _dropped_mark(edit)
    if quote:
        return quote
    squeezed_original = "".join(original_words)
    squeezed_replacement = "".join(replacement_words)
    if len(original_words) != len(replacement_words):
        # Only a split or merge may change the count: the same letters, differently spaced.
        if len(replacement_words) < len(original_words) and "'" in squeezed_replacement.replace("’", "'") and (
            "'" not in squeezed_original.replace("’", "'")
        ):
            return "contracts words"  # "they are" -> "they're" is style, not spelling
        if len(original_words) == 1 and strip_edge_punctuation(original_words[0]).lower() in contractions():
            return "expands a contraction"  # "mustnt" means "mustn't", not "must not": the second pass fixes it
        if _similarity(squeezed_original, squeezed_replacement) >= config.min_resplit_similarity:
            return None
        if len(replacement_words) < len(original_words) - 1:
            return "drops a word"
        if len(replacement_words) > len(original_words) + 1:
            return "adds a word"
        if _similarity(squeezed_original, squeezed_replacement) < config.min_split_merge_similarity:
            return "rewrites several words"
        return None
    if len(original_words) > 1:
        return _several_words_reason(source, edit, config)
    if _drops_contracted_part(original_words[0], replacement_words[0]):
        return "drops part of a contraction"  # "Theyd" -> "They" loses "would"; the second pass writes "They'd"
    if _regional_variant(original_words[0], replacement_words[0]):
        return "changes a British or American spelling"
    if _drops_accents(original_words[0], replacement_words[0]):
        return "drops the accents of a word"  # "café" -> "cafe", "naïve" -> "naive"
    if _known_confusion(edit.original, edit.replacement):
        return None
    if _garbles_capitalised_word(original_words, replacement_words):
        return "changes a name"
    if _is_misspelling(edit.original) and _is_misspelling(edit.replacement):
        return "replaces an unknown word with another"  # "orreries" -> "orrearies" fixes nothing
    if not _close_spelling(squeezed_original, squeezed_replacement, config):
        return "replaces a word with a different one"
    if config.keep_correct_words and _swaps_correct_word(edit.original, edit.replacement, config):
        return "replaces a correctly spelled word"
    return None


def _several_words_reason(source: str, edit: Edit, config: GuardConfig) -> str | None:
    """A rewrite of several words keeping their count: a re-spacing of the same letters ("th ecat" ->
    "the cat"), or each changed word an edit the guard accepts alone; otherwise the first refusal."""
    original_words, replacement_words = edit.original.split(), edit.replacement.split()
    if "".join(original_words).casefold() == "".join(replacement_words).casefold():
        return None
    offset = edit.start
    for original, replacement in zip(original_words, replacement_words):
        start = source.index(original, offset)
        offset = start + len(original)
        if original == replacement:
            continue
        reason = refuse_edit_reason(source, Edit(start, offset, original, replacement), config)
        if reason:
            return reason
    return None


def refuse_piece_reason(source: str, proposed: str, config: GuardConfig) -> str | None:
    """Why the whole proposed output must be refused, or None if its edits can be judged one by one."""
    if not proposed.strip():
        return "the model returned nothing"
    if "\n" in proposed.strip():
        return "the model returned several lines"
    source_words, proposed_words = len(source.split()), len(proposed.split())
    allowed = max(config.min_word_delta, math.ceil(config.word_delta_rate * source_words))
    if abs(proposed_words - source_words) > allowed:
        return f"changes the word count from {source_words} to {proposed_words}"
    if source_words >= 4 and _similarity(source, proposed) < config.min_piece_similarity:
        return "rewrites the text instead of correcting it"
    return None


def guard_correction(source: str, proposed: str, config: GuardConfig | None = None) -> Correction:
    """The safe part of `proposed` as a Correction of `source`; whatever is refused keeps the original."""
    config = config or GuardConfig()
    piece_reason = refuse_piece_reason(source, proposed, config)
    if piece_reason:
        rejected = [] if proposed.strip() == source.strip() else [Rejection(source, proposed, piece_reason, 0, len(source))]
        return Correction(input=source, output=source, rejected=rejected)
    accepted: list[Edit] = []
    rejected: list[Rejection] = []
    edits = compute_edits(source, proposed)
    if config.keep_lowercase_style and not any(char.isupper() for char in source):
        # Case is style, not spelling: text written all in lowercase stays lowercase.
        edits = [replace(e, replacement=e.replacement.lower()) for e in edits]
        edits = [e for e in edits if e.replacement != e.original]
    for edit in edits:
        reason = refuse_edit_reason(source, edit, config)
        if reason:
            rejected.append(Rejection(edit.original, edit.replacement, reason, edit.start, edit.end))
        else:
            accepted.append(edit)
    return Correction(input=source, output=apply_edits(source, accepted), edits=accepted, rejected=rejected)

"""What one writer's accepts and rejects teach at once, with no training: built from their feedback records.

Pure: no files, no database. The records are the dicts `FeedbackLog` writes (`decision`, `sentence`,
`suggestion` with `offset`, `length`, `original`, `replacement`; `time` optional), read in the order given.

The rules, per writer:

- A change is its original and replacement without edge punctuation, casefolded: rejecting "Leeds," ->
  "Leads," is rejecting "leeds" -> "leads".
- Its context is the `context_words` words on each side of it in the line it was shown in (casefolded,
  without edge punctuation; nothing beyond the line's ends). "The same context" means the same words
  there: "Leeds -> Leads" rejected in "I live in Leeds now" is not offered again in "We moved in Leeds now"
  ("in" ... "now"), but is in "Leeds is grey".
- A change rejected in `reject_everywhere_after` different contexts is not offered anywhere any more: a
  writer who said no twice in two places means the word, not the sentence.
- An accepted one-word spelling fix (not a change of case only) becomes a preference: the next time the
  writer misspells that word, the second pass favours the word they chose (correct/preferences.py).
- The latest decision on a change wins: accepting a change drops its rejections; rejecting the writer's
  preferred word for a misspelling drops that preference.

Everything learned is listed (`items`) with an id, and `forget(id)` undoes one item. A store that rebuilds
this from its records drops the records `records_teaching(...)` names, so the item stays forgotten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from spelltune.correct.corrector import Correction
from spelltune.correct.edge_punctuation import strip_edge_punctuation
from spelltune.correct.edits import apply_edits
from spelltune.correct.preferences import SpellingPreferences
from spelltune.data.sources.feedback import FeedbackEvent, read_feedback_event
from spelltune.errors import InputError

__all__ = ["FeedbackEvent", "LearnedItem", "LearnedPreferences", "LearningRules", "change_key", "context_of",
           "read_feedback_event", "records_teaching"]

_TOKEN = re.compile(r"\S+")
_ONE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class LearningRules:
    """What counts as the same context, and when a rejection holds everywhere."""

    context_words: int = 1  # words on each side of a change that make its context
    reject_everywhere_after: int = 2  # rejected in this many different contexts: never offered (0: never)


def change_key(original: str, replacement: str) -> tuple[str, str]:
    """A change as learning compares it: both sides without edge punctuation, spaces collapsed, casefolded."""
    return _normalized(original), _normalized(replacement)


def _normalized(text: str) -> str:
    return " ".join(strip_edge_punctuation(word) for word in text.split()).replace("’", "'").casefold()


def context_of(text: str, start: int, end: int, words: int) -> tuple[str, ...]:
    """The `words` words before `start` and after `end` in `text` (normalized; "" past either end)."""
    tokens = [(match.start(), match.end(), _normalized(match.group())) for match in _TOKEN.finditer(text)]
    before = [word for _, token_end, word in tokens if token_end <= start][-words:] if words else []
    after = [word for token_start, _, word in tokens if token_start >= end][:words]
    return tuple([""] * (words - len(before)) + before + after + [""] * (words - len(after)))


@dataclass
class RejectedChange:
    """A change the writer said no to, and the contexts they said it in (first seen first)."""

    original: str  # as first shown
    replacement: str
    contexts: list[tuple[str, ...]] = field(default_factory=list)
    times: int = 0
    last_time: str | None = None


@dataclass
class Preference:
    """The word a writer accepted for one of their misspellings."""

    original: str  # as last shown
    replacement: str
    times: int = 0
    last_time: str | None = None


@dataclass(frozen=True)
class LearnedItem:
    """One thing learned, as the editor lists it; `id` undoes it with `LearnedPreferences.forget`."""

    id: str
    kind: str  # "rejected" (not offered again) or "preferred" (favoured for that misspelling)
    original: str
    replacement: str
    times: int
    everywhere: bool = False  # a rejection that holds in every context
    contexts: tuple[str, ...] = ()  # where a rejection holds, as the words around it read ("in Leeds now")
    last_time: str | None = None

    def to_json_dict(self) -> dict:
        """A plain dict for an HTTP answer or an export file."""
        return {"id": self.id, "kind": self.kind, "original": self.original, "replacement": self.replacement,
                "times": self.times, "everywhere": self.everywhere, "contexts": list(self.contexts),
                "last_time": self.last_time}


def _rejection_id(key: tuple[str, str]) -> str:
    return f"rejected:{key[0]}>{key[1]}"


def _preference_id(original: str) -> str:
    return f"preferred:{original}"


class LearnedPreferences:
    """What one writer's decisions taught: changes not to offer again, and their preferred fixes."""

    def __init__(self, rules: LearningRules | None = None):
        self.rules = rules or LearningRules()
        self.rejections: dict[tuple[str, str], RejectedChange] = {}
        self.preferences: dict[str, Preference] = {}
        self.skipped = 0  # records `from_feedback` could not read

    @classmethod
    def from_feedback(cls, records: Iterable[Mapping], rules: LearningRules | None = None) -> LearnedPreferences:
        """Everything `records` teach, in order; records that cannot be read are skipped and counted."""
        learned = cls(rules)
        for record in records:
            try:
                event = read_feedback_event(record)
            except InputError:
                learned.skipped += 1
                continue
            learned.learn(event)
        return learned

    def learn(self, event: FeedbackEvent | Mapping) -> None:
        """Take one more decision into account (a record is read first; InputError when it cannot be)."""
        if not isinstance(event, FeedbackEvent):
            event = read_feedback_event(event)
        key = change_key(event.original, event.replacement)
        if event.decision == "rejected":
            self._reject(event, key)
        else:
            self._accept(event, key)

    def _reject(self, event: FeedbackEvent, key: tuple[str, str]) -> None:
        preference = self.preferences.get(key[0])
        if preference is not None and _normalized(preference.replacement) == key[1]:
            del self.preferences[key[0]]
        rejected = self.rejections.setdefault(key, RejectedChange(event.original, event.replacement))
        context = context_of(event.sentence, event.start, event.end, self.rules.context_words)
        if context not in rejected.contexts:
            rejected.contexts.append(context)
        rejected.times += 1
        rejected.last_time = event.time or rejected.last_time

    def _accept(self, event: FeedbackEvent, key: tuple[str, str]) -> None:
        self.rejections.pop(key, None)
        original, replacement = strip_edge_punctuation(event.original), strip_edge_punctuation(event.replacement)
        if not _ONE_WORD.fullmatch(original) or not replacement or key[0] == key[1]:
            return  # not one misspelled word, or a change of case or punctuation only
        preference = self.preferences.get(key[0])
        if preference is None or _normalized(preference.replacement) != key[1]:
            preference = self.preferences[key[0]] = Preference(original, replacement)
        preference.original = original
        preference.times += 1
        preference.last_time = event.time or preference.last_time

    # -- using what was learned ----------------------------------------------------------------------------

    def is_rejected(self, original: str, replacement: str, context: tuple[str, ...]) -> bool:
        """Whether the writer said no to this change in this context, or in enough contexts to mean everywhere."""
        rejected = self.rejections.get(change_key(original, replacement))
        if rejected is None:
            return False
        return context in rejected.contexts or self._everywhere(rejected)

    def _everywhere(self, rejected: RejectedChange) -> bool:
        limit = self.rules.reject_everywhere_after
        return limit > 0 and len(rejected.contexts) >= limit

    def filter(self, correction: Correction) -> Correction:
        """`correction` without the edits (and refused proposals offered as hints) this writer rejected in
        their context; the output is rebuilt from the edits kept."""
        if not self.rejections:
            return correction
        words = self.rules.context_words

        def rejected(original: str, replacement: str | None, start: int | None, end: int | None) -> bool:
            if replacement is None or start is None or end is None:
                return False
            return self.is_rejected(original, replacement, context_of(correction.input, start, end, words))

        edits = [edit for edit in correction.edits if not rejected(edit.original, edit.replacement, edit.start, edit.end)]
        refused = [item for item in correction.rejected if not rejected(item.original, item.proposed, item.start, item.end)]
        if len(edits) == len(correction.edits) and len(refused) == len(correction.rejected):
            return correction
        return replace(correction, output=apply_edits(correction.input, edits), edits=edits, rejected=refused)

    def spelling_preferences(self) -> SpellingPreferences:
        """The writer's preferred fixes, to pass with each of their lines to `correct_lines(preferences=...)`."""
        return SpellingPreferences.of({original: item.replacement for original, item in self.preferences.items()})

    # -- showing and undoing -------------------------------------------------------------------------------

    def items(self) -> list[LearnedItem]:
        """Everything learned: preferences first, then rejections, each in the order first learned."""
        listed = [LearnedItem(_preference_id(key), "preferred", item.original, item.replacement, item.times,
                              last_time=item.last_time) for key, item in self.preferences.items()]
        for key, item in self.rejections.items():
            contexts = tuple(_describe(context, self.rules.context_words, item.original) for context in item.contexts)
            listed.append(LearnedItem(_rejection_id(key), "rejected", item.original, item.replacement, item.times,
                                      everywhere=self._everywhere(item), contexts=contexts, last_time=item.last_time))
        return listed

    def forget(self, item_id: str) -> bool:
        """Undo one learned item by its id; False when there is no such item."""
        for key in list(self.preferences):
            if _preference_id(key) == item_id:
                del self.preferences[key]
                return True
        for key in list(self.rejections):
            if _rejection_id(key) == item_id:
                del self.rejections[key]
                return True
        return False

    def to_json_dict(self) -> dict:
        """Everything learned as plain data (an export a writer can read)."""
        return {"rules": {"context_words": self.rules.context_words,
                          "reject_everywhere_after": self.rules.reject_everywhere_after},
                "items": [item.to_json_dict() for item in self.items()]}


def _describe(context: tuple[str, ...], words: int, original: str) -> str:
    """The context as the writer wrote it, their word in its place ("in Leeds now"), for people to read."""
    before, after = " ".join(context[:words]).strip(), " ".join(context[words:]).strip()
    return " ".join(part for part in (before, original, after) if part)


def records_teaching(records: list[Mapping], item_id: str) -> list[int]:
    """Indices of the `records` that taught the item `item_id`: what a store deletes so that rebuilding
    from its records keeps the item forgotten (and no later training learns it either)."""
    found = []
    for index, record in enumerate(records):
        try:
            event = read_feedback_event(record)
        except InputError:
            continue
        key = change_key(event.original, event.replacement)
        taught = _rejection_id(key) if event.decision == "rejected" else _preference_id(key[0])
        if taught == item_id:
            found.append(index)
    return found

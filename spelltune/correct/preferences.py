"""A writer's own spelling fixes, handed to the corrector per line: "when I write becuase, I mean because".

The corrector keeps no state about writers (one server corrects for many). A caller that knows who wrote
a line passes that writer's `SpellingPreferences` with it (`LMCorrector.correct_lines(lines,
preferences=[...])`); the second pass (correct/rescore.py) then adds the preferred word as a candidate
for that misspelling and lets it pay `RescoreSettings.preference_bonus` nats less. It stays a candidate
like any other: the guard still judges it, and names, URLs, numbers and known words are never decided
by a preference (only words the second pass looks at again: misspellings no word list knows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from spelltune.correct.dictionary import match_case


@dataclass(frozen=True)
class SpellingPreferences:
    """Misspelling (casefolded) -> the word the writer accepted for it. Hashable, so lines sharing one
    writer's preferences share their work."""

    pairs: frozenset[tuple[str, str]] = frozenset()
    _lookup: dict[str, str] = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lookup", dict(self.pairs))

    @classmethod
    def of(cls, mapping: Mapping[str, str] | SpellingPreferences | None) -> SpellingPreferences:
        """Preferences from a plain `{misspelling: replacement}` mapping (keys matched without case)."""
        if isinstance(mapping, SpellingPreferences):
            return mapping
        if mapping is None:
            return NO_PREFERENCES
        pairs = {}
        for written, replacement in mapping.items():
            if not isinstance(written, str) or not isinstance(replacement, str):
                raise TypeError("spelling preferences map a word (str) to its replacement (str)")
            if written.strip() and replacement.strip():
                pairs[written.strip().casefold()] = replacement.strip()
        return cls(frozenset(pairs.items()))

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def preferred(self, written: str) -> str | None:
        """The writer's word for `written`, in `written`'s case, or None when they have none."""
        replacement = self._lookup.get(written.casefold())
        if replacement is None or replacement.casefold() == written.casefold():
            return None
        return match_case(written, replacement)


NO_PREFERENCES = SpellingPreferences()

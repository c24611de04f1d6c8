"""What every corrector returns and promises, whether a language model or a classic spell checker."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Edit:
    """One change: characters `start:end` of the input, `original`, became `replacement`."""

    start: int
    end: int
    original: str
    replacement: str
    # How sure the model was of this change (0-1), where the corrector measured it; None otherwise.
    confidence: float | None = None


@dataclass(frozen=True)
class Rejection:
    """A change the model proposed that the guard refused, keeping the original, and why.

    `start:end` locate `original` in the input line when known (a whole refused piece spans the piece).
    """

    original: str
    proposed: str
    reason: str
    start: int | None = None
    end: int | None = None


@dataclass
class Correction:
    """The corrected form of one input line, with its edits and the refused proposals."""

    input: str
    output: str
    edits: list[Edit] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    note: str | None = None

    def to_json_dict(self) -> dict:
        """A plain dict for `--json` output and HTTP responses."""
        data = asdict(self)
        if self.note is None:
            data.pop("note")
        return data


class Corrector(Protocol):
    """Anything that corrects lines: one `Correction` per input line, in order, none dropped."""

    name: str

    def correct_lines(self, lines: list[str]) -> list[Correction]:
        """Correct each line independently; a line that can't be corrected comes back unchanged."""
        ...

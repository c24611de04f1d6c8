"""The records the data stage passes between its steps."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class WordMisspelling:
    """One real misspelling of a word, as a person wrote it, and where it was recorded."""

    correct: str
    misspelling: str
    source: str


@dataclass(frozen=True)
class CleanSentence:
    """A correctly written sentence and the name of the source it came from."""

    text: str
    source: str


@dataclass(frozen=True)
class CorrectionPair:
    """One training row: the text with errors, the corrected text, and how it was made."""

    input: str
    output: str
    category: str
    source: str
    error_types: tuple[str, ...] = field(default_factory=tuple)
    complexity: str = "none"

    def to_row(self) -> dict[str, object]:
        """The JSONL row, with keys in a fixed order."""
        return {
            "input": self.input,
            "output": self.output,
            "category": self.category,
            "source": self.source,
            "error_types": list(self.error_types),
            "complexity": self.complexity,
        }

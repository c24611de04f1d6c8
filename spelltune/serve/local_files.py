"""The single-user files kept as a copy of the local writer's data, so `spelltune fix` (dictionary.txt) and
the `feedback` data source (feedback.jsonl) see what the editor does. Other writers' data has no files."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from spelltune.atomic import write_text
from spelltune.serve.personal import FeedbackLog


class LocalFiles:
    """dictionary.txt rewritten from the local writer's words; feedback.jsonl appended with their decisions."""

    def __init__(self, dictionary_path: Path, feedback_path: Path):
        self.dictionary_path = Path(dictionary_path)
        self.feedback = FeedbackLog(feedback_path)
        self._lock = threading.Lock()

    def write_dictionary(self, current_words: Callable[[], list[str]]) -> None:
        """Make dictionary.txt hold the words `current_words()` reads (read under the lock: the last write wins
        with the newest words)."""
        with self._lock:
            write_text(self.dictionary_path, "".join(word + "\n" for word in current_words()))

    def append_feedback(self, sentence: str, suggestion: dict, decision: str) -> None:
        """Append one decision to feedback.jsonl, as earlier versions did."""
        self.feedback.append(sentence, suggestion, decision)

"""What the server has learned about each writer, built from their feedback events in the store.

The feedback events are the only record: `LearnedPreferences.from_feedback` (learning.py) rebuilds what they
teach. A process keeps the result per writer in a small LRU, tagged with the writer's `feedback_revision`
when it was read; every request reads that one number (a primary-key lookup) and rebuilds when it moved. The
store moves it in the same transaction as any change to the events, so a replica never uses what another
replica's feedback, undo or erase made stale: nothing here can disagree with the database.

Undoing an item (`forget_learned`) deletes the events that taught it (`records_teaching`), so it stays
undone after a restart, on every replica, and for `spelltune adapt --writer` too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from spelltune.correct.preferences import SpellingPreferences
from spelltune.serve.learning import LearnedPreferences, LearningRules, records_teaching
from spelltune.serve.store import Store
from spelltune.serve.store.feedback import delete_feedback_events, feedback_records, feedback_revision


@dataclass(frozen=True)
class WriterLearning:
    """One writer's learned preferences at one revision of their feedback (shared: never mutate `learned`)."""

    revision: int
    learned: LearnedPreferences
    spelling: SpellingPreferences  # learned.spelling_preferences(), made once


class LearningCache:
    """Per-process LRU of `WriterLearning`, valid while the writer's `feedback_revision` has not moved."""

    def __init__(self, rules: LearningRules | None = None, max_writers: int = 1024):
        self.rules = rules or LearningRules()
        self.max_writers = max(1, max_writers)
        self._entries: OrderedDict[int, WriterLearning] = OrderedDict()
        self._lock = threading.Lock()
        self.rebuilds = 0  # how many times events were read and learned from

    def for_writer(self, store: Store, writer_id: int) -> WriterLearning:
        """What the writer's feedback teaches now (blocking: call it off the event loop)."""
        revision = feedback_revision(store, writer_id)  # read before the events: a change in between rebuilds
        with self._lock:
            entry = self._entries.get(writer_id)
            if entry is not None and entry.revision == revision:
                self._entries.move_to_end(writer_id)
                return entry
        learned = LearnedPreferences.from_feedback(feedback_records(store, writer_id), self.rules)
        entry = WriterLearning(revision, learned, learned.spelling_preferences())
        with self._lock:
            self.rebuilds += 1
            current = self._entries.get(writer_id)
            if current is None or current.revision <= revision:
                self._entries[writer_id] = entry
                self._entries.move_to_end(writer_id)
            while len(self._entries) > self.max_writers:
                self._entries.popitem(last=False)
        return entry


def forget_learned(store: Store, writer_id: int, item_id: str, rules: LearningRules | None = None) -> int | None:
    """Undo one learned item of the writer by deleting the feedback events that taught it; returns how many
    went, or None when the writer has no such item (another writer's id included)."""
    records = feedback_records(store, writer_id)
    learned = LearnedPreferences.from_feedback(records, rules)
    if item_id not in {item.id for item in learned.items()}:
        return None
    event_ids = [records[index]["id"] for index in records_teaching(records, item_id)]
    return delete_feedback_events(store, writer_id, event_ids)

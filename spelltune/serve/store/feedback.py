"""One writer's feedback events: every accept and reject, with the line the suggestion was made in."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, select

from spelltune.errors import InputError
from spelltune.serve.store.database import Store
from spelltune.serve.store.models import FeedbackEvent, utc_now

DECISIONS = ("accepted", "rejected")
_WORD = re.compile(r"\S+")


def change_context(sentence: str, offset: object, length: object) -> str:
    """The text of `sentence` from the word before the change to the word after it ("" if it is not inside)."""
    if not isinstance(offset, int) or not isinstance(length, int) or not 0 <= offset <= offset + length <= len(sentence):
        return ""
    words = [(match.start(), match.end()) for match in _WORD.finditer(sentence)]
    before = [start for start, end in words if end <= offset]
    after = [end for start, end in words if start >= offset + length]
    start = before[-1] if before else offset
    end = after[0] if after else offset + length
    return sentence[start:end]


def add_feedback_event(store: Store, writer_id: int, sentence: str, suggestion: dict, decision: str,
                       time: datetime | None = None) -> FeedbackEvent:
    """Record one decision ("accepted" or "rejected"; else InputError) and return it."""
    if decision not in DECISIONS:
        raise InputError(f"decision must be one of {', '.join(DECISIONS)}")
    original, replacement = suggestion.get("original"), suggestion.get("replacement")
    event = FeedbackEvent(
        writer_id=writer_id, time=time or utc_now(), decision=decision, sentence=sentence, suggestion=suggestion,
        original=original if isinstance(original, str) else "",
        replacement=replacement if isinstance(replacement, str) else "",
        context=change_context(sentence, suggestion.get("offset"), suggestion.get("length")),
    )
    with store.session() as session:
        session.add(event)
    return event


def feedback_events(store: Store, writer_id: int, after_id: int = 0, limit: int | None = None) -> list[FeedbackEvent]:
    """The writer's events in the order they happened; only those with an id above `after_id`, `limit` at most."""
    query = (select(FeedbackEvent).where(FeedbackEvent.writer_id == writer_id, FeedbackEvent.id > after_id)
             .order_by(FeedbackEvent.id))
    if limit is not None:
        query = query.limit(limit)
    with store.session() as session:
        return list(session.scalars(query))


def delete_feedback_event(store: Store, writer_id: int, event_id: int) -> bool:
    """Delete one of the writer's events; False when they have no event with that id."""
    with store.session() as session:
        deleted = session.execute(delete(FeedbackEvent).where(FeedbackEvent.writer_id == writer_id,
                                                              FeedbackEvent.id == event_id))
        return deleted.rowcount > 0


def event_dict(event: FeedbackEvent) -> dict:
    """An event as JSON: the same fields feedback.jsonl had, plus its id and the queryable columns."""
    return {
        "id": event.id,
        "time": event.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "decision": event.decision,
        "sentence": event.sentence,
        "suggestion": event.suggestion,
        "original": event.original,
        "replacement": event.replacement,
        "context": event.context,
    }

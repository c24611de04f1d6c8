"""One writer's feedback events: every accept and reject, with the line the suggestion was made in.

Every change to a writer's events (here, in writer_data.py and legacy_import.py) also moves their
`feedback_revision` in the same transaction (`bump_feedback_revision`): what a server learned from the
events is current exactly while that number has not moved.
"""

from __future__ import annotations

import re
from datetime import datetime

from collections.abc import Collection

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from spelltune.errors import InputError
from spelltune.serve.store.database import Store
from spelltune.serve.store.models import FeedbackEvent, Writer, utc_now

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
        bump_feedback_revision(session, writer_id)
        session.add(event)
    return event


def bump_feedback_revision(session: Session, writer_id: int) -> None:
    """Move the writer's `feedback_revision` on, in `session`'s transaction (call it wherever events change)."""
    session.execute(update(Writer).where(Writer.id == writer_id)
                    .values(feedback_revision=Writer.feedback_revision + 1))


def feedback_revision(store: Store, writer_id: int) -> int:
    """The writer's `feedback_revision` now (0 for a writer that does not exist)."""
    with store.session() as session:
        return session.scalar(select(Writer.feedback_revision).where(Writer.id == writer_id)) or 0


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
    return delete_feedback_events(store, writer_id, [event_id]) > 0


def delete_feedback_events(store: Store, writer_id: int, event_ids: Collection[int]) -> int:
    """Delete those of `event_ids` that are the writer's, in one transaction; returns how many went."""
    if not event_ids:
        return 0
    with store.session() as session:
        deleted = session.execute(delete(FeedbackEvent).where(FeedbackEvent.writer_id == writer_id,
                                                              FeedbackEvent.id.in_(list(event_ids)))).rowcount
        if deleted:
            bump_feedback_revision(session, writer_id)
        return deleted


def feedback_records(store: Store, writer_id: int) -> list[dict]:
    """The writer's events as feedback records, oldest first: the shape of a feedback.jsonl line (what
    serve/learning.py and `spelltune adapt` read) plus each event's id."""
    return [event_dict(event) for event in feedback_events(store, writer_id)]


def event_dict(event: FeedbackEvent) -> dict:
    """An event as JSON: the same fields feedback.jsonl had (so learning and `spelltune adapt` read it as a
    feedback record), plus its id and the queryable columns."""
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

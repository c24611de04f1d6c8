"""All of one writer's data at once: export it as JSON, or erase it."""

from __future__ import annotations

from sqlalchemy import delete, update

from spelltune.serve.learning import LearnedPreferences
from spelltune.serve.store.database import Store
from spelltune.serve.store.dictionary import dictionary_words
from spelltune.serve.store.feedback import bump_feedback_revision, event_dict, feedback_events
from spelltune.serve.store.models import DictionaryWord, FeedbackEvent, Token, Writer


def export_writer_data(store: Store, writer: Writer) -> dict:
    """Everything kept about `writer` (never a token or its hash), as one JSON-ready dict; `learned` is what
    their feedback teaches (serve/learning.py), as `GET /v1/learned` shows it; `writer.own_model` whether a model
    of their own corrects their text (its path on the server is not theirs to see)."""
    feedback = [event_dict(event) for event in feedback_events(store, writer.id)]
    return {
        "writer": {"name": writer.name, "created": writer.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "revoked_at": writer.revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ") if writer.revoked_at else None,
                   "own_model": writer.model_spec is not None},
        "dictionary": dictionary_words(store, writer.id),
        "feedback": feedback,
        "learned": LearnedPreferences.from_feedback(feedback).to_json_dict(),
    }


def erase_writer_data(store: Store, writer_id: int, *, and_writer: bool = False) -> dict[str, int]:
    """Delete the writer's dictionary and feedback (so all that was learned from it, their own model included:
    the server forgets its spec, trained on that feedback), and, `and_writer`, their tokens and name.

    Returns how many rows of each went. One transaction: all of it goes, or nothing does.
    """
    counts = {}
    with store.session() as session:
        for name, table in (("dictionary", DictionaryWord), ("feedback", FeedbackEvent)):
            counts[name] = session.execute(delete(table).where(table.writer_id == writer_id)).rowcount
        bump_feedback_revision(session, writer_id)
        session.execute(update(Writer).where(Writer.id == writer_id).values(model_spec=None))
        if and_writer:
            counts["tokens"] = session.execute(delete(Token).where(Token.writer_id == writer_id)).rowcount
            session.execute(delete(Writer).where(Writer.id == writer_id))
    return counts

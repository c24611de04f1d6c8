"""A writer's own data: the personal dictionary (`/v1/dictionary`) and their feedback (`/v1/feedback`).

Every route acts for the calling writer only: another writer's word or event is simply not there (404).
These routes are plain functions: FastAPI runs them in its thread pool, off the event loop, as the store is
synchronous. The local writer's changes are copied to the single-user files (local_files.py).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from spelltune.serve.auth import Caller, CurrentWriter
from spelltune.serve.server_state import CurrentServer, ServerState
from spelltune.serve.store.dictionary import add_dictionary_word, dictionary_words, remove_dictionary_word
from spelltune.serve.store.feedback import add_feedback_event, delete_feedback_event, event_dict, feedback_events

router = APIRouter()


class WordRequest(BaseModel):
    """One word for the personal dictionary."""

    word: str


class FeedbackRequest(BaseModel):
    """A writer's decision on one suggestion."""

    sentence: str = Field(description="The line the suggestion was made in, as it was checked.")
    suggestion: dict = Field(description="The suggestion as /v1/correct gave it (offset in `sentence`).")
    decision: Literal["accepted", "rejected"]


def _copy_local_dictionary(server: ServerState, writer: Caller) -> None:
    if writer.local:
        server.local_files.write_dictionary(lambda: dictionary_words(server.store, writer.writer_id))


@router.get("/v1/dictionary", tags=["personal dictionary"])
def dictionary_list(server: CurrentServer, writer: CurrentWriter) -> dict:
    """The words never flagged for this writer."""
    return {"words": dictionary_words(server.store, writer.writer_id), "writer": writer.name}


@router.post("/v1/dictionary", tags=["personal dictionary"])
def dictionary_add(request: WordRequest, server: CurrentServer, writer: CurrentWriter) -> dict:
    """Never flag this word again for this writer (here and in /v2/check)."""
    word = add_dictionary_word(server.store, writer.writer_id, request.word)
    _copy_local_dictionary(server, writer)
    return {"added": word, "words": dictionary_words(server.store, writer.writer_id)}


@router.delete("/v1/dictionary/{word}", tags=["personal dictionary"])
def dictionary_remove(word: str, server: CurrentServer, writer: CurrentWriter) -> JSONResponse:
    """Flag this word again."""
    if not remove_dictionary_word(server.store, writer.writer_id, word):
        return JSONResponse({"error": f"{word!r} is not in your dictionary"}, status_code=404)
    _copy_local_dictionary(server, writer)
    return JSONResponse({"removed": word, "words": dictionary_words(server.store, writer.writer_id)})


@router.post("/v1/feedback", tags=["feedback"])
def feedback_add(request: FeedbackRequest, server: CurrentServer, writer: CurrentWriter) -> dict:
    """Record one accept/reject decision (what the server learns this writer's preferences from)."""
    event = add_feedback_event(server.store, writer.writer_id, request.sentence, request.suggestion,
                               request.decision)
    if writer.local:
        server.local_files.append_feedback(request.sentence, request.suggestion, request.decision)
    return {"logged": event_dict(event)}


@router.get("/v1/feedback", tags=["feedback"])
def feedback_list(server: CurrentServer, writer: CurrentWriter, after: int = Query(0, ge=0),
                  limit: int = Query(500, ge=1, le=5000)) -> dict:
    """This writer's decisions, oldest first: those with an id above `after`, `limit` at most."""
    events = feedback_events(server.store, writer.writer_id, after_id=after, limit=limit)
    return {"events": [event_dict(event) for event in events]}


@router.delete("/v1/feedback/{event_id}", tags=["feedback"])
def feedback_remove(event_id: int, server: CurrentServer, writer: CurrentWriter) -> JSONResponse:
    """Forget one of this writer's decisions."""
    if not delete_feedback_event(server.store, writer.writer_id, event_id):
        return JSONResponse({"error": f"you have no feedback event {event_id}"}, status_code=404)
    return JSONResponse({"removed": event_id})

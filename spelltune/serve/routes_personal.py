"""A person's own data: the personal dictionary (`/v1/dictionary`) and the feedback log (`POST /v1/feedback`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from spelltune.errors import InputError
from spelltune.serve.personal import DECISIONS
from spelltune.serve.server_state import CurrentServer

router = APIRouter()


class WordRequest(BaseModel):
    """One word for the personal dictionary."""

    word: str


class FeedbackRequest(BaseModel):
    """A person's decision on one suggestion."""

    sentence: str = Field(description="The line the suggestion was made in, as it was checked.")
    suggestion: dict = Field(description="The suggestion as /v1/correct gave it (offset in `sentence`).")
    decision: Literal["accepted", "rejected"]


@router.get("/v1/dictionary", tags=["personal dictionary"])
async def dictionary_words(server: CurrentServer) -> dict:
    """The words never flagged."""
    return {"words": server.dictionary.words(), "path": str(server.dictionary.path)}


@router.post("/v1/dictionary", tags=["personal dictionary"])
async def dictionary_add(request: WordRequest, server: CurrentServer) -> dict:
    """Never flag this word again (here, in /v2/check and in `spelltune fix`)."""
    word = server.dictionary.add(request.word)
    return {"added": word, "words": server.dictionary.words()}


@router.delete("/v1/dictionary/{word}", tags=["personal dictionary"])
async def dictionary_remove(word: str, server: CurrentServer) -> JSONResponse:
    """Flag this word again."""
    if not server.dictionary.remove(word):
        return JSONResponse({"error": f"{word!r} is not in the dictionary"}, status_code=404)
    return JSONResponse({"removed": word, "words": server.dictionary.words()})


@router.post("/v1/feedback", tags=["feedback"])
async def feedback_add(request: FeedbackRequest, server: CurrentServer) -> dict:
    """Log one accept/reject decision (the data a per-person fine-tune learns from)."""
    if request.decision not in DECISIONS:
        raise InputError(f"decision must be one of {', '.join(DECISIONS)}")
    record = server.feedback.append(request.sentence, request.suggestion, request.decision)
    return {"logged": record}

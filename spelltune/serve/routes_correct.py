"""`POST /v1/correct`: spelltune's own API, every suggestion placed in the request's text."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter
from pydantic import BaseModel, Field

from spelltune.serve.auth import CurrentWriter
from spelltune.serve.server_state import CurrentServer
from spelltune.serve.suggestions import suggestion_dicts

router = APIRouter()


class CorrectRequest(BaseModel):
    """Text to correct; many lines allowed, each corrected on its own."""

    text: str = Field(description="The text to correct (lines separated by \\n).")


class Suggestion(BaseModel):
    """One proposed change, placed in the request's text."""

    id: str
    offset: int = Field(description="Character offset in the request's text.")
    length: int
    original: str
    replacement: str
    kind: Literal["spelling", "real-word", "apostrophe", "split-merge", "case"]
    confidence: Optional[float] = Field(None, description="How sure the model was (0-1), when measured.")


class Refused(BaseModel):
    """A change the model proposed that the guard refused: a weak hint at most."""

    id: str
    offset: int
    length: int
    original: str
    proposed: str
    reason: str
    hint: bool = False  # whether an editor may offer it as a weak hint (serve.suggestions.worth_a_hint)


class CorrectResponse(BaseModel):
    """The corrected text with every suggestion applied, the suggestions and the refused proposals."""

    text: str
    suggestions: list[Suggestion]
    refused: list[Refused]
    model: str
    own_model: bool = Field(False, description="Whether the writer's own model (spelltune adapt) corrected it.")


@router.post("/v1/correct", response_model=CorrectResponse, tags=["spelltune"])
async def correct(request: CorrectRequest, server: CurrentServer, writer: CurrentWriter) -> dict:
    """Correct the text: every suggestion with its place, kind and confidence, and the refused proposals."""
    checked = await server.correct_text(request.text, writer.writer_id)
    suggestions, refused = suggestion_dicts(checked.placements)
    model = f"{server.corrector.name} + your own model" if checked.own_model else server.corrector.name
    return {"text": checked.text, "suggestions": suggestions, "refused": refused, "model": model,
            "own_model": checked.own_model}

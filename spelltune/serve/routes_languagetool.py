"""LanguageTool's API (`/v2/check`, `/v2/languages`), for the clients that already speak it (see languagetool.py).

With accounts on, a client signs in as with LanguageTool's premium API: `username` (the writer's name) and
`apiKey` (their token). `/v2/languages` stays open, as LanguageTool's is.
"""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Form

from spelltune.serve import languagetool
from spelltune.serve.auth import Caller, LanguageToolQueryWriter, LanguageToolWriter
from spelltune.serve.server_state import CurrentServer, ServerState, replace_lone_surrogates
from spelltune.serve.suggestions import suggestion_dicts

router = APIRouter()


async def _check(server: ServerState, writer: Caller, text: Optional[str], data: Optional[str],
                 language: Optional[str]) -> dict:
    plain, document = languagetool.plain_text_from_form(text, data)
    entry = languagetool.language_entry(language)
    if entry is None:  # not English: nothing to say, as LanguageTool with no rules for it
        return languagetool.check_response([], {"name": language or "", "code": language or ""})
    placed = (await server.correct_text(plain.text, writer.writer_id)).placements
    if replace_lone_surrogates(plain.text) != plain.text:
        plain = languagetool.PlainText(replace_lone_surrogates(plain.text), plain.origin, plain.document_length)
    suggestions, _ = suggestion_dicts(placed)
    matches = [match for match in (languagetool.match_for(item, plain, document) for item in suggestions)
               if match is not None]
    return languagetool.check_response(matches, entry)


@router.post("/v2/check", tags=["LanguageTool"])
async def check(server: CurrentServer, writer: LanguageToolWriter, text: Optional[str] = Form(None),
                data: Optional[str] = Form(None), language: Optional[str] = Form("auto")) -> dict:
    """LanguageTool's check: form fields `text` or `data` (annotated text), `language`, `username`, `apiKey`."""
    return await _check(server, writer, text, data, language)


@router.get("/v2/check", tags=["LanguageTool"])
async def check_get(server: CurrentServer, writer: LanguageToolQueryWriter, text: Optional[str] = None,
                    data: Optional[str] = None, language: Optional[str] = "auto") -> dict:
    """LanguageTool's check with the same fields as query parameters (as some clients send it)."""
    return await _check(server, writer, text, data, language)


@router.get("/v2/languages", tags=["LanguageTool"])
async def languages() -> list[dict]:
    """The languages spelltune checks, in LanguageTool's shape."""
    return languagetool.LANGUAGES

"""The HTTP API and web editor of `spelltune serve`: one corrector, loaded once, behind a batching queue.

`create_app(corrector, settings)` builds the FastAPI app; `spelltune serve` runs it with uvicorn.
Endpoints: `POST /v1/correct`, LanguageTool-compatible `POST /v2/check` and `GET /v2/languages`,
`GET /healthz`, `GET /v1/models`, the personal dictionary (`/v1/dictionary`), `POST /v1/feedback`,
the editor at `/` and the OpenAPI docs at `/docs`.
"""

from __future__ import annotations

import asyncio
import math
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from spelltune.correct.corrector import Correction, Corrector
from spelltune.errors import InputError, SpelltuneError
from spelltune.serve import languagetool
from spelltune.serve.batcher import BatchingWorker, QueueFull
from spelltune.serve.fix import keeps_the_line, split_lines
from spelltune.serve.personal import (
    DECISIONS,
    FeedbackLog,
    PersonalDictionary,
    default_dictionary_path,
    default_feedback_path,
)
from spelltune.serve.suggestions import LinePlacement, suggestion_dicts

# Browser extensions (LanguageTool's among them) call from their own origin; web pages other than
# the editor itself may not read a person's text or dictionary.
EXTENSION_ORIGINS = r"^((chrome|moz|safari-web)-extension://.*|https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)$"


@dataclass
class ServeSettings:
    """Limits and files of one server."""

    model: str = "default"  # the spec it was loaded from, shown by /v1/models
    max_body_bytes: int = 64 * 1024  # larger request bodies get 413
    request_timeout: float = 120.0  # seconds one request may wait and run; then 504
    max_queue: int = 128  # requests waiting for the model; past it 503 with Retry-After
    gather_ms: float = 5.0  # how long the worker waits for more requests to batch with the first
    max_batch_lines: int = 64  # lines corrected in one model call
    dictionary_path: Path = field(default_factory=default_dictionary_path)
    feedback_path: Path = field(default_factory=default_feedback_path)


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


class WordRequest(BaseModel):
    """One word for the personal dictionary."""

    word: str


class FeedbackRequest(BaseModel):
    """A person's decision on one suggestion."""

    sentence: str = Field(description="The line the suggestion was made in, as it was checked.")
    suggestion: dict = Field(description="The suggestion as /v1/correct gave it (offset in `sentence`).")
    decision: Literal["accepted", "rejected"]


class CorrectorFailed(Exception):
    """The corrector raised while correcting a batch: the request gets 500, the server goes on."""


class BodySizeLimit:
    """ASGI middleware: 413 for a request body over `limit` bytes, whether it says its length or not."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._too_large(send)
        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            body, more = b"", True
            while more:  # chunked: read it all (bounded) before the app sees it
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.limit:
                    return await self._too_large(send)
            sent = False

            async def replay():
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            return await self.app(scope, replay, send)
        return await self.app(scope, receive, send)

    async def _too_large(self, send):
        response = JSONResponse({"error": f"request body is larger than {self.limit} bytes"}, status_code=413)
        await response({"type": "http"}, None, send)


def _clean(text: str) -> str:
    """Lone surrogates (possible in JSON) become U+FFFD, one character for one, so offsets hold."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def create_app(corrector: Corrector, settings: ServeSettings | None = None) -> FastAPI:
    """The FastAPI app serving `corrector` with `settings`' limits (one batching worker per app)."""
    settings = settings or ServeSettings()
    dictionary = PersonalDictionary(settings.dictionary_path)
    feedback = FeedbackLog(settings.feedback_path)
    state: dict[str, BatchingWorker] = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        state["worker"] = BatchingWorker(corrector.correct_lines, max_queue=settings.max_queue,
                                         gather_ms=settings.gather_ms, max_batch_lines=settings.max_batch_lines)
        yield
        state["worker"].close()

    app = FastAPI(title="spelltune", version="0.1.0", lifespan=lifespan,
                  description="A private, local typo and spelling corrector: its own API, a "
                              "LanguageTool-compatible API and a web editor.")
    app.state.dictionary = dictionary
    app.state.feedback = feedback
    app.state.settings = settings
    app.add_middleware(CORSMiddleware, allow_origin_regex=EXTENSION_ORIGINS, allow_methods=["GET", "POST"],
                       allow_headers=["*"])
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_request: Request, error: RequestValidationError):
        problems = []
        for item in error.errors():
            if item.get("type") == "json_invalid":
                position = item.get("loc", (None, None))[-1]
                reason = (item.get("ctx") or {}).get("error", "JSON decode error")
                problems.append(f"the body is not valid JSON ({reason} at character {position})")
                continue
            where = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
            problems.append(f"{where}: {item.get('msg')}" if where else str(item.get("msg")))
        return JSONResponse({"error": "bad request: " + "; ".join(problems)}, status_code=400)

    @app.exception_handler(SpelltuneError)
    async def _user_error(_request: Request, error: SpelltuneError):
        return JSONResponse({"error": str(error)}, status_code=400)

    @app.exception_handler(QueueFull)
    async def _busy(_request: Request, error: QueueFull):
        retry = max(1, math.ceil(settings.gather_ms / 1000 + 1))
        return JSONResponse({"error": f"the server is busy ({error}); retry in {retry} s"}, status_code=503,
                            headers={"Retry-After": str(retry)})

    @app.exception_handler(asyncio.TimeoutError)
    async def _too_slow(_request: Request, _error):
        return JSONResponse({"error": f"checking took longer than {settings.request_timeout:g} s; send less text"},
                            status_code=504)

    @app.exception_handler(CorrectorFailed)
    async def _model_failed(_request: Request, error: CorrectorFailed):
        return JSONResponse({"error": f"internal error: the corrector failed ({error})"}, status_code=500)

    @app.exception_handler(Exception)
    async def _internal(_request: Request, error: Exception):
        return JSONResponse({"error": f"internal error: {type(error).__name__}"}, status_code=500)

    async def correct_text(text: str) -> tuple[str, list[LinePlacement]]:
        text = _clean(text)
        lines = split_lines(text)
        offsets, cursor = [], 0
        for line in lines:
            offsets.append(cursor)
            cursor += len(line.text) + len(line.ending)
        to_model = [index for index, line in enumerate(lines) if line.text.strip()]
        try:
            corrected = await state["worker"].correct([lines[index].text for index in to_model],
                                                      timeout=settings.request_timeout)
        except (QueueFull, asyncio.TimeoutError):
            raise
        except Exception as error:  # noqa: BLE001 - the model failed: a JSON answer, and the server goes on
            raise CorrectorFailed(f"{type(error).__name__}: {error}") from error
        # Whatever the corrector returns, each line keeps its text unless its answer is exactly that line
        # with its edits applied (the same check as `spelltune fix`).
        by_line: dict[int, Correction] = {index: correction for index, correction in zip(to_model, corrected)
                                          if keeps_the_line(correction, lines[index].text)}
        placed, output = [], []
        for index, line in enumerate(lines):
            correction = by_line.get(index)
            if correction is None:
                output.append(line.text + line.ending)
                continue
            correction = dictionary.filter(correction)
            placed.append(LinePlacement(offsets[index], correction))
            output.append(correction.output + line.ending)
        return "".join(output), placed

    @app.post("/v1/correct", response_model=CorrectResponse, tags=["spelltune"])
    async def correct(request: CorrectRequest) -> dict:
        """Correct the text: every suggestion with its place, kind and confidence, and the refused proposals."""
        text, placed = await correct_text(request.text)
        suggestions, refused = suggestion_dicts(placed)
        return {"text": text, "suggestions": suggestions, "refused": refused, "model": corrector.name}

    async def languagetool_check(text: Optional[str], data: Optional[str], language: Optional[str]) -> dict:
        plain, document = languagetool.plain_text_from_form(text, data)
        entry = languagetool.language_entry(language)
        if entry is None:  # not English: nothing to say, as LanguageTool with no rules for it
            return languagetool.check_response([], {"name": language or "", "code": language or ""})
        _, placed = await correct_text(plain.text)
        if _clean(plain.text) != plain.text:
            plain = languagetool.PlainText(_clean(plain.text), plain.origin, plain.document_length)
        suggestions, _ = suggestion_dicts(placed)
        matches = [match for match in (languagetool.match_for(item, plain, document) for item in suggestions)
                   if match is not None]
        return languagetool.check_response(matches, entry)

    @app.post("/v2/check", tags=["LanguageTool"])
    async def check(text: Optional[str] = Form(None), data: Optional[str] = Form(None),
                    language: Optional[str] = Form("auto")) -> dict:
        """LanguageTool's check: form fields `text` or `data` (annotated text) and `language`."""
        return await languagetool_check(text, data, language)

    @app.get("/v2/check", tags=["LanguageTool"])
    async def check_get(text: Optional[str] = None, data: Optional[str] = None, language: Optional[str] = "auto") -> dict:
        """LanguageTool's check with the same fields as query parameters (as some clients send it)."""
        return await languagetool_check(text, data, language)

    @app.get("/v2/languages", tags=["LanguageTool"])
    async def languages() -> list[dict]:
        """The languages spelltune checks, in LanguageTool's shape."""
        return languagetool.LANGUAGES

    @app.get("/healthz", tags=["server"])
    async def healthz() -> dict:
        """Liveness and load: the model, the queue and what the batching worker has done."""
        worker = state.get("worker")
        stats = worker.stats if worker else None
        return {
            "status": "ok",
            "model": corrector.name,
            "queue": {"waiting": worker.waiting if worker else 0, "max": settings.max_queue},
            "batches": {
                "model_calls": stats.model_calls if stats else 0,
                "requests": stats.requests if stats else 0,
                "lines": stats.lines if stats else 0,
                "largest_batch_requests": stats.largest_batch_requests if stats else 0,
                "errors": stats.errors if stats else 0,
            },
        }

    @app.get("/v1/models", tags=["spelltune"])
    async def models() -> dict:
        """The model this server runs (one, loaded at start)."""
        engine = getattr(corrector, "engine", None)
        return {"models": [{
            "id": settings.model,
            "name": corrector.name,
            "engine": getattr(engine, "backend", None) or "classic",
            "loaded": True,
        }]}

    @app.get("/v1/dictionary", tags=["personal dictionary"])
    async def dictionary_words() -> dict:
        """The words never flagged."""
        return {"words": dictionary.words(), "path": str(dictionary.path)}

    @app.post("/v1/dictionary", tags=["personal dictionary"])
    async def dictionary_add(request: WordRequest) -> dict:
        """Never flag this word again (here, in /v2/check and in `spelltune fix`)."""
        word = dictionary.add(request.word)
        return {"added": word, "words": dictionary.words()}

    @app.delete("/v1/dictionary/{word}", tags=["personal dictionary"])
    async def dictionary_remove(word: str) -> JSONResponse:
        """Flag this word again."""
        if not dictionary.remove(word):
            return JSONResponse({"error": f"{word!r} is not in the dictionary"}, status_code=404)
        return JSONResponse({"removed": word, "words": dictionary.words()})

    @app.post("/v1/feedback", tags=["feedback"])
    async def feedback_add(request: FeedbackRequest) -> dict:
        """Log one accept/reject decision (the data a per-person fine-tune learns from)."""
        if request.decision not in DECISIONS:
            raise InputError(f"decision must be one of {', '.join(DECISIONS)}")
        record = feedback.append(request.sentence, request.suggestion, request.decision)
        return {"logged": record}

    static_dir = Path(__file__).resolve().parent / "static"
    app.mount("/static", StaticFiles(directory=static_dir), name="static")

    @app.get("/", include_in_schema=False)
    async def editor() -> FileResponse:
        return FileResponse(static_dir / "index.html")

    return app

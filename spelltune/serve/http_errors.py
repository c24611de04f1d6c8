"""How `spelltune serve` answers a failure: one JSON object `{"error": "..."}` with the status that fits."""

from __future__ import annotations

import asyncio
import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from spelltune.errors import SpelltuneError
from spelltune.serve.auth import NotAuthenticated, RateLimited
from spelltune.serve.batcher import QueueFull
from spelltune.serve.server_state import CorrectorFailed


async def _bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
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


async def _user_error(_request: Request, error: SpelltuneError) -> JSONResponse:
    return JSONResponse({"error": str(error)}, status_code=400)


async def _busy(request: Request, error: QueueFull) -> JSONResponse:
    retry = max(1, math.ceil(request.app.state.server.settings.gather_ms / 1000 + 1))
    return JSONResponse({"error": f"the server is busy ({error}); retry in {retry} s"}, status_code=503,
                        headers={"Retry-After": str(retry)})


async def _too_slow(request: Request, _error: asyncio.TimeoutError) -> JSONResponse:
    timeout = request.app.state.server.settings.request_timeout
    return JSONResponse({"error": f"checking took longer than {timeout:g} s; send less text"}, status_code=504)


async def _model_failed(_request: Request, error: CorrectorFailed) -> JSONResponse:
    return JSONResponse({"error": f"internal error: the corrector failed ({error})"}, status_code=500)


async def _not_signed_in(_request: Request, error: NotAuthenticated) -> JSONResponse:
    return JSONResponse({"error": str(error)}, status_code=401, headers={"WWW-Authenticate": 'Bearer realm="spelltune"'})


async def _rate_limited(_request: Request, error: RateLimited) -> JSONResponse:
    retry = max(1, math.ceil(error.retry_after))
    return JSONResponse({"error": f"too many requests from this writer; retry in {retry} s"}, status_code=429,
                        headers={"Retry-After": str(retry)})


async def _database_down(_request: Request, _error: OperationalError) -> JSONResponse:
    return JSONResponse({"error": "the database is unavailable; retry shortly"}, status_code=503,
                        headers={"Retry-After": "5"})


async def _internal(_request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"error": f"internal error: {type(error).__name__}"}, status_code=500)


def add_error_handlers(app: FastAPI) -> None:
    """400 for a bad request or a user error, 401 without valid credentials, 429 past a writer's request limit,
    503 when the queue is full or the database down, 504 past the time limit, 500 else."""
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(SpelltuneError, _user_error)
    app.add_exception_handler(QueueFull, _busy)
    app.add_exception_handler(asyncio.TimeoutError, _too_slow)
    app.add_exception_handler(CorrectorFailed, _model_failed)
    app.add_exception_handler(NotAuthenticated, _not_signed_in)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(Exception, _internal)

"""The HTTP API and web editor of `spelltune serve`: one corrector, loaded once, behind a batching queue.

`create_app(corrector, settings)` builds the FastAPI app from its routers; `spelltune serve` runs it with
uvicorn. Endpoints: `POST /v1/correct` (routes_correct.py), LanguageTool-compatible `POST /v2/check` and
`GET /v2/languages` (routes_languagetool.py), `GET /healthz` and `GET /v1/models` (routes_status.py), the
personal dictionary (`/v1/dictionary`) and `POST /v1/feedback` (routes_personal.py), the editor at `/`
(routes_editor.py) and the OpenAPI docs at `/docs`. What the routes share is in server_state.py.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from spelltune.correct.corrector import Corrector
from spelltune.serve import routes_correct, routes_languagetool, routes_personal, routes_status
from spelltune.serve.body_limit import BodySizeLimit
from spelltune.serve.http_errors import add_error_handlers
from spelltune.serve.personal import FeedbackLog, PersonalDictionary
from spelltune.serve.routes_editor import add_editor
from spelltune.serve.server_state import ServerState, ServeSettings

__all__ = ["EXTENSION_ORIGINS", "ServeSettings", "create_app"]

# Browser extensions (LanguageTool's among them) call from their own origin; web pages other than
# the editor itself may not read a person's text or dictionary.
EXTENSION_ORIGINS = r"^((chrome|moz|safari-web)-extension://.*|https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)$"


@asynccontextmanager
async def _batching_worker(app: FastAPI):
    """The app's lifespan: its batching worker runs from start-up to shutdown."""
    server: ServerState = app.state.server
    server.start_worker()
    yield
    server.worker.close()


def create_app(corrector: Corrector, settings: ServeSettings | None = None) -> FastAPI:
    """The FastAPI app serving `corrector` with `settings`' limits (one batching worker per app)."""
    settings = settings or ServeSettings()
    app = FastAPI(title="spelltune", version="0.1.0", lifespan=_batching_worker,
                  description="A private, local typo and spelling corrector: its own API, a "
                              "LanguageTool-compatible API and a web editor.")
    app.state.server = ServerState(corrector, settings, PersonalDictionary(settings.dictionary_path),
                                   FeedbackLog(settings.feedback_path))
    app.add_middleware(CORSMiddleware, allow_origin_regex=EXTENSION_ORIGINS, allow_methods=["GET", "POST"],
                       allow_headers=["*"])
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    add_error_handlers(app)
    for routes in (routes_correct, routes_languagetool, routes_status, routes_personal):
        app.include_router(routes.router)
    add_editor(app)
    return app

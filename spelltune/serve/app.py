"""The HTTP API and web editor of `spelltune serve`: one corrector, loaded once, behind a batching queue (and
writers' own models, loaded when first used: writer_models.py).

`create_app(corrector, settings, store)` builds the FastAPI app from its routers; `spelltune serve` runs it
with uvicorn. Endpoints: `POST /v1/correct` (routes_correct.py), LanguageTool-compatible `POST /v2/check` and
`GET /v2/languages` (routes_languagetool.py), `GET /healthz` and `GET /v1/models` (routes_status.py), the
personal dictionary (`/v1/dictionary`) and feedback (`/v1/feedback`) (routes_personal.py), what was learned
from that feedback (`/v1/learned`: routes_learned.py), the account
(`/v1/session`, `/v1/export`, `/v1/data`: routes_account.py), the editor at `/` (routes_editor.py) and the
OpenAPI docs at `/docs`. Who may call what is in auth.py; what the routes share is in server_state.py.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from spelltune.correct.corrector import Corrector
from spelltune.serve import (routes_account, routes_correct, routes_languagetool, routes_learned, routes_personal,
                             routes_status)
from spelltune.serve.body_limit import BodySizeLimit
from spelltune.serve.http_errors import add_error_handlers
from spelltune.serve.local_files import LocalFiles
from spelltune.serve.rate_limit import RateLimiter
from spelltune.serve.routes_editor import add_editor
from spelltune.serve.server_state import ServerState, ServeSettings
from spelltune.serve.store import Store, open_store
from spelltune.serve.store.legacy_import import ImportReport, import_local_files

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
    server.stop_workers()
    if app.state.owns_store:
        server.store.close()


def prepare_store(settings: ServeSettings) -> tuple[Store, ImportReport]:
    """The server's database, up to date, with the single-user files imported into the local writer."""
    store = open_store(settings.database_url)
    return store, import_local_files(store, settings.dictionary_path, settings.feedback_path)


def create_app(corrector: Corrector, settings: ServeSettings | None = None, store: Store | None = None, *,
               load_model: Callable[[str], Corrector] | None = None,
               release_model: Callable[[str], None] | None = None) -> FastAPI:
    """The FastAPI app serving `corrector` with `settings`' limits (one batching worker per app) and `store`'s
    writers (by default the store `prepare_store(settings)` opens, closed with the app). With `load_model(spec)`,
    a writer with a model of their own is corrected by it (up to `settings.max_writer_models` loaded at once,
    `release_model(spec)` called on eviction); without it, every writer by `corrector`."""
    settings = settings or ServeSettings()
    app = FastAPI(title="spelltune", version="0.1.0", lifespan=_batching_worker,
                  description="A private, local typo and spelling corrector: its own API, a "
                              "LanguageTool-compatible API and a web editor.")
    app.state.owns_store = store is None
    if store is None:
        store, _ = prepare_store(settings)
    app.state.server = ServerState(corrector, settings, store, RateLimiter(settings.rate_limit, settings.rate_burst),
                                   LocalFiles(settings.dictionary_path, settings.feedback_path),
                                   load_model=load_model, release_model=release_model)
    app.add_middleware(CORSMiddleware, allow_origin_regex=EXTENSION_ORIGINS, allow_methods=["GET", "POST"],
                       allow_headers=["*"])
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    add_error_handlers(app)
    for routes in (routes_correct, routes_languagetool, routes_status, routes_personal, routes_learned,
                   routes_account):
        app.include_router(routes.router)
    add_editor(app)
    return app

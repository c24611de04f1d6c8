"""`GET /healthz` (open: load balancers probe it) and `GET /v1/models` (a writer's): what a server runs and how
loaded it is."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from spelltune.serve.auth import CurrentWriter
from spelltune.serve.server_state import CurrentServer
from spelltune.serve.store.writer_model import writer_model_spec

router = APIRouter()


@router.get("/healthz", tags=["server"])
async def healthz(server: CurrentServer) -> dict:
    """Liveness and load: the model, the queue, what the batching worker has done, writers' models loaded."""
    worker = server.worker
    stats = worker.stats if worker else None
    writer_models = server.writer_models
    return {
        "status": "ok",
        "model": server.corrector.name,
        "queue": {"waiting": worker.waiting if worker else 0, "max": server.settings.max_queue},
        "batches": {
            "model_calls": stats.model_calls if stats else 0,
            "requests": stats.requests if stats else 0,
            "lines": stats.lines if stats else 0,
            "largest_batch_requests": stats.largest_batch_requests if stats else 0,
            "errors": stats.errors if stats else 0,
        },
        # How many writers' own models are loaded (never their paths: this route is open).
        "writer_models": {"loaded": len(writer_models.loaded) if writer_models else 0,
                          "max": writer_models.max_models if writer_models else 0},
    }


@router.get("/v1/models", tags=["spelltune"])
async def models(server: CurrentServer, writer: CurrentWriter) -> dict:
    """The model this server runs and, when `spelltune adapt` kept one for the calling writer, their own model
    (never its path); `corrects_your_text` says which one checks their text."""
    engine = getattr(server.corrector, "engine", None)
    spec = await run_in_threadpool(writer_model_spec, server.store, writer.writer_id)
    own = spec is not None and spec != server.settings.model and server.writer_models is not None
    found = [{
        "id": server.settings.model,
        "name": server.corrector.name,
        "engine": getattr(engine, "backend", None) or "classic",
        "loaded": True,
        "corrects_your_text": not own,
    }]
    if own:
        # Loaded on the writer's first request; one that cannot load leaves the server's model correcting them.
        found.append({"id": "own", "name": "your own model (spelltune adapt)", "engine": found[0]["engine"],
                      "loaded": spec in server.writer_models.loaded, "corrects_your_text": True})
    return {"models": found}

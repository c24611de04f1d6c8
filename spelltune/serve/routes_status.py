"""`GET /healthz` (open: load balancers probe it) and `GET /v1/models` (a writer's): what a server runs and how
loaded it is."""

from __future__ import annotations

from fastapi import APIRouter

from spelltune.serve.auth import CurrentWriter
from spelltune.serve.server_state import CurrentServer

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
async def models(server: CurrentServer, _writer: CurrentWriter) -> dict:
    """The model this server runs (one, loaded at start)."""
    engine = getattr(server.corrector, "engine", None)
    return {"models": [{
        "id": server.settings.model,
        "name": server.corrector.name,
        "engine": getattr(engine, "backend", None) or "classic",
        "loaded": True,
    }]}

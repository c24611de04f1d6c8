"""What spelltune learned about the calling writer from their accepts and rejects: `GET /v1/learned` lists it,
`DELETE /v1/learned/{id}` undoes one item (for good: the decisions that taught it are deleted).

Plain functions: FastAPI runs them in its thread pool, as the store is synchronous.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from spelltune.serve.auth import CurrentWriter
from spelltune.serve.server_state import CurrentServer
from spelltune.serve.writer_learning import forget_learned

router = APIRouter()


@router.get("/v1/learned", tags=["learning"])
def learned_list(server: CurrentServer, writer: CurrentWriter) -> dict:
    """Everything learned about this writer: each item's `id`, `kind` (rejected: not offered again there;
    preferred: favoured for that misspelling), the change, `contexts` and how many `times` it was decided."""
    return server.learning.for_writer(server.store, writer.writer_id).learned.to_json_dict()


@router.delete("/v1/learned/{item_id:path}", tags=["learning"])
def learned_forget(item_id: str, server: CurrentServer, writer: CurrentWriter) -> JSONResponse:
    """Undo one learned item: the decisions that taught it are deleted, so it stays undone."""
    deleted = forget_learned(server.store, writer.writer_id, item_id, server.learning.rules)
    if deleted is None:
        return JSONResponse({"error": f"nothing learned with the id {item_id!r}"}, status_code=404)
    return JSONResponse({"forgotten": item_id, "decisions_deleted": deleted})

"""The calling writer's account: `GET /v1/session` (open: are accounts on, who am I), and all their data at
once: `GET /v1/export` (as JSON) and `DELETE /v1/data` (erase it; the account stays)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from spelltune.serve.auth import CurrentWriter, accounts_required, bearer_token, identify
from spelltune.serve.server_state import CurrentServer
from spelltune.serve.store.accounts import find_writer
from spelltune.serve.store.writer_data import erase_writer_data, export_writer_data

router = APIRouter()


@router.get("/v1/session", tags=["account"])
def session(request: Request, server: CurrentServer) -> dict:
    """Whether calls need a token here, and the writer the given token (if any) signs in as; 401 for a bad one."""
    caller = identify(server, bearer_token(request))
    return {"accounts": accounts_required(server), "writer": caller.name if caller else None}


@router.get("/v1/export", tags=["account"])
def export(server: CurrentServer, writer: CurrentWriter) -> dict:
    """Everything this server keeps about the calling writer: dictionary, feedback, what it learned from that
    feedback (`learned`, as GET /v1/learned lists it)."""
    return export_writer_data(server.store, find_writer(server.store, writer.name))


@router.delete("/v1/data", tags=["account"])
def erase(server: CurrentServer, writer: CurrentWriter) -> dict:
    """Erase the calling writer's dictionary, and feedback (and so all that was learned from
    it); their token keeps working."""
    erased = erase_writer_data(server.store, writer.writer_id)
    if writer.local:
        server.local_files.write_dictionary(lambda: [])
    return {"erased": erased}

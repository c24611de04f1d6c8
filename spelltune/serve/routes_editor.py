"""The web editor: its page at `/` and its files under `/static`."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"

router = APIRouter()


@router.get("/", include_in_schema=False)
async def editor() -> FileResponse:
    """The editor's page."""
    return FileResponse(STATIC_DIR / "index.html")


def add_editor(app: FastAPI) -> None:
    """Serve the editor's files under `/static` and its page at `/`."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)

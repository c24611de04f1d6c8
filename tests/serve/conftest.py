"""Serving fixtures: a real uvicorn on a free loopback port, in this process, around any corrector."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.serve.databases import PostgresServer, start_postgres


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path, monkeypatch):
    """The personal dictionary and feedback log of every test live in its own folder, never the user's."""
    monkeypatch.setenv("SPELLTUNE_DATA_DIR", str(tmp_path / "user-data"))


def free_port() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningServer:
    """A uvicorn server on a thread; `url` is its base address."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def serve(tmp_path) -> Iterator[Callable[..., RunningServer]]:
    """Start `create_app(corrector, ServeSettings(**settings))` on a real uvicorn; stopped after the test."""
    from spelltune.serve.app import ServeSettings, create_app

    started: list[RunningServer] = []

    def start(corrector, **settings) -> RunningServer:
        settings.setdefault("dictionary_path", tmp_path / "dictionary.txt")
        settings.setdefault("feedback_path", tmp_path / "feedback.jsonl")
        server = RunningServer(create_app(corrector, ServeSettings(**settings))).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


class ScriptedCorrector:
    """A corrector that replaces words from a table, can be held mid-batch, and records its calls."""

    name = "scripted"

    def __init__(self, table: dict[str, str] | None = None):
        self.table = table or {"teh": "the", "beleive": "believe", "dont": "don't", "alot": "a lot", "Monday": "monday"}
        self.calls: list[list[str]] = []
        self.release = threading.Event()
        self.release.set()
        self.entered = threading.Event()

    def correct_lines(self, lines: list[str]):
        from spelltune.correct.corrector import Correction, Edit

        self.calls.append(list(lines))
        self.entered.set()
        self.release.wait(timeout=30)
        corrections = []
        for line in lines:
            edits, cursor, pieces = [], 0, []
            position = 0
            for word in line.split(" "):
                if word in self.table:
                    edits.append(Edit(position, position + len(word), word, self.table[word], confidence=0.9))
                position += len(word) + 1
            for edit in edits:
                pieces.append(line[cursor:edit.start])
                pieces.append(edit.replacement)
                cursor = edit.end
            pieces.append(line[cursor:])
            corrections.append(Correction(input=line, output="".join(pieces), edits=edits))
        return corrections


@pytest.fixture
def scripted() -> ScriptedCorrector:
    """A fresh ScriptedCorrector."""
    return ScriptedCorrector()


@pytest.fixture
def http():
    """An httpx client with a generous timeout."""
    import httpx

    with httpx.Client(timeout=60) as client:
        yield client


def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "user-data"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for this test worker (skipped, with the reason, where none can run)."""
    server = start_postgres()
    if isinstance(server, str):
        pytest.skip(f"PostgreSQL: {server}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh database on this worker's PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'spelltune.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def store(database_url):
    """The store on `database_url`, at the newest schema."""
    pytest.importorskip("sqlalchemy")
    from spelltune.serve.store import open_store

    opened = open_store(database_url)
    yield opened
    opened.close()

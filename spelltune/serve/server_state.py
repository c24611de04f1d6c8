"""What every route of one `spelltune serve` app shares: its settings, the corrector behind the batching
worker, the store (writers and their data), what was learned from each writer's feedback and the request
limiter. A route gets it with a `CurrentServer` parameter. Nothing here holds a writer's data that the
database does not decide: the learned preferences are a cache checked against it on every request
(writer_learning.py), so replicas sharing one database agree on all of it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from spelltune.correct.corrector import Corrector
from spelltune.serve.batcher import BatchingWorker, QueueFull
from spelltune.serve.fix import corrections_from_answers, lines_for_the_corrector, split_lines
from spelltune.serve.local_files import LocalFiles
from spelltune.serve.personal import default_dictionary_path, default_feedback_path, without_dictionary_words
from spelltune.serve.rate_limit import RateLimiter
from spelltune.serve.store import Store
from spelltune.serve.store.dictionary import dictionary_words
from spelltune.serve.suggestions import LinePlacement
from spelltune.serve.writer_learning import LearningCache, WriterLearning


@dataclass
class ServeSettings:
    """Limits, database and files of one server."""

    model: str = "default"  # the spec it was loaded from, shown by /v1/models
    max_body_bytes: int = 64 * 1024  # larger request bodies get 413
    request_timeout: float = 120.0  # seconds one request may wait and run; then 504
    max_queue: int = 128  # requests waiting for the model; past it 503 with Retry-After
    gather_ms: float = 5.0  # how long the worker waits for more requests to batch with the first
    max_batch_lines: int = 64  # lines corrected in one model call
    database_url: str | None = None  # None: SQLite in the user data dir (store.default_database_url)
    loopback: bool = True  # listening on loopback only: with no writers, calls need no token (single-user mode)
    rate_limit: float = 600.0  # requests per minute per writer (0: no limit); past it 429 with Retry-After
    rate_burst: int = 120  # requests a writer may make at once before the per-minute rate applies
    # The single-user files: imported into the local writer, then kept as a copy of its data.
    dictionary_path: Path = field(default_factory=default_dictionary_path)
    feedback_path: Path = field(default_factory=default_feedback_path)


class CorrectorFailed(Exception):
    """The corrector raised while correcting a batch: the request gets 500, the server goes on."""


def replace_lone_surrogates(text: str) -> str:
    """Lone surrogates (possible in JSON) become U+FFFD, one character for one, so offsets hold."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


@dataclass
class ServerState:
    """One server's corrector, settings, store, limiter and local files; `worker` runs while the app does."""

    corrector: Corrector
    settings: ServeSettings
    store: Store
    limiter: RateLimiter
    local_files: LocalFiles
    learning: LearningCache = field(default_factory=LearningCache)
    worker: BatchingWorker | None = None

    def start_worker(self) -> None:
        """Start the batching worker that runs the corrector for every request."""
        self.worker = BatchingWorker(self.corrector.correct_lines, max_queue=self.settings.max_queue,
                                     gather_ms=self.settings.gather_ms, max_batch_lines=self.settings.max_batch_lines,
                                     takes_preferences=bool(getattr(self.corrector, "takes_preferences", False)))

    def _writer_view(self, writer_id: int) -> tuple[frozenset[str], WriterLearning]:
        words = frozenset(word.casefold() for word in dictionary_words(self.store, writer_id))
        return words, self.learning.for_writer(self.store, writer_id)

    async def correct_text(self, text: str, writer_id: int) -> tuple[str, list[LinePlacement]]:
        """`text` corrected line by line as `spelltune fix` corrects it (the same lines asked, each answer kept
        only when it keeps its line) with the writer's preferred fixes, less their dictionary words and the
        changes they rejected there (learning.py); each line's correction placed."""
        words, learning = await run_in_threadpool(self._writer_view, writer_id)
        lines = split_lines(replace_lone_surrogates(text))
        asked = lines_for_the_corrector(lines)
        try:
            answers = await self.worker.correct([lines[index].text for index in asked],
                                                timeout=self.settings.request_timeout, preferences=learning.spelling)
        except (QueueFull, asyncio.TimeoutError):
            raise
        except Exception as error:  # noqa: BLE001 - the model failed: a JSON answer, and the server goes on
            raise CorrectorFailed(f"{type(error).__name__}: {error}") from error
        placed, output, offset = [], [], 0
        for line, correction in zip(lines, corrections_from_answers(lines, asked, answers)):
            correction = learning.learned.filter(without_dictionary_words(correction, words))
            placed.append(LinePlacement(offset, correction))
            output.append(correction.output + line.ending)
            offset += len(line.text) + len(line.ending)
        return "".join(output), placed


def current_server(request: Request) -> ServerState:
    """The FastAPI dependency: the state of the server that received `request`."""
    return request.app.state.server


# A route parameter of this type is the state of the server that received the request.
CurrentServer = Annotated[ServerState, Depends(current_server)]

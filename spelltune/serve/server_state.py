"""What every route of one `spelltune serve` app shares: its settings, the corrector behind the batching
worker, the writers' own models (writer_models.py), the store (writers and their data), what was learned from
each writer's feedback and the request limiter. A route gets it with a `CurrentServer` parameter. Nothing here
holds a writer's data that the database does not decide: which model corrects a writer is read from it on every
request, and the learned preferences are a cache checked against it (writer_learning.py), so replicas sharing
one database agree on all of it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from spelltune.correct.corrector import Corrector
from spelltune.serve.batcher import BatchingWorker, QueueFull, WorkerStopped
from spelltune.serve.fix import corrections_from_answers, lines_for_the_corrector, split_lines
from spelltune.serve.local_files import LocalFiles
from spelltune.serve.personal import default_dictionary_path, default_feedback_path, without_dictionary_words
from spelltune.serve.rate_limit import RateLimiter
from spelltune.serve.store import Store
from spelltune.serve.store.dictionary import dictionary_words
from spelltune.serve.suggestions import LinePlacement
from spelltune.serve.store.writer_model import writer_model_spec
from spelltune.serve.writer_learning import LearningCache, WriterLearning
from spelltune.serve.writer_models import WriterModels


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
    max_writer_models: int = 2  # writers' own models kept loaded at once, each another copy of the weights (0: none)
    # The single-user files: imported into the local writer, then kept as a copy of its data.
    dictionary_path: Path = field(default_factory=default_dictionary_path)
    feedback_path: Path = field(default_factory=default_feedback_path)


@dataclass
class CheckedText:
    """A writer's text as the server corrected it: the output, each line's placed correction, and whether the
    writer's own model (`spelltune adapt`) did it rather than the server's."""

    text: str
    placements: list[LinePlacement]
    own_model: bool = False


class CorrectorFailed(Exception):
    """The corrector raised while correcting a batch: the request gets 500, the server goes on."""


def replace_lone_surrogates(text: str) -> str:
    """Lone surrogates (possible in JSON) become U+FFFD, one character for one, so offsets hold."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


@dataclass(frozen=True)
class WriterView:
    """What one request reads about its writer: dictionary words, what their feedback taught, their model spec."""

    words: frozenset[str]
    learning: WriterLearning
    model_spec: str | None


@dataclass
class ServerState:
    """One server's corrector, settings, store, limiter and local files; `worker` (the server's own corrector)
    and `writer_models` (writers' own, loaded by `load_model(spec)`; none without it) run while the app does."""

    corrector: Corrector
    settings: ServeSettings
    store: Store
    limiter: RateLimiter
    local_files: LocalFiles
    learning: LearningCache = field(default_factory=LearningCache)
    load_model: Callable[[str], Corrector] | None = None
    release_model: Callable[[str], None] | None = None
    worker: BatchingWorker | None = None
    writer_models: WriterModels | None = None

    def new_worker(self, corrector: Corrector) -> BatchingWorker:
        """A batching worker running `corrector` with this server's limits."""
        return BatchingWorker(corrector.correct_lines, max_queue=self.settings.max_queue,
                              gather_ms=self.settings.gather_ms, max_batch_lines=self.settings.max_batch_lines,
                              takes_preferences=bool(getattr(corrector, "takes_preferences", False)))

    def start_worker(self) -> None:
        """Start the batching worker of the server's corrector, and the (empty) LRU of writers' models."""
        self.worker = self.new_worker(self.corrector)
        if self.load_model is not None:
            self.writer_models = WriterModels(self.load_model, self.new_worker,
                                              max_models=self.settings.max_writer_models, release=self.release_model)

    def stop_workers(self) -> None:
        """Stop every batching worker, the writers' models' included."""
        if self.writer_models is not None:
            self.writer_models.close()
        if self.worker is not None:
            self.worker.close()

    def _writer_view(self, writer_id: int) -> WriterView:
        words = frozenset(word.casefold() for word in dictionary_words(self.store, writer_id))
        return WriterView(words, self.learning.for_writer(self.store, writer_id),
                          writer_model_spec(self.store, writer_id))

    async def _worker_for(self, spec: str | None) -> BatchingWorker:
        """The worker of the writer's own model, else (none, the server's spec, or one that cannot load) the
        server's."""
        if spec is None or spec == self.settings.model or self.writer_models is None:
            return self.worker
        return await self.writer_models.worker_for(spec, timeout=self.settings.request_timeout) or self.worker

    async def correct_text(self, text: str, writer_id: int) -> CheckedText:
        """`text` corrected line by line as `spelltune fix` corrects it (the same lines asked, each answer kept
        only when it keeps its line) by the writer's own model if they have one (else the server's), with their
        preferred fixes, less their dictionary words and the changes they rejected there (learning.py); each
        line's correction placed."""
        view = await run_in_threadpool(self._writer_view, writer_id)
        words, learning = view.words, view.learning
        lines = split_lines(replace_lone_surrogates(text))
        asked = lines_for_the_corrector(lines)
        asked_lines = [lines[index].text for index in asked]
        try:
            worker = await self._worker_for(view.model_spec)
            try:
                answers = await worker.correct(asked_lines, timeout=self.settings.request_timeout,
                                               preferences=learning.spelling)
            except WorkerStopped:  # its model was evicted just now: load it again (or fall back) and ask once more
                worker = await self._worker_for(view.model_spec)
                answers = await worker.correct(asked_lines, timeout=self.settings.request_timeout,
                                               preferences=learning.spelling)
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
        return CheckedText("".join(output), placed, own_model=worker is not self.worker)


def current_server(request: Request) -> ServerState:
    """The FastAPI dependency: the state of the server that received `request`."""
    return request.app.state.server


# A route parameter of this type is the state of the server that received the request.
CurrentServer = Annotated[ServerState, Depends(current_server)]

"""One model, many requests: a worker thread that gathers the lines of waiting requests into one call.

Requests wait in a bounded queue (`QueueFull` past it, which the API turns into 503). The worker takes
the first waiting request, waits `gather_ms` for others, and corrects up to `max_batch_lines` lines
from them with one `correct_lines` call, sharing the batch fairly: a long request is corrected over
several calls, and shorter ones that arrive meanwhile join those calls instead of waiting for it to
finish. Each request gets back exactly its own lines' corrections, in order. A request whose caller
gave up (its time limit passed) is dropped before its next lines reach the model. A closed worker corrects
the lines already queued, then stops; it refuses new ones (`WorkerStopped`).

A request may carry its writer's spelling preferences: with a corrector that takes them
(`takes_preferences`), each line goes to `correct_lines(lines, preferences=[...])` with its own writer's,
so lines of different writers still share one call. Other correctors get the lines alone, as before.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from spelltune.correct.corrector import Correction
from spelltune.correct.preferences import SpellingPreferences


class QueueFull(Exception):
    """The queue in front of the model is full; the caller should retry later."""


class WorkerStopped(Exception):
    """The worker was closed (its model evicted or the server stopping): ask another one."""


@dataclass
class _Job:
    lines: list[str]
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop
    preferences: SpellingPreferences | None = None  # the writer's, for every line of this request
    results: list = field(default_factory=list)
    taken: int = 0  # lines handed to the model so far
    done: int = 0  # lines corrected so far
    abandoned: bool = False

    def __post_init__(self) -> None:
        self.results = [None] * len(self.lines)


@dataclass
class BatchStats:
    """What the worker has done, for /healthz."""

    model_calls: int = 0
    lines: int = 0
    requests: int = 0
    largest_batch_requests: int = 0
    busy: bool = False
    errors: int = 0
    last_error: str | None = None
    started: float = field(default_factory=time.time)


class BatchingWorker:
    """Runs `correct_lines` on one thread for requests from any number of async handlers; with
    `takes_preferences` it is called as `correct_lines(lines, preferences=[one per line])`."""

    def __init__(self, correct_lines: Callable[..., list[Correction]], *, max_queue: int = 128,
                 gather_ms: float = 5.0, max_batch_lines: int = 64, takes_preferences: bool = False):
        self._correct_lines = correct_lines
        self.takes_preferences = takes_preferences
        self.max_queue = max_queue
        self.gather_seconds = gather_ms / 1000.0
        self.max_batch_lines = max(1, max_batch_lines)
        self.stats = BatchStats()
        self._jobs: deque[_Job] = deque()  # jobs with lines not yet handed to the model
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="spelltune-model", daemon=True)
        self._thread.start()

    @property
    def waiting(self) -> int:
        """Requests queued with lines not yet handed to the model."""
        with self._condition:
            return len(self._jobs)

    async def correct(self, lines: list[str], timeout: float | None = None,
                      preferences: SpellingPreferences | None = None) -> list[Correction]:
        """The corrections of `lines`, written by a writer with these spelling `preferences` (used only when the
        corrector takes them); QueueFull when the queue is full, TimeoutError past `timeout` s, WorkerStopped
        once the worker is closed."""
        if not lines:
            return []
        loop = asyncio.get_running_loop()
        job = _Job(list(lines), loop.create_future(), loop, preferences or None)
        with self._condition:
            if self._stopping:
                raise WorkerStopped("this worker was closed")
            if len(self._jobs) >= self.max_queue:
                raise QueueFull(f"{len(self._jobs)} requests are waiting for the model")
            self._jobs.append(job)
            self._condition.notify()
        try:
            return await asyncio.wait_for(asyncio.shield(job.future), timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            job.abandoned = True
            raise

    @property
    def stopped(self) -> bool:
        """Whether the worker was closed (it may still be correcting lines queued before)."""
        return self._stopping

    def close(self, wait: bool = True) -> None:
        """Refuse new requests, correct the lines already queued, then stop; with `wait`, wait (5 s at most)."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if wait and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _take_batch(self) -> list[tuple[_Job, int, int]]:
        """(job, start, end) slices of waiting jobs' lines: a fair share each, then the rest in order."""
        with self._condition:
            while not self._jobs and not self._stopping:
                self._condition.wait()
            if not self._jobs:  # stopping, with nothing left to correct
                return []
            deadline = time.monotonic() + self.gather_seconds
            while not self._stopping:
                pending = sum(len(job.lines) - job.taken for job in self._jobs)
                remaining = deadline - time.monotonic()
                if pending >= self.max_batch_lines or remaining <= 0:
                    break
                self._condition.wait(remaining)
            for job in [job for job in self._jobs if job.abandoned]:
                self._jobs.remove(job)
            if not self._jobs:
                return []
            capacity = self.max_batch_lines
            share = max(1, capacity // len(self._jobs))
            grants: dict[int, int] = {}
            for number, job in enumerate(self._jobs):  # a fair share each ...
                grants[number] = min(share, len(job.lines) - job.taken, capacity)
                capacity -= grants[number]
            for number, job in enumerate(self._jobs):  # ... then what is left, first come first served
                extra = min(capacity, len(job.lines) - job.taken - grants[number])
                grants[number] += extra
                capacity -= extra
            slices = []
            for number, job in enumerate(list(self._jobs)):
                if grants[number] <= 0:
                    continue
                slices.append((job, job.taken, job.taken + grants[number]))
                job.taken += grants[number]
                if job.taken == len(job.lines):
                    self._jobs.remove(job)
            return slices

    def _run(self) -> None:
        while True:
            slices = self._take_batch()
            if not slices:
                with self._condition:
                    if self._stopping and not self._jobs:
                        return
                continue
            all_lines = [line for job, start, end in slices for line in job.lines[start:end]]
            self.stats.busy = True
            try:
                # A corrector that answers for fewer lines leaves the rest unanswered (None): the handler
                # passes those lines through unchanged, as it does answers that are not for their line.
                corrections = list(self._call(slices, all_lines))[: len(all_lines)]
                corrections += [None] * (len(all_lines) - len(corrections))
            except Exception as error:  # noqa: BLE001 - reported to each waiting request, never kills the worker
                self.stats.errors += 1
                self.stats.last_error = f"{type(error).__name__}: {error}"
                for job, _, _ in slices:
                    job.abandoned = True
                    _deliver(job, None, error)
                continue
            finally:
                self.stats.busy = False
            self.stats.model_calls += 1
            self.stats.lines += len(all_lines)
            self.stats.largest_batch_requests = max(self.stats.largest_batch_requests, len(slices))
            cursor = 0
            for job, start, end in slices:
                job.results[start:end] = corrections[cursor:cursor + end - start]
                cursor += end - start
                job.done += end - start
                if job.done == len(job.lines):
                    self.stats.requests += 1
                    _deliver(job, job.results, None)


    def _call(self, slices: list[tuple[_Job, int, int]], lines: list[str]) -> list[Correction]:
        if not self.takes_preferences:
            return self._correct_lines(lines)
        preferences = [job.preferences for job, start, end in slices for _ in range(end - start)]
        return self._correct_lines(lines, preferences=preferences)


def _deliver(job: _Job, result, error) -> None:
    try:
        job.loop.call_soon_threadsafe(_settle, job.future, result, error)
    except RuntimeError:  # the server's event loop has closed: nobody is waiting any more
        pass


def _settle(future: asyncio.Future, result, error) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)

"""The models of writers who have one of their own (`writers.model_spec`, set when `spelltune adapt --writer`
keeps an adapter): a per-process LRU of loaded correctors, keyed by spec, each behind its own BatchingWorker,
so the lines of writers on the same model still share model calls.

This caches models, not writers: which model serves a writer is read from the database on every request
(server_state.py), so replicas agree. A model is loaded on first use, one load at a time, and requests for it
wait without holding a thread. A spec that cannot be loaded (its folder deleted) gets one warning in the log
and `None`, so the caller uses the server's own corrector; it is tried again after `retry_seconds`. Past
`max_models`, the model used least recently is evicted: its worker corrects the lines already queued and
stops, and `release(spec)` lets the process caches go of it, so its weights are freed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from spelltune.correct.corrector import Corrector
from spelltune.serve.batcher import BatchingWorker

log = logging.getLogger("spelltune.serve")


class WriterModels:
    """Up to `max_models` writer models, loaded by `load(spec)`, each run by `start_worker(corrector)`."""

    def __init__(self, load: Callable[[str], Corrector], start_worker: Callable[[Corrector], BatchingWorker], *,
                 max_models: int = 2, release: Callable[[str], None] | None = None, retry_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self._load = load
        self._start_worker = start_worker
        self.max_models = max(0, max_models)
        self._release = release or (lambda spec: None)
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._workers: OrderedDict[str, BatchingWorker] = OrderedDict()
        self._lock = threading.Lock()  # guards _workers (read on the event loop, changed by loading threads)
        self._load_lock = threading.Lock()  # one load at a time: two at once are no faster and need both in memory
        self._loading: dict[str, asyncio.Future] = {}  # on the event loop only
        self._failed: dict[str, float] = {}  # spec -> when it last failed to load
        self._warned: set[str] = set()
        self.loads = 0  # models loaded so far (evicted ones included)

    @property
    def loaded(self) -> list[str]:
        """The specs loaded now, used least recently first."""
        with self._lock:
            return list(self._workers)

    async def worker_for(self, spec: str, timeout: float | None = None) -> BatchingWorker | None:
        """The worker running `spec`'s model, loaded now if need be (TimeoutError past `timeout` s); None when
        writer models are off (`max_models` 0) or the spec cannot be loaded: use the server's own corrector."""
        if self.max_models == 0:
            return None
        with self._lock:
            worker = self._workers.get(spec)
            if worker is not None and not worker.stopped:
                self._workers.move_to_end(spec)
                return worker
        failed = self._failed.get(spec)
        if failed is not None and self._clock() - failed < self.retry_seconds:
            return None
        loading = self._loading.get(spec)
        if loading is None:
            loading = asyncio.ensure_future(run_in_threadpool(self._load_worker, spec))
            self._loading[spec] = loading
            loading.add_done_callback(lambda _: self._loading.pop(spec, None))
        return await asyncio.wait_for(asyncio.shield(loading), timeout)

    def _load_worker(self, spec: str) -> BatchingWorker | None:
        with self._load_lock:
            with self._lock:
                worker = self._workers.get(spec)
                if worker is not None and not worker.stopped:
                    return worker
            try:
                corrector = self._load(spec)
            except Exception as error:  # noqa: BLE001 - any failure to load: the writer gets the server's model
                self._failed[spec] = self._clock()
                if spec not in self._warned:
                    self._warned.add(spec)
                    log.warning("cannot load the writer model %s (%s: %s); its writers get the server's model",
                                spec, type(error).__name__, str(error).splitlines()[0] if str(error) else "")
                return None
            self._failed.pop(spec, None)
            self.loads += 1
            worker = self._start_worker(corrector)
            with self._lock:
                self._workers[spec] = worker
                evicted = []
                while len(self._workers) > self.max_models:
                    evicted.append(self._workers.popitem(last=False))
        for old_spec, old_worker in evicted:
            old_worker.close(wait=False)  # it finishes the lines already queued on its own thread
            self._release(old_spec)
        return worker

    def close(self) -> None:
        """Stop every worker (after the lines already queued)."""
        with self._lock:
            workers, self._workers = list(self._workers.values()), OrderedDict()
        for worker in workers:
            worker.close()

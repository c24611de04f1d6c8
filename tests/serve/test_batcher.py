"""The batching worker on its own: fair shares, long requests split, abandoned requests dropped."""

from __future__ import annotations

import asyncio
import threading

import pytest

from spelltune.correct.corrector import Correction
from spelltune.serve.batcher import BatchingWorker, QueueFull, WorkerStopped


class Recorder:
    name = "recorder"

    def __init__(self):
        self.calls: list[list[str]] = []
        self.gate = threading.Event()
        self.gate.set()

    def correct_lines(self, lines):
        self.calls.append(list(lines))
        self.gate.wait(10)
        return [Correction(input=line, output=line.upper()) for line in lines]


def test_a_long_request_is_split_and_a_short_one_joins_its_next_call():
    recorder = Recorder()
    worker = BatchingWorker(recorder.correct_lines, max_batch_lines=4, gather_ms=1)

    async def scenario():
        recorder.gate.clear()
        long_lines = [f"long {n}" for n in range(10)]
        long_task = asyncio.create_task(worker.correct(long_lines))
        while not recorder.calls:
            await asyncio.sleep(0.01)
        short_task = asyncio.create_task(worker.correct(["short"]))
        await asyncio.sleep(0.1)
        recorder.gate.set()
        return await long_task, await short_task

    long_result, short_result = asyncio.run(scenario())
    worker.close()
    assert [c.output for c in long_result] == [f"LONG {n}" for n in range(10)]
    assert [c.output for c in short_result] == ["SHORT"]
    assert recorder.calls[0] == ["long 0", "long 1", "long 2", "long 3"]
    assert "short" in recorder.calls[1] and len(recorder.calls[1]) == 4  # it did not wait for all ten
    assert all(len(call) <= 4 for call in recorder.calls)


def test_an_abandoned_request_never_reaches_the_model_again_and_the_queue_is_bounded():
    recorder = Recorder()
    worker = BatchingWorker(recorder.correct_lines, max_batch_lines=2, gather_ms=1, max_queue=1)

    async def scenario():
        recorder.gate.clear()
        with pytest.raises(TimeoutError):
            await worker.correct([f"slow {n}" for n in range(6)], timeout=0.2)
        with pytest.raises(QueueFull):  # the timed-out one still holds the only slot until the worker drops it
            await worker.correct(["x"])
        recorder.gate.set()
        await asyncio.sleep(0.2)
        return await worker.correct(["after"])

    result = asyncio.run(scenario())
    worker.close()
    assert [c.output for c in result] == ["AFTER"]
    assert recorder.calls[0] == ["slow 0", "slow 1"]
    assert not any("slow 2" in call for call in recorder.calls)


class PreferenceRecorder(Recorder):
    """A corrector that takes per-line spelling preferences and records what it got with each line."""

    takes_preferences = True

    def __init__(self):
        super().__init__()
        self.received: list[list[tuple[str, object]]] = []

    def correct_lines(self, lines, preferences=None):
        self.received.append(list(zip(lines, preferences)))
        return super().correct_lines(lines)


def test_lines_of_different_writers_share_a_call_each_with_its_writers_preferences():
    from spelltune.correct.preferences import SpellingPreferences

    recorder = PreferenceRecorder()
    worker = BatchingWorker(recorder.correct_lines, max_batch_lines=8, gather_ms=1, takes_preferences=True)
    ann = SpellingPreferences.of({"becuase": "because"})

    async def scenario():
        recorder.gate.clear()
        first = asyncio.create_task(worker.correct(["hold"]))
        while not recorder.calls:
            await asyncio.sleep(0.01)
        # Both wait while the model is busy, then go into one call together.
        tasks = [asyncio.create_task(worker.correct(["ann 1", "ann 2"], preferences=ann)),
                 asyncio.create_task(worker.correct(["bob 1"], preferences=SpellingPreferences()))]
        await asyncio.sleep(0.1)
        recorder.gate.set()
        return await first, *(await asyncio.gather(*tasks))

    _, ann_result, bob_result = asyncio.run(scenario())
    worker.close()
    assert [c.output for c in ann_result] == ["ANN 1", "ANN 2"] and [c.output for c in bob_result] == ["BOB 1"]
    assert recorder.received[1] == [("ann 1", ann), ("ann 2", ann), ("bob 1", None)]  # no preferences: None


def test_a_corrector_that_takes_no_preferences_gets_the_lines_alone():
    recorder = Recorder()  # correct_lines(lines) only: a preferences keyword would fail
    worker = BatchingWorker(recorder.correct_lines, gather_ms=1)

    async def scenario():
        from spelltune.correct.preferences import SpellingPreferences

        return await worker.correct(["teh"], preferences=SpellingPreferences.of({"teh": "the"}))

    result = asyncio.run(scenario())
    worker.close()
    assert [c.output for c in result] == ["TEH"] and recorder.calls == [["teh"]]


def test_a_closed_worker_corrects_what_was_queued_then_stops_and_refuses_new_lines():
    recorder = Recorder()
    worker = BatchingWorker(recorder.correct_lines, max_batch_lines=2, gather_ms=1)

    async def scenario():
        recorder.gate.clear()
        queued = asyncio.create_task(worker.correct([f"line {n}" for n in range(5)]))
        while not recorder.calls:
            await asyncio.sleep(0.01)
        worker.close(wait=False)  # as when its model is evicted: mid-request
        with pytest.raises(WorkerStopped):
            await worker.correct(["late"])
        recorder.gate.set()
        return await asyncio.wait_for(queued, 10)

    result = asyncio.run(scenario())
    assert [c.output for c in result] == [f"LINE {n}" for n in range(5)]  # all of it, over three calls
    worker._thread.join(timeout=5)
    assert worker.stopped and not worker._thread.is_alive()

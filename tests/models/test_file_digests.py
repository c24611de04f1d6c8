"""The cache's fingerprint file: a file's digest is read once, and processes updating it at once lose nothing."""

from __future__ import annotations

import json
import multiprocessing

from spelltune.atomic import file_sha256
from spelltune.models.file_digests import cached_file_sha256, memo_path


def test_a_digest_is_remembered_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("SPELLTUNE_CACHE_DIR", str(tmp_path / "cache"))
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"a" * 10)
    assert cached_file_sha256(weights) == file_sha256(weights)
    memo = json.loads(memo_path().read_text())
    memo[next(iter(memo))] = "remembered"
    memo_path().write_text(json.dumps(memo))
    assert cached_file_sha256(weights) == "remembered"
    weights.write_bytes(b"b" * 11)
    assert cached_file_sha256(weights) == file_sha256(weights)


def _digest_each(paths, start) -> None:
    start.wait()
    for path in paths:
        cached_file_sha256(path)


def test_two_processes_updating_the_file_at_once_keep_every_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("SPELLTUNE_CACHE_DIR", str(tmp_path / "cache"))
    files = []
    for index in range(40):
        files.append(tmp_path / f"shard-{index}.bin")
        files[-1].write_bytes(bytes([index]) * 1000)
    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    workers = [context.Process(target=_digest_each, args=(files[half::2], start)) for half in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    memo = json.loads(memo_path().read_text())  # whole JSON: no torn write
    assert sorted(memo.values()) == sorted(file_sha256(path) for path in files)

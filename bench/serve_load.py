"""Load-test `spelltune serve`: N concurrent clients on loopback for a bounded time.

    .venv/bin/python bench/serve_load.py [--model default] [--clients 32] [--duration 60] [--url URL]
        [--reference DIR] [--writers N [--database URL]]

Starts `spelltune serve --model M` on a free loopback port (or uses `--url`), warms it with one request,
then runs `--clients` threads that each send one own-suite sentence at a time to /v1/correct until
`--duration` seconds have passed (requests in flight then are waited for, up to the server's time
limit). Prints requests/s, latency p50/p95/p99, errors (any non-200 or transport failure) and the
server's resident memory before and after (and its peak). Stops by itself; the server it started is
stopped too. `--reference DIR` runs the server from an older source tree (`git archive <commit> | tar
-x -C DIR`) in the same venv, so before/after come from one benchmark session.

`--writers N` serves N writers instead of one person: N writers are made in a fresh SQLite database (or
`--database URL`, which must hold no `load*` writers yet; required with `--url`, and the server there must
use it), each with a token and a made-up dictionary word of their own. Client k signs in as writer k mod N
and appends that writer's word to each sentence; the server's request limit is off (`--rate-limit 0`). An
answer counts as an error when it shows another writer's word, flags the writer's own dictionary word, or
(every tenth request) the writer's dictionary is not exactly their word.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


def suite_sentences() -> list[str]:
    """Inputs of the project's own suite (shipped in the package), duplicates removed."""
    text = resources.files("spelltune.evaluate").joinpath("suites/own.jsonl").read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        seen.setdefault(json.loads(line)["input"], None)
    return list(seen)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int | None, field: str = "VmRSS") -> float | None:
    """Resident memory of process `pid` in MB (Linux /proc, else psutil), or None when unknown; `VmHWM`
    is its peak so far."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except Exception:  # noqa: BLE001 - memory is a nice-to-have in this report
        return None


@dataclass(frozen=True)
class BenchWriter:
    """One writer of the load: their name, token and the one word in their dictionary."""

    name: str
    token: str
    word: str


def writer_word(number: int) -> str:
    """A made-up word for writer `number`: letters only, all the same length, so no word is part of another."""
    letters = ""
    for _ in range(4):
        letters = chr(ord("a") + number % 26) + letters
        number //= 26
    return f"Zorvex{letters}"


def setup_writers(database_url: str, count: int) -> list[BenchWriter]:
    """Make `count` writers (load0000, load0001, ...) in the database at `database_url`, each with a token and
    their own dictionary word; exits with a message when that cannot be done (the names are taken, say)."""
    from spelltune.errors import SpelltuneError
    from spelltune.serve.store import open_store
    from spelltune.serve.store.accounts import add_writer
    from spelltune.serve.store.dictionary import add_dictionary_word

    if not 1 <= count <= 26**4:
        sys.exit(f"--writers must be between 1 and {26**4}")
    try:
        store = open_store(database_url)
        try:
            writers = []
            for number in range(count):
                writer, token = add_writer(store, f"load{number:04d}")
                writers.append(BenchWriter(writer.name, token, add_dictionary_word(store, writer.id, writer_word(number))))
            return writers
        finally:
            store.close()
    except SpelltuneError as error:
        sys.exit(f"cannot set up the writers: {error}")


def answer_problems(result, writer: BenchWriter, writers: list[BenchWriter]) -> list[str]:
    """What is wrong with `result` (a CorrectResult for a text ending in `writer.word`) as `writer`'s answer:
    another writer's word in it, or a suggestion on the writer's own dictionary word."""
    shown = " ".join([result.text, *(f"{s.original} {s.replacement}" for s in result.suggestions),
                      *(f"{r.original} {r.proposed}" for r in result.refused)])
    problems = [f"{writer.name} was shown {other.name}'s dictionary word" for other in writers
                if other is not writer and other.word in shown]
    if any(writer.word in s.original for s in result.suggestions):
        problems.append(f"{writer.name}'s own dictionary word was flagged")
    return problems


def start_server(model: str, port: int, queue: int, data_dir: str, reference: Path | None = None,
                 database_url: str | None = None) -> subprocess.Popen:
    """`spelltune serve` in a child process, with its own dictionary/feedback folder (from `reference`'s
    source tree when given); with `database_url`, on that database with no request limit (many writers)."""
    env = {**os.environ, "SPELLTUNE_DATA_DIR": data_dir}
    if reference is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(reference.resolve()), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "spelltune", "serve", "--model", model, "--port", str(port), "--queue", str(queue)]
    if database_url is not None:
        command += ["--database", database_url, "--rate-limit", "0"]
    # `python -m` puts the working directory first on sys.path: run in the tree whose code is meant.
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=str(reference.resolve()) if reference else None)


def wait_until_up(client, process: subprocess.Popen | None, limit: float = 900.0) -> float:
    """Seconds until /healthz answers (the model load)."""
    from spelltune.client import ServerError

    start = time.perf_counter()
    while True:
        try:
            client.health()
            return time.perf_counter() - start
        except ServerError:
            if process is not None and process.poll() is not None:
                sys.exit("the server exited:\n" + process.stderr.read().decode(errors="replace"))
            if time.perf_counter() - start > limit:
                sys.exit("the server did not start in time")
            time.sleep(0.5)


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def run_load(url: str, sentences: list[str], clients: int, duration: float,
             writers: list[BenchWriter] | None = None, min_requests: int = 0) -> dict:
    """Run the clients (with `writers`: client k as writer k mod N, see the module); return latencies and errors.

    Each client sends requests until `duration` seconds have passed and it has sent at least `min_requests`."""
    from spelltune.client import ServerError, SpelltuneClient

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def worker(number: int) -> None:
        writer = writers[number % len(writers)] if writers else None
        client = SpelltuneClient(url, timeout=600, retries=0, token=writer.token if writer else None)
        index, sent = number, 0
        while time.perf_counter() < stop_at or sent < min_requests:
            sent += 1
            sentence = sentences[index % len(sentences)]
            if writer is not None:
                sentence = f"{sentence} {writer.word}"
            checks_dictionary = writer is not None and (index // clients) % 10 == 9
            index += clients
            start = time.perf_counter()
            try:
                result = client.correct(sentence)
                if len(result.text) == 0 and sentence:
                    raise ServerError("empty answer")
                problems = answer_problems(result, writer, writers) if writer is not None else []
                if checks_dictionary and client.dictionary() != [writer.word]:
                    problems.append(f"{writer.name}'s dictionary is not just their word")
                ok, problem = not problems, "; ".join(problems)
            except ServerError as error:
                ok, problem = False, str(error)
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors.append(problem)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "wall_seconds": wall}


def main() -> None:
    """Run the load test and print the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="model spec for the server it starts (default: default)")
    parser.add_argument("--url", default=None, help="test a server already running here instead")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the report here")
    parser.add_argument("--reference", type=Path, default=None,
                        help="run the server from this older source tree (git archive) instead of this one")
    parser.add_argument("--writers", type=int, default=0,
                        help="serve this many writers, each with a token and a dictionary word (default 0: one person)")
    parser.add_argument("--database", default=None,
                        help="with --writers: the database to make them in (default: a fresh SQLite file)")
    args = parser.parse_args()
    if args.writers and args.url and not args.database:
        parser.error("--writers with --url needs --database: the URL of the database that server uses")
    if args.database and not args.writers:
        parser.error("--database goes with --writers N")

    from spelltune.client import SpelltuneClient

    sentences = suite_sentences()
    process, data_dir = None, tempfile.mkdtemp(prefix="spelltune-serve-load-")
    database_url = args.database or (f"sqlite:///{Path(data_dir) / 'spelltune.db'}" if args.writers else None)
    writers = setup_writers(database_url, args.writers) if args.writers else None
    url = args.url
    if url is None:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = start_server(args.model, port, max(128, 2 * args.clients), data_dir, args.reference, database_url)
    client = SpelltuneClient(url, timeout=600, retries=0, token=writers[0].token if writers else None)
    try:
        load_seconds = wait_until_up(client, process)
        start = time.perf_counter()
        client.correct(sentences[-1])
        first_request = time.perf_counter() - start
        pid = process.pid if process else None
        rss_before = rss_mb(pid)
        result = run_load(url, sentences, args.clients, args.duration, writers)
        rss_after, rss_peak = rss_mb(pid), rss_mb(pid, "VmHWM")
        health = client.health()
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    latencies = result["latencies"]
    report = {
        "code": f"before ({args.reference.name})" if args.reference else "this tree",
        "model": health.get("model"),
        "clients": args.clients,
        "writers": args.writers or 1,
        "duration_s": args.duration,
        "wall_s": round(result["wall_seconds"], 1),
        "requests": len(latencies),
        "errors": len(result["errors"]),
        "requests_per_s": round(len(latencies) / result["wall_seconds"], 2),
        "p50_s": round(percentile(latencies, 0.50), 2) if latencies else None,
        "p95_s": round(percentile(latencies, 0.95), 2) if latencies else None,
        "p99_s": round(percentile(latencies, 0.99), 2) if latencies else None,
        "mean_s": round(statistics.fmean(latencies), 2) if latencies else None,
        "server_start_s": round(load_seconds, 1),
        "first_request_s": round(first_request, 2),
        "rss_before_mb": round(rss_before) if rss_before else None,
        "rss_after_mb": round(rss_after) if rss_after else None,
        "rss_peak_mb": round(rss_peak) if rss_peak else None,
        "model_calls": health["batches"]["model_calls"],
        "largest_batch_requests": health["batches"]["largest_batch_requests"],
    }
    print("| " + " | ".join(report) + " |")
    print("|" + "---|" * len(report))
    print("| " + " | ".join("" if value is None else str(value) for value in report.values()) + " |")
    for problem in result["errors"][:5]:
        print("error:", problem, file=sys.stderr)
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()

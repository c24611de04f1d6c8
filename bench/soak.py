"""Soak `spelltune fix` (and `spelltune serve`, when the tree has it) with a large mixed input for a bounded time.

    .venv/bin/python bench/soak.py [--model identity] [--megabytes 200] [--seconds 120] [--json]
                                   [--serve-seconds 60] [--clients 8]

The input is generated deterministically (seed 0): sentences with typos, names, URLs, numbers, code,
RTL and CJK text, combining marks, ZWJ emoji, control characters, tabs, \\r, CRLF endings, lines that
are not UTF-8, blank lines and a few 100 kB lines. It is streamed into one `spelltune fix` process
until `--megabytes` are sent or `--seconds` pass, while the process's resident memory is sampled.

Reports: lines in and out, bytes of text outside the reported edits (must be 100% preserved: with
`--json` each line's output is checked to be its input with its edits applied; in text mode with the
`identity` model the output must be the input byte for byte), peak and sampled RSS (flat memory means
`fix` streams), and errors. Exit code 1 if any line was lost, any byte outside an edit changed, or the
process failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_WORDS = ("the teh cat sat on mat beleive recieve answr Ther shud go home now I we alot definately their there "
          "realise colour because becuase tomorrow tommorow seperate library libary").split()
_SPECIAL = ["Siobhan", "London", "https://example.org/a?b=1", "ann@mail.com", "5pm", "10:30", "3.5%",
            "get_valeu()", "myVariable", "/usr/bin/env", "שלום עולם", "مرحبا", "你好世界", "e\u0301te\u0301",
            "👩\u200d👩\u200d👧", "\x00", "\t", "\r", "\x0c", "\u200b", "\u202e", "\u2028", "<|im_end|>"]


def mixed_lines(seed: int = 0):
    """An endless deterministic stream of input lines (bytes, each with its line ending)."""
    rng = random.Random(seed)
    number = 0
    while True:
        number += 1
        kind = rng.random()
        if number % 20_000 == 0:
            text = " ".join(rng.choice(_WORDS) for _ in range(20_000))[:100_000].encode()
        elif kind < 0.05:
            text = b""
        elif kind < 0.07:
            text = "caf\xe9 ol\xe9".encode("latin-1")  # not UTF-8
        else:
            words = [rng.choice(_WORDS) if rng.random() < 0.8 else rng.choice(_SPECIAL)
                     for _ in range(rng.randrange(1, 16))]
            text = (" ".join(words) + rng.choice([".", "", "?", "!"])).encode()
        yield text + (b"\r\n" if rng.random() < 0.1 else b"\n")


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _apply_edits(text: str, edits: list[dict]) -> str:
    for edit in sorted(edits, key=lambda e: (e["start"], e["end"]), reverse=True):
        text = text[: edit["start"]] + edit["replacement"] + text[edit["end"] :]
    return text


def _outside_edits(text: str, edits: list[dict]) -> int:
    """Characters of `text` outside the edits' spans."""
    return len(text) - sum(edit["end"] - edit["start"] for edit in edits)


def soak_fix(model: str, megabytes: float, seconds: float, as_json: bool, engine: str | None) -> dict:
    """Stream the mixed input through one `spelltune fix` process; check and measure what comes back."""
    command = [sys.executable, "-m", "spelltune", "fix", "--model", model] + (["--json"] if as_json else [])
    command += ["--engine", engine] if engine else []
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    sent: list[bytes] = []  # kept to check the output (the bench's memory, not the process's)
    budget, deadline = int(megabytes * 2**20), time.monotonic() + seconds
    samples: list[tuple[float, int]] = []
    started = time.monotonic()

    def feed() -> None:
        total = 0
        try:
            for line in mixed_lines():
                if total >= budget or time.monotonic() > deadline:
                    break
                process.stdin.write(line)
                sent.append(line)
                total += len(line)
        except BrokenPipeError:
            pass
        finally:
            try:
                process.stdin.close()
            except BrokenPipeError:
                pass

    def sample() -> None:
        while process.poll() is None:
            rss = _rss_kib(process.pid)
            if rss:
                samples.append((time.monotonic() - started, rss))
            time.sleep(0.5)

    errors_text: list[bytes] = []
    threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=sample, daemon=True),
               threading.Thread(target=lambda: errors_text.append(process.stderr.read()), daemon=True)]
    for thread in threads:
        thread.start()
    output = process.stdout.read()
    process.wait()
    for thread in threads:
        thread.join(timeout=5)
    elapsed = time.monotonic() - started

    out_lines = output.split(b"\n")
    if out_lines and out_lines[-1] == b"":
        out_lines.pop()
    in_bytes = sum(len(line) for line in sent)
    preserved = checked = 0
    problems: list[str] = []
    if len(out_lines) != len(sent):
        problems.append(f"{len(sent)} lines in, {len(out_lines)} out")
    for number, (given, got) in enumerate(zip(sent, out_lines), start=1):
        text = given.rstrip(b"\n").removesuffix(b"\r")
        if as_json:
            row = json.loads(got)
            try:
                source = text.decode("utf-8")
            except UnicodeDecodeError:
                ok = row["output"] == row["input"]
                checked += len(text)
                preserved += len(text) if ok else 0
                continue
            ok = row["line"] == number and row["input"] == source and row["output"] == _apply_edits(source, row["edits"])
            outside = len(source.encode()) if not row["edits"] else _outside_edits(source, row["edits"])
        else:
            ok = got.removesuffix(b"\r") == text if model == "identity" else got.endswith(b"\r") == given.endswith(b"\r\n")
            outside = len(text)
        checked += outside
        preserved += outside if ok else 0
        if not ok and len(problems) < 5:
            problems.append(f"line {number} changed outside its edits")
    rss = [kib for _, kib in samples]
    return {
        "command": " ".join(["spelltune", *command[3:]]),
        "seconds": round(elapsed, 1),
        "megabytes_in": round(in_bytes / 2**20, 1),
        "lines_in": len(sent),
        "lines_out": len(out_lines),
        "unchanged_bytes_checked": checked,
        "unchanged_bytes_preserved_pct": round(100 * preserved / max(checked, 1), 4),
        "peak_rss_mb": round(max(rss, default=0) / 1024, 1),
        # Resident memory at each quarter of the run: flat after the model loads means `fix` streams.
        "rss_mb_at_quarters": [round(rss[min(len(rss) - 1, len(rss) * q // 4)] / 1024, 1) for q in (1, 2, 3, 4)]
        if rss else [],
        "exit_code": process.returncode,
        "errors": problems + ([f"exit code {process.returncode}"] if process.returncode else []),
        "stderr_tail": b"".join(errors_text).decode("utf-8", "replace").strip().splitlines()[-3:],
    }


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post_json(url: str, payload: dict, timeout: float) -> tuple[int, dict | None]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def _apply_suggestions(text: str, suggestions: list[dict]) -> str:
    for suggestion in sorted(suggestions, key=lambda s: s["offset"], reverse=True):
        start = suggestion["offset"]
        text = text[:start] + suggestion["replacement"] + text[start + suggestion["length"] :]
    return text


def soak_serve(model: str, seconds: float, clients: int, engine: str | None) -> dict:
    """`spelltune serve` under `clients` concurrent POST /v1/correct requests for `seconds`.

    Each response must hold one line per request line, and be the request's text with exactly its
    suggestions applied (so every byte outside a suggestion is preserved). 503 (queue full) and 504
    (too slow) are the server's documented answers to overload and are counted, not failures.
    """
    port = _free_port()
    command = [sys.executable, "-m", "spelltune", "serve", "--model", model, "--port", str(port)]
    command += ["--engine", engine] if engine else []
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    url = f"http://127.0.0.1:{port}/v1/correct"
    ready_by = time.monotonic() + 600
    while time.monotonic() < ready_by and server.poll() is None:
        try:
            if _post_json(url, {"text": "hello"}, timeout=60)[0] == 200:
                break
        except OSError:
            time.sleep(0.5)
    counts = {"ok": 0, "busy_503": 0, "timeout_504": 0, "errors": 0, "lines_in": 0, "lines_out": 0,
              "chars_checked": 0, "chars_preserved": 0}
    problems: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    rss: list[int] = []

    def client(seed: int) -> None:
        source = mixed_lines(seed)
        while time.monotonic() < deadline:
            lines = []
            while len(lines) < 4:
                raw = next(source)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    continue  # JSON carries text, not bytes
                if len(raw) < 2000:
                    lines.append(text)
            body = "".join(lines)
            try:
                status, answer = _post_json(url, {"text": body}, timeout=300)
            except OSError as error:
                status, answer = -1, {"error": str(error)}
            with lock:
                counts["lines_in"] += body.count("\n")
                if status == 503:
                    counts["busy_503"] += 1
                elif status == 504:
                    counts["timeout_504"] += 1
                elif status != 200 or answer is None:
                    counts["errors"] += 1
                    if len(problems) < 5:
                        problems.append(f"status {status}")
                else:
                    counts["ok"] += 1
                    counts["lines_out"] += answer["text"].count("\n")
                    outside = len(body) - sum(s["length"] for s in answer["suggestions"])
                    counts["chars_checked"] += outside
                    if _apply_suggestions(body, answer["suggestions"]) == answer["text"]:
                        counts["chars_preserved"] += outside
                    elif len(problems) < 5:
                        problems.append(f"changed outside its suggestions: {body[:80]!r}")

    threads = [threading.Thread(target=client, args=(seed,), daemon=True) for seed in range(1, clients + 1)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        kib = _rss_kib(server.pid)
        if kib:
            rss.append(kib)
        time.sleep(0.5)
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    answered = counts["ok"]
    return {
        "command": " ".join(["spelltune", *command[3:]]) + f" + {clients} clients",
        "seconds": round(time.monotonic() - started, 1),
        **{key: value for key, value in counts.items() if key not in ("chars_checked", "chars_preserved")},
        "lines_in_answered_requests_match": counts["lines_out"] <= counts["lines_in"],
        "unchanged_chars_preserved_pct": round(100 * counts["chars_preserved"] / max(counts["chars_checked"], 1), 4),
        "requests_answered": answered,
        "peak_rss_mb": round(max(rss, default=0) / 1024, 1),
        "problems": problems,
    }


def serve_available() -> bool:
    """Whether this tree has a `spelltune serve` command."""
    done = subprocess.run([sys.executable, "-m", "spelltune", "serve", "--help"], capture_output=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    return done.returncode == 0


def main() -> None:
    """Run the soak and print one JSON report per part."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="identity", help="model spec or classic corrector (default identity)")
    parser.add_argument("--engine", default=None)
    parser.add_argument("--megabytes", type=float, default=200.0, help="input size bound (default 200)")
    parser.add_argument("--seconds", type=float, default=120.0, help="time bound for sending input (default 120)")
    parser.add_argument("--json", action="store_true", help="check every line's edits with `fix --json`")
    parser.add_argument("--serve-seconds", type=float, default=60.0, help="time under load for `spelltune serve` (0: skip)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients for the server soak")
    args = parser.parse_args()
    report = soak_fix(args.model, args.megabytes, args.seconds, args.json, args.engine)
    print(json.dumps({"fix": report}, indent=2, ensure_ascii=False))
    failed = report["errors"] or report["unchanged_bytes_preserved_pct"] < 100 or report["lines_in"] != report["lines_out"]
    if args.serve_seconds > 0 and serve_available():
        served = soak_serve(args.model, args.serve_seconds, args.clients, args.engine)
        print(json.dumps({"serve": served}, indent=2, ensure_ascii=False))
        failed = failed or served["errors"] or served["problems"] or served["unchanged_chars_preserved_pct"] < 100
    else:
        print(json.dumps({"serve": "skipped: no `spelltune serve` in this tree" if args.serve_seconds > 0 else "skipped"}))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

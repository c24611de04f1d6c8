"""Benchmark the corrector on every installed engine: speed, latency, memory and whether answers move.

    .venv/bin/python bench/fix_throughput.py [--model default] [--bea ../shared/data/neuspell-bea322]
        [--engines torch,ctranslate2,ctranslate2:int8] [--limit 96] [--latency-sentences 24]
        [--out bench/results/fix_throughput]

Each engine runs in its own process (so peak memory is its own) on the same sentences: the inputs
of the project's own suite (shipped in the package) and, when `--bea` points at it, BEA-322 learner
sentences. Per engine: load time; sentences/s at batch 16 (and CPU seconds per sentence, which two
busy cores distort less than wall time); batch-1 latency p50/p95 per sentence and p50 for 15–25-word
sentences; peak resident memory; the share of outputs identical to `torch`; strict exact match per
set. Writes `<out>.json` and a Markdown table `<out>.md`, and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_ENGINES = "torch,ctranslate2,ctranslate2:int8"


def load_sets(bea: Path | None, limit: int) -> dict[str, list[tuple[str, str]]]:
    """(input, expected) pairs per benchmark set, first `limit` of each, inputs de-duplicated."""
    from spelltune.evaluate.suites import load_suite

    sources = {"own suite": "own"}
    if bea is not None:
        sources["BEA-322"] = str(bea)
    sets = {}
    for name, source in sources.items():
        seen: dict[str, str] = {}
        for case in load_suite(source).cases:
            seen.setdefault(case.input, case.expected)
        sets[name] = list(seen.items())[:limit]
    return sets


def run_worker(args: argparse.Namespace) -> None:
    """Child process: load one engine, time it on every set, print one JSON object."""
    from spelltune.cli_support import configure_process_environment, quiet_libraries

    configure_process_environment()
    quiet_libraries()
    from spelltune.correct.config import load_corrector_config
    from spelltune.correct.load import load_corrector

    name, _, compute_type = args.worker.partition(":")
    overrides = [f"engine.name={name}", f"engine.compute_type={compute_type or 'default'}"]
    config = load_corrector_config(None, overrides)
    started = time.perf_counter()
    corrector = load_corrector(args.model, config, batch_size=args.batch_size)
    load_seconds = time.perf_counter() - started
    sets = load_sets(args.bea, args.limit)
    corrector.correct_lines([pairs[0][0] for pairs in sets.values()])  # warm-up

    result = {"engine": args.worker, "load_seconds": load_seconds, "sets": {}}
    for set_name, pairs in sets.items():
        inputs = [source for source, _ in pairs]
        cpu_before, wall_before = _cpu_seconds(), time.perf_counter()
        outputs = [correction.output for correction in corrector.correct_lines(inputs)]
        wall, cpu = time.perf_counter() - wall_before, _cpu_seconds() - cpu_before
        result["sets"][set_name] = {
            "sentences": len(inputs), "outputs": outputs, "expected": [expected for _, expected in pairs],
            "sentences_per_second": len(inputs) / wall, "cpu_seconds_per_sentence": cpu / len(inputs),
        }

    single = load_corrector(args.model, config, batch_size=1)
    latency_inputs = [source for pairs in sets.values() for source, _ in pairs[: args.latency_sentences]]
    latencies = []
    for line in latency_inputs:
        started = time.perf_counter()
        single.correct_lines([line])
        latencies.append((len(line.split()), time.perf_counter() - started))
    result["latency"] = _latency_summary(latencies)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _latency_summary(latencies: list[tuple[int, float]]) -> dict[str, float | None]:
    seconds = sorted(value for _, value in latencies)
    mid_length = [value for words, value in latencies if 15 <= words <= 25]
    return {
        "p50_ms": 1000 * statistics.median(seconds),
        "p95_ms": 1000 * seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))],
        "p50_15_25_words_ms": 1000 * statistics.median(mid_length) if mid_length else None,
        "sentences": len(seconds),
    }


def measure_engine(engine: str, args: argparse.Namespace) -> dict | None:
    """Run one engine in a child process; None (with the reason printed) when it cannot run here."""
    command = [sys.executable, __file__, "--worker", engine, "--model", args.model, "--limit", str(args.limit),
               "--latency-sentences", str(args.latency_sentences), "--batch-size", str(args.batch_size)]
    if args.bea:
        command += ["--bea", str(args.bea)]
    print(f"[{time.strftime('%H:%M:%S')}] {engine}: running", file=sys.stderr, flush=True)
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        print(f"{engine}: skipped ({finished.stderr.strip().splitlines()[-1:] or ['failed']})", file=sys.stderr)
        return None
    return json.loads(finished.stdout.strip().splitlines()[-1])


def summary_rows(results: list[dict]) -> list[dict[str, str]]:
    """One table row per engine and set; answers are compared with the `torch` engine's."""
    reference = next((result for result in results if result["engine"] == "torch"), None)
    rows = []
    for result in results:
        for set_name, measured in result["sets"].items():
            outputs, expected = measured["outputs"], measured["expected"]
            exact = sum(output == gold for output, gold in zip(outputs, expected)) / len(outputs)
            same = "—"
            if reference is not None:
                torch_outputs = reference["sets"][set_name]["outputs"]
                same = f"{sum(a == b for a, b in zip(outputs, torch_outputs))}/{len(outputs)}"
            latency = result["latency"]
            rows.append({
                "engine": result["engine"], "set": set_name, "sentences": str(len(outputs)),
                "load s": f"{result['load_seconds']:.1f}",
                "sent/s batch 16": f"{measured['sentences_per_second']:.2f}",
                "CPU s/sent": f"{measured['cpu_seconds_per_sentence']:.2f}",
                "batch-1 p50 / p95 ms": f"{latency['p50_ms']:.0f} / {latency['p95_ms']:.0f}",
                "p50 15–25 words ms": "—" if latency["p50_15_25_words_ms"] is None else f"{latency['p50_15_25_words_ms']:.0f}",
                "peak RSS MB": f"{result['peak_rss_mb']:.0f}",
                "same as torch": same,
                "strict exact": f"{100 * exact:.1f}%",
            })
    return rows


def markdown_table(rows: list[dict[str, str]]) -> str:
    """The rows as a Markdown table."""
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row[key] for key in header) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    """Measure each engine and write the JSON results and the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="model spec (see `spelltune models`)")
    parser.add_argument("--bea", type=Path, default=None, help="BEA-322 folder (corrupt.txt / correct.txt)")
    parser.add_argument("--engines", default=DEFAULT_ENGINES,
                        help="comma-separated NAME or NAME:COMPUTE_TYPE; `all` adds every installed backend")
    parser.add_argument("--limit", type=int, default=96, help="sentences per set")
    parser.add_argument("--latency-sentences", type=int, default=24, help="per set, timed one at a time")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, default=Path("bench/results/fix_throughput"))
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args)
        return

    engines = args.engines.split(",")
    if "all" in engines:
        from spelltune.engine.registry import engine_infos

        engines = [engine for engine in engines if engine != "all"]
        engines += [info.name for info in engine_infos() if info.available and info.name not in engines]
    results = [result for engine in engines if (result := measure_engine(engine, args)) is not None]
    if not results:
        sys.exit("no engine could run")
    rows = summary_rows(results)
    table = markdown_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps({"model": args.model, "results": results}, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(
        f"`python bench/fix_throughput.py --model {args.model}"
        f"{' --bea ' + str(args.bea) if args.bea else ''} --limit {args.limit}` "
        f"({os.cpu_count()} CPU cores)\n\n{table}\n")
    print(table)


if __name__ == "__main__":
    main()

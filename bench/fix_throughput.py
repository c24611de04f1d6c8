"""Benchmark the corrector: speed, where its CPU time goes, latency, memory and whether answers move.

    .venv/bin/python bench/fix_throughput.py [--model default] [--bea ../shared/data/neuspell-bea322:dev]
        [--engines ctranslate2,torch] [--reference DIR] [--limit 96] [--latency-sentences 24]
        [--out bench/results/fix_throughput]

Each run (an engine, optionally with `+key=value` corrector settings: `ctranslate2+rescore.prune=false`)
is its own process (so peak memory is its own) on the same sentences: the inputs of the
project's own suite (shipped in the package) and, with `--bea`, BEA-322 learner sentences (a suite
path: `:dev` / `:test` take a half). Per run and set: sentences/s at batch 16; CPU seconds per
sentence, split into generation (`Engine.generate`), the second pass (`CandidateRescorer.rescore_many`)
and the rest (guard, segmentation, bookkeeping); batch-1 latency p50/p95 (over the first
`--latency-sentences` of each set and as many of its 15–25-word sentences) and p50 for the 15–25-word
ones; peak resident memory of the whole process; the share of outputs identical to the first run's;
strict exact match.

`--reference DIR` adds, for each engine, a run of an older version of spelltune in the same venv and
the same benchmark run (`git archive <commit> | tar -x -C DIR`; its runs import `spelltune` from DIR),
so a speed-up is a ratio measured side by side, never two numbers from different days. Writes
`<out>.json` and a Markdown table `<out>.md`, and prints the table.
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

DEFAULT_ENGINES = "ctranslate2"


def load_sets(bea: str | None, limit: int) -> dict[str, list[tuple[str, str]]]:
    """(input, expected) pairs per benchmark set, first `limit` of each, inputs de-duplicated."""
    from spelltune.evaluate.suites import load_suite

    sources = {"own suite": "own"}
    if bea is not None:
        sources["BEA-322" + (":" + bea.rsplit(":", 1)[1] if bea.endswith((":dev", ":test")) else "")] = bea
    sets = {}
    for name, source in sources.items():
        seen: dict[str, str] = {}
        for case in load_suite(source).cases:
            seen.setdefault(case.input, case.expected)
        sets[name] = list(seen.items())[:limit]
    return sets


class _CpuClock:
    """CPU and wall seconds spent inside wrapped calls (not re-entrant: nested calls count once)."""

    def __init__(self):
        self.cpu = 0.0
        self.wall = 0.0

    def wrap(self, function):
        def timed(*args, **kwargs):
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.cpu += time.process_time() - cpu
                self.wall += time.perf_counter() - wall
        return timed


def run_worker(args: argparse.Namespace) -> None:
    """Child process: load one corrector, time it on every set, print one JSON object."""
    from spelltune.cli_support import configure_process_environment, quiet_libraries

    configure_process_environment()
    quiet_libraries()
    from spelltune.correct.config import load_corrector_config
    from spelltune.correct.load import load_corrector

    engine_spec, *settings = args.worker.split("+")
    name, _, compute_type = engine_spec.partition(":")
    overrides = [f"engine.name={name}", f"engine.compute_type={compute_type or 'default'}", *settings]
    config = load_corrector_config(None, overrides)
    started = time.perf_counter()
    corrector = load_corrector(args.model, config, batch_size=args.batch_size)
    load_seconds = time.perf_counter() - started
    generation, second_pass = _CpuClock(), _CpuClock()
    engine = corrector.engine
    engine.generate = generation.wrap(engine.generate)  # the instance attribute shadows the method
    corrector.rescorer.rescore_many = second_pass.wrap(corrector.rescorer.rescore_many)
    sets = load_sets(args.bea, args.limit)
    corrector.correct_lines([pairs[0][0] for pairs in sets.values()])  # warm-up

    result = {"engine": args.worker, "code": args.label, "load_seconds": load_seconds, "sets": {}}
    for set_name, pairs in sets.items():
        inputs = [source for source, _ in pairs]
        generation.cpu = second_pass.cpu = 0.0
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        outputs = [correction.output for correction in corrector.correct_lines(inputs)]
        wall, cpu = time.perf_counter() - wall_before, time.process_time() - cpu_before
        result["sets"][set_name] = {
            "sentences": len(inputs), "outputs": outputs, "expected": [expected for _, expected in pairs],
            "sentences_per_second": len(inputs) / wall, "cpu_seconds_per_sentence": cpu / len(inputs),
            "generation_cpu_per_sentence": generation.cpu / len(inputs),
            "second_pass_cpu_per_sentence": second_pass.cpu / len(inputs),
            "rest_cpu_per_sentence": (cpu - generation.cpu - second_pass.cpu) / len(inputs),
        }

    single = load_corrector(args.model, config, batch_size=1)
    latency_inputs = latency_sentences(sets, args.latency_sentences)
    latencies = []
    for line in latency_inputs:
        started = time.perf_counter()
        single.correct_lines([line])
        latencies.append((len(line.split()), time.perf_counter() - started))
    result["latency"] = _latency_summary(latencies)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def latency_sentences(sets: dict[str, list[tuple[str, str]]], count: int) -> list[str]:
    """Per set, its first `count` inputs and its first `count` of 15–25 words (an editor's sentence)."""
    chosen: list[str] = []
    for pairs in sets.values():
        inputs = [source for source, _ in pairs]
        mid = [source for source in inputs if 15 <= len(source.split()) <= 25]
        chosen += list(dict.fromkeys(inputs[:count] + mid[:count]))
    return chosen


def _latency_summary(latencies: list[tuple[int, float]]) -> dict[str, float | None]:
    seconds = sorted(value for _, value in latencies)
    mid_length = [value for words, value in latencies if 15 <= words <= 25]
    return {
        "p50_ms": 1000 * statistics.median(seconds),
        "p95_ms": 1000 * seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))],
        "p50_15_25_words_ms": 1000 * statistics.median(mid_length) if mid_length else None,
        "sentences_15_25_words": len(mid_length),
        "sentences": len(seconds),
    }


def measure(engine: str, args: argparse.Namespace, reference: Path | None = None) -> dict | None:
    """One run in a child process (of the code in `reference` when given); None when it cannot run."""
    label = f"before ({reference.name})" if reference else "this tree"
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, "--label", label,
               "--model", args.model, "--limit", str(args.limit), "--latency-sentences", str(args.latency_sentences),
               "--batch-size", str(args.batch_size)]
    if args.bea:
        command += ["--bea", str(args.bea)]
    environment = dict(os.environ)
    if reference:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(reference.resolve()),
                                                                  environment.get("PYTHONPATH")]))
    print(f"[{time.strftime('%H:%M:%S')}] {engine} ({label}): running", file=sys.stderr, flush=True)
    finished = subprocess.run(command, capture_output=True, text=True, env=environment)
    if finished.returncode != 0:
        print(f"{engine} ({label}): skipped ({finished.stderr.strip().splitlines()[-1:] or ['failed']})", file=sys.stderr)
        return None
    return json.loads(finished.stdout.strip().splitlines()[-1])


def summary_rows(results: list[dict]) -> list[dict[str, str]]:
    """One table row per run and set; answers are compared with the first run's."""
    first = results[0]
    rows = []
    for result in results:
        for set_name, measured in result["sets"].items():
            outputs, expected = measured["outputs"], measured["expected"]
            exact = sum(output == gold for output, gold in zip(outputs, expected)) / len(outputs)
            reference_outputs = first["sets"][set_name]["outputs"]
            latency = result["latency"]
            rows.append({
                "code": result.get("code", "this tree"), "engine": result["engine"], "set": set_name,
                "sentences": str(len(outputs)),
                "sent/s batch 16": f"{measured['sentences_per_second']:.2f}",
                "CPU s/sent": f"{measured['cpu_seconds_per_sentence']:.2f}",
                "generation / second pass / rest": _split(measured),
                "batch-1 p50 / p95 ms": f"{latency['p50_ms']:.0f} / {latency['p95_ms']:.0f}",
                "p50 15–25 words ms": "—" if latency["p50_15_25_words_ms"] is None else f"{latency['p50_15_25_words_ms']:.0f}",
                "peak RSS MB": f"{result['peak_rss_mb']:.0f}",
                "same as first row": f"{sum(a == b for a, b in zip(outputs, reference_outputs))}/{len(outputs)}",
                "strict exact": f"{100 * exact:.1f}%",
            })
    return rows


def _split(measured: dict) -> str:
    if "generation_cpu_per_sentence" not in measured:
        return "—"
    return " / ".join(f"{measured[key]:.3f}" for key in ("generation_cpu_per_sentence", "second_pass_cpu_per_sentence",
                                                        "rest_cpu_per_sentence"))


def speedup_rows(results: list[dict]) -> list[dict[str, str]]:
    """This tree against the reference, per engine and set: ratios from the same benchmark run."""
    rows = []
    for after in (r for r in results if r.get("code") == "this tree"):
        engine = after["engine"].split("+")[0]
        before = next((r for r in results if r["engine"] == engine and r.get("code") != "this tree"), None)
        if before is None:
            continue
        for set_name, measured in after["sets"].items():
            old = before["sets"][set_name]
            rows.append({
                "engine": after["engine"], "set": set_name,
                "sent/s batch 16": f"{measured['sentences_per_second'] / old['sentences_per_second']:.2f}×",
                "CPU s/sent": f"{old['cpu_seconds_per_sentence'] / measured['cpu_seconds_per_sentence']:.2f}× less",
                "batch-1 p50 15–25 words": _ratio(before["latency"]["p50_15_25_words_ms"],
                                                  after["latency"]["p50_15_25_words_ms"]),
                "peak RSS": f"{before['peak_rss_mb']:.0f} → {after['peak_rss_mb']:.0f} MB",
            })
    return rows


def _ratio(before: float | None, after: float | None) -> str:
    return "—" if not before or not after else f"{before:.0f} → {after:.0f} ms ({after / before:.2f} of before)"


def markdown_table(rows: list[dict[str, str]]) -> str:
    """The rows as a Markdown table."""
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row[key] for key in header) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    """Measure each run and write the JSON results and the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="model spec (see `spelltune models`)")
    parser.add_argument("--bea", default=None, help="BEA-322 suite path (a folder, optionally :dev or :test)")
    parser.add_argument("--engines", default=DEFAULT_ENGINES,
                        help="comma-separated runs: NAME or NAME:COMPUTE_TYPE, each optionally followed by "
                             "+key=value corrector settings (ctranslate2+rescore.prune=false); `all` adds every "
                             "installed backend")
    parser.add_argument("--reference", type=Path, default=None,
                        help="a source tree of an older spelltune (git archive) to run beside this one")
    parser.add_argument("--limit", type=int, default=96, help="sentences per set")
    parser.add_argument("--latency-sentences", type=int, default=24, help="per set, timed one at a time")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, default=Path("bench/results/fix_throughput"))
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--label", default="this tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args)
        return
    if args.reference is not None and not (args.reference / "spelltune" / "__init__.py").is_file():
        sys.exit(f"error: --reference {args.reference} holds no spelltune package (use git archive <commit> | tar -x -C DIR)")

    engines = args.engines.split(",")
    if "all" in engines:
        from spelltune.engine.registry import engine_infos

        engines = [engine for engine in engines if engine != "all"]
        engines += [info.name for info in engine_infos() if info.available and info.name not in engines]
    results = []
    for engine in engines:
        plain = "+" not in engine  # settings runs compare with the reference's plain run of their engine
        if args.reference is not None and plain and (before := measure(engine, args, args.reference)) is not None:
            results.append(before)
        if (after := measure(engine, args)) is not None:
            results.append(after)
    if not results:
        sys.exit("no engine could run")
    table = markdown_table(summary_rows(results))
    speedups = speedup_rows(results)
    if speedups:
        table += "\n\n" + markdown_table(speedups)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps({"model": args.model, "results": results}, indent=1) + "\n")
    command = " ".join(["python bench/fix_throughput.py"] + sys.argv[1:])
    args.out.with_suffix(".md").write_text(f"`{command}` ({os.cpu_count()} CPU cores)\n\n{table}\n")
    print(table)


if __name__ == "__main__":
    main()

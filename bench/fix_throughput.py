"""Benchmark `spelltune fix`: model load time (cold and cached) and sentences/s at batch 1 vs batched.

    .venv/bin/python bench/fix_throughput.py [--model SPEC] [--sentences N] [--batch-size 16]

Sentences are the inputs of the project's own suite (shipped in the package), so the benchmark
needs nothing beside the repo. Prints one table and the batched / batch-1 ratio.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from importlib import resources

import spelltune  # noqa: F401  (sets OMP_WAIT_POLICY before torch loads)


def suite_sentences(limit: int) -> list[str]:
    """Inputs of the own suite, in file order, with duplicates removed."""
    text = resources.files("spelltune.evaluate").joinpath("suites/own.jsonl").read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        seen.setdefault(json.loads(line)["input"], None)
    return list(seen)[:limit]


def timed(function, *args):
    """(result, seconds) of one call."""
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="model spec (default: spelltune's default model)")
    parser.add_argument("--sentences", type=int, default=48)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    import os

    import torch
    from transformers.utils import logging

    from spelltune.correct.lm import LMCorrector

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    from spelltune.models import DEFAULT_MODEL_SPEC, load_model

    spec = args.model or DEFAULT_MODEL_SPEC
    sentences = suite_sentences(args.sentences)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SPELLTUNE_CACHE_DIR"] = cache
        _, cold = timed(load_model, spec, "cpu")
        loaded, warm = timed(load_model, spec, "cpu")
    rows = [("load, cold cache (s)", f"{cold:.1f}"), ("load, cached (s)", f"{warm:.1f}")]
    rates = {}
    for batch_size in (1, args.batch_size):
        corrector = LMCorrector(loaded, batch_size=batch_size)
        corrector.correct_lines(sentences[:2])  # warm-up
        _, seconds = timed(corrector.correct_lines, sentences)
        rates[batch_size] = len(sentences) / seconds
        rows.append((f"sentences/s, batch {batch_size}", f"{rates[batch_size]:.2f}"))
    rows.append((f"ratio batch {args.batch_size} / batch 1", f"{rates[args.batch_size] / rates[1]:.2f}x"))
    print(f"model {spec}, {len(sentences)} sentences, torch threads {torch.get_num_threads()}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}")
    for name, value in rows:
        print(f"{name:<28}{value:>10}")


if __name__ == "__main__":
    main()

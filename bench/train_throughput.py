"""Training throughput of a train preset against a naive padded baseline, measured in the same run.

Both variants train the same model, LoRA, batch size and data for the same number of optimizer steps,
each in its own subprocess (so peak memory is its own):
  preset: the config as shipped (length-grouped or padding-free batches, completion-only loss)
  naive:  random batches padded to max_length, the way a first training loop usually does it
Tokens/s counts real (non-padding) tokens, prompt included, so the ratio is useful work per second.

Usage:  .venv/bin/python bench/train_throughput.py [configs/train/cpu-default.yaml] [--steps 20] [--set k=v ...]
Prints a table and the preset/naive ratio; writes bench/results/train_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WARMUP_STEPS = 2


def measure(config_path: str, variant: str, steps: int, overrides: list[str]) -> dict:
    """Train `steps` (+ warm-up) steps of one variant in this process and return its numbers."""
    import os

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    from transformers import TrainerCallback
    from transformers.utils import logging as hf_logging

    from spelltune.train.config import load_train_config
    from spelltune.train.peak_memory import peak_memory_mb
    from spelltune.train.trainer import setup_training

    hf_logging.set_verbosity_error()
    config = load_train_config(config_path, [*overrides, f"max_steps={steps + WARMUP_STEPS}", "eval.every_steps=0",
                                             "report_to=[]", "max_minutes=null"])
    if variant == "naive":
        config.batching = "padded"
    if config.threads:
        torch.set_num_threads(config.threads)

    class Clock(TrainerCallback):
        """Times steps after the warm-up and counts the real tokens they trained on."""

        def __init__(self):
            self.started = None
            self.tokens_at_start = 0
            self.trainer = None

        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == WARMUP_STEPS:
                self.started = time.perf_counter()
                self.tokens_at_start = self.trainer._total_train_tokens

    overrides_for_args = {"save_strategy": "no", "logging_steps": 10**6, "disable_tqdm": True}
    if variant == "naive":
        overrides_for_args["pad_to_multiple_of"] = config.max_length  # every batch padded to max_length
    with tempfile.TemporaryDirectory() as scratch:
        clock = Clock()
        setup = setup_training(config, Path(scratch), callbacks=[clock], args_overrides=overrides_for_args)
        clock.trainer = setup.trainer
        setup.trainer.train()
        seconds = time.perf_counter() - clock.started
        tokens = setup.trainer._total_train_tokens - clock.tokens_at_start
        device = setup.device
    return {
        "variant": variant,
        "batching": config.batching if variant == "preset" else f"padded to {config.max_length}",
        "steps": steps,
        "seconds_per_step": seconds / steps,
        "tokens_per_second": tokens / seconds,
        "peak_memory_mb": peak_memory_mb(device),
        "threads": torch.get_num_threads(),
    }


def main() -> None:
    """Run both variants in subprocesses, print the table and the ratio, save JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", default="configs/train/cpu-default.yaml")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--variant", choices=("preset", "naive"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.variant:  # child process: measure one variant, print JSON
        print(json.dumps(measure(options.config, options.variant, options.steps, options.overrides)))
        return
    results = []
    for variant in ("preset", "naive"):
        print(f"measuring {variant} ({options.steps} steps after {WARMUP_STEPS} warm-up)…", file=sys.stderr, flush=True)
        command = [sys.executable, __file__, options.config, "--steps", str(options.steps), "--variant", variant]
        for override in options.overrides:
            command += ["--set", override]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{variant} failed:\n{done.stderr[-2000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{'variant':8} {'batching':22} {'s/step':>8} {'tokens/s':>9} {'peak MB':>8}")
    for r in results:
        print(f"{r['variant']:8} {r['batching']:22} {r['seconds_per_step']:8.2f} {r['tokens_per_second']:9.1f} "
              f"{r['peak_memory_mb']:8.0f}")
    preset, naive = results
    ratio = preset["tokens_per_second"] / naive["tokens_per_second"]
    memory_ratio = preset["peak_memory_mb"] / naive["peak_memory_mb"]
    print(f"throughput ratio preset/naive: {ratio:.2f}x tokens/s; peak memory ratio {memory_ratio:.2f}")
    out = Path(__file__).resolve().parent / "results" / "train_throughput.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"config": options.config, "results": results, "ratio": ratio,
                               "memory_ratio": memory_ratio}, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""What one token costs on this machine: the floor under every speed number of the corrector.

    .venv/bin/python bench/engine_costs.py [--model default] [--out bench/results/engine_costs]

Random token ids (no text needed), each measurement the best of three: milliseconds per token for a
pass over many tokens at once (prefill / scoring: 16 sequences of 75 tokens) and per decoding step at
batch 1 and 16 (31 steps after a 75-token prompt), for CTranslate2 float32 and int8 and for torch
float32. A sentence of the learner benchmark needs ~45 prompt tokens (after the cached system prompt)
and ~35 output tokens, so these bound how fast any version of the corrector can be here.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

PROMPT, BATCH, STEPS = 75, 16, 31


def _best(function, repeats: int = 3) -> float:
    function()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default")
    parser.add_argument("--out", type=Path, default=Path("bench/results/engine_costs"))
    args = parser.parse_args()

    from spelltune.cli_support import configure_process_environment, quiet_libraries

    configure_process_environment()
    quiet_libraries()
    import ctranslate2
    import numpy as np

    from spelltune.engine.ctranslate2_engine import converted_model_dir
    from spelltune.models.loading import load_model, load_tokenizer
    from spelltune.models.merged import merged_model_dir

    rng = np.random.default_rng(0)
    ids = [[int(token) for token in rng.integers(100, 40000, PROMPT)] for _ in range(BATCH)]
    rows = []
    directory = converted_model_dir(args.model)
    tokenizer = load_tokenizer(str(directory))  # CTranslate2's generate_batch takes token strings
    for compute_type in ("float32", "int8"):
        generator = ctranslate2.Generator(str(directory), device="cpu", compute_type=compute_type)
        tokens = [tokenizer.convert_ids_to_tokens(row) for row in ids]
        prefill = _best(lambda: generator.forward_batch(ids)) / (PROMPT * BATCH)
        steps = {}
        for batch in (1, BATCH):
            one = _best(lambda: generator.generate_batch(tokens[:batch], max_length=1, min_length=1,
                                                         include_prompt_in_result=False))
            many = _best(lambda: generator.generate_batch(tokens[:batch], max_length=STEPS, min_length=STEPS,
                                                          include_prompt_in_result=False))
            steps[batch] = (many - one) / (STEPS - 1)
        rows.append((f"ctranslate2 {compute_type}", prefill, steps[1], steps[BATCH]))
        del generator
    import torch

    model = load_model(str(merged_model_dir(args.model))).model
    batch_ids = torch.tensor(ids)
    with torch.inference_mode():
        prefill = _best(lambda: model(input_ids=batch_ids, logits_to_keep=0)) / (PROMPT * BATCH)
        steps = {}
        for batch in (1, BATCH):
            cache = model(input_ids=batch_ids[:batch], use_cache=True).past_key_values
            step = torch.zeros((batch, 1), dtype=torch.long) + 500

            def decode_step():
                model(input_ids=step, past_key_values=cache, use_cache=True)
                cache.crop(-1)

            steps[batch] = _best(decode_step)
    rows.append(("torch float32", prefill, steps[1], steps[BATCH]))
    header = ["engine", "ms per token, 16 x 75 at once", "ms per decoding step, batch 1", "ms per decoding step, batch 16",
              "ms per token decoded at batch 16"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [f"| {name} | {1000 * prefill:.2f} | {1000 * one:.0f} | {1000 * sixteen:.0f} | {1000 * sixteen / BATCH:.2f} |"
              for name, prefill, one, sixteen in rows]
    table = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".md").write_text(f"`python bench/engine_costs.py --model {args.model}`\n\n{table}\n")
    print(table)


if __name__ == "__main__":
    main()

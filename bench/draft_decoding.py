"""Batch-1 generation: drafted greedy decoding (torch engine) against one token per pass, and CTranslate2.

    .venv/bin/python bench/draft_decoding.py [--model default] [--bea ../shared/data/neuspell-bea322:dev]
        [--limit 24] [--out bench/results/draft_decoding]

Generation only (no guard, no second pass), one sentence at a time, as an editor checks a sentence:
the torch engine with drafting off (one token per forward pass) and on (spelltune/engine/draft_decoding.py),
and the ctranslate2 engine (plain greedy: its runtime has no way to check drafted tokens). Reports
seconds per sentence (mean, p50, p50 for 15–25 words), forward passes per generated token, and whether
the drafted outputs are greedy's, token for token.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path


def main() -> None:
    """Time each way of generating on the same sentences and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default")
    parser.add_argument("--bea", default="../shared/data/neuspell-bea322:dev", help="a sentence suite path")
    parser.add_argument("--limit", type=int, default=24)
    parser.add_argument("--draft-tokens", default="48", help="comma-separated draft lengths to try")
    parser.add_argument("--out", type=Path, default=Path("bench/results/draft_decoding"))
    args = parser.parse_args()

    from spelltune.cli_support import configure_process_environment, quiet_libraries

    configure_process_environment()
    quiet_libraries()
    import torch

    from spelltune.correct.config import GenerationSettings
    from spelltune.engine import load_engine
    from spelltune.engine.draft_decoding import draft_decode
    from spelltune.evaluate.suites import load_suite
    from spelltune.prompt import build_prompt

    sentences = list(dict.fromkeys(case.input for case in load_suite(args.bea).cases))[: args.limit]
    settings = GenerationSettings()
    rows, outputs = [], {}
    torch_engine = load_engine(args.model, engine="torch", device="cpu")
    budgets = [min(int(len(torch_engine.encode(s)) * settings.length_factor) + settings.length_margin,
                   settings.max_new_tokens) for s in sentences]
    prompts = [build_prompt(torch_engine.tokenizer, s) for s in sentences]
    lengths = [int(value) for value in args.draft_tokens.split(",")]
    for name, draft_tokens in [("torch, one token per pass", 0)] + [(f"torch, drafts of {n}", n) for n in lengths]:
        torch_engine.draft_tokens = draft_tokens
        torch_engine.generate(prompts[:1], budgets[:1], batch_size=1)  # warm-up
        seconds, outputs[name] = [], []
        for prompt, budget in zip(prompts, budgets):
            started = time.perf_counter()
            outputs[name] += torch_engine.generate([prompt], budget, batch_size=1)
            seconds.append(time.perf_counter() - started)
        rows.append(_row(name, sentences, seconds))
        if draft_tokens:  # the same decodings again, counted: passes and tokens run per token kept
            passes = run = kept = 0
            with torch.inference_mode():
                for prompt, budget in zip(prompts, budgets):
                    ids, stats = draft_decode(torch_engine.model, torch_engine.encode(prompt), budget,
                                              torch_engine.stop_token_ids(), torch_engine._starts_word, draft_tokens)
                    prompt_length = len(torch_engine.encode(prompt))
                    passes, run, kept = passes + stats.passes, run + stats.tokens_run - prompt_length, kept + len(ids) + 1
            rows[-1]["passes per token"] = f"{passes / kept:.2f}"
            rows[-1]["tokens run per token"] = f"{run / kept:.2f}"
        else:
            rows[-1]["passes per token"] = rows[-1]["tokens run per token"] = "1.00"
    del torch_engine
    ct2 = load_engine(args.model, engine="ctranslate2")
    ct2.generate(prompts[:1], budgets[:1], batch_size=1)
    seconds, outputs["ctranslate2"] = [], []
    for prompt, budget in zip(prompts, budgets):
        started = time.perf_counter()
        outputs["ctranslate2"] += ct2.generate([prompt], budget, batch_size=1)
        seconds.append(time.perf_counter() - started)
    rows.append({**_row("ctranslate2 (greedy)", sentences, seconds), "passes per token": "1.00",
                 "tokens run per token": "1.00"})
    greedy = outputs["torch, one token per pass"]
    for row, name in zip(rows, outputs):
        row["same as one token per pass"] = f"{sum(a == b for a, b in zip(outputs[name], greedy))}/{len(greedy)}"
    header = list(rows[0])
    table = "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                      + ["| " + " | ".join(row[key] for key in header) + " |" for row in rows])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps({"rows": rows, "outputs": outputs}, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(f"`python bench/draft_decoding.py --model {args.model} --bea {args.bea} "
                                           f"--limit {args.limit} --draft-tokens {args.draft_tokens}`\n\n{table}\n")
    print(table)


def _row(name: str, sentences: list[str], seconds: list[float]) -> dict[str, str]:
    mid = [value for sentence, value in zip(sentences, seconds) if 15 <= len(sentence.split()) <= 25]
    return {"generation": name, "sentences": str(len(seconds)), "mean s": f"{statistics.fmean(seconds):.2f}",
            "p50 s": f"{statistics.median(seconds):.2f}",
            "p50 15–25 words s": f"{statistics.median(mid):.2f}" if mid else "—"}


if __name__ == "__main__":
    main()

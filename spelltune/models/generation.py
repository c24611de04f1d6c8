"""Greedy continuations of already-rendered prompts: the study questions and in-training validation."""

from __future__ import annotations

from typing import Any, Callable


def generate_greedy(model: Any, tokenizer: Any, prompts: list[str], max_new_tokens: int, batch_size: int,
                    progress: Callable[[int], None] | None = None) -> list[str]:
    """Greedy continuations of `prompts`, left-padded in batches, decoded without special tokens."""
    import torch

    padding_side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    outputs: list[str] = []
    try:
        for start in range(0, len(prompts), batch_size):
            batch = prompts[start:start + batch_size]
            encoded = tokenizer(batch, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
            with torch.inference_mode():
                generated = model.generate(**encoded, max_new_tokens=max_new_tokens, do_sample=False,
                                           pad_token_id=tokenizer.pad_token_id)
            new_tokens = generated[:, encoded["input_ids"].shape[1]:]
            outputs += tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
            if progress:
                progress(len(batch))
    finally:
        tokenizer.padding_side = padding_side
    return outputs

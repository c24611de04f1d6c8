"""Greedy decoding that checks many drafted tokens per forward pass (input-guided, like prompt lookup).

A correction mostly copies its input, and the input is in the prompt. So instead of one token per
forward pass, the decoder drafts the next tokens by copying the prompt from where the output last
matched it, runs the draft through the model in one pass, and keeps the drafted tokens up to the first
one greedy decoding would not have chosen; the model's own choice there comes free from the same pass.
The result is greedy decoding's, token for token (up to float rounding between one pass over many
tokens and many passes over one); only the number of passes changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# Where the draft resumes after the output left the prompt: at the next token that starts a word.
WordStart = Callable[[int], bool]


@dataclass
class DraftStats:
    """Forward passes and tokens one decoding took (what the drafting saved)."""

    passes: int = 0
    tokens_run: int = 0
    tokens_kept: int = 0


def draft_from(prompt: Sequence[int], output: Sequence[int], cursor: int | None, starts_word: WordStart,
               length: int) -> tuple[list[int], int | None]:
    """The next `length` prompt tokens to try after `output`, and where in the prompt they start.

    The output's last tokens (3, 2, then 1 of them) are looked for in the prompt from a little before
    `cursor` (where the last draft left off) onward; the draft is what follows the match. The first
    token is looked for from the end of the prompt back (the text to correct comes last). When nothing
    matches, the output has just replaced a word of the input: the draft resumes at the next word start.
    """
    for size in (3, 2, 1):
        if len(output) < size:
            continue
        tail = list(output[-size:])
        starts = range(len(prompt) - size, -1, -1) if cursor is None else range(max(0, cursor - 2),
                                                                                len(prompt) - size + 1)
        for start in starts:
            if list(prompt[start : start + size]) == tail:
                resume = start + size
                return list(prompt[resume : resume + length]), resume
    if cursor is None:
        return [], None
    for resume in range(cursor + 1, len(prompt)):
        if starts_word(prompt[resume]):
            return list(prompt[resume : resume + length]), resume
    return [], cursor


def draft_decode(model: Any, prompt: list[int], limit: int, stops: Sequence[int], starts_word: WordStart,
                 draft_length: int = 48) -> tuple[list[int], DraftStats]:
    """Greedy continuation of `prompt` (token ids), at most `limit` tokens, stopping before a stop token."""
    import torch
    from transformers import DynamicCache

    device = model.device
    stats = DraftStats()
    cache = DynamicCache()
    source = list(prompt) + [stops[0]] if stops else list(prompt)  # the copy ends where the turn ends

    def run(ids: list[int], start: int) -> Any:
        stats.passes += 1
        stats.tokens_run += len(ids)
        logits = model(input_ids=torch.tensor([ids], device=device),
                       position_ids=torch.arange(start, start + len(ids), device=device).unsqueeze(0),
                       past_key_values=cache, use_cache=True).logits[0]
        return logits.argmax(-1).tolist()

    output: list[int] = []
    chosen = run(prompt, 0)[-1]
    cursor: int | None = None
    while chosen not in stops and len(output) < limit:
        output.append(chosen)
        draft, cursor = draft_from(source, output, cursor, starts_word, draft_length)
        predicted = run([chosen] + draft, len(prompt) + len(output) - 1)
        kept = 0
        while kept < len(draft) and predicted[kept] == draft[kept] and draft[kept] not in stops \
                and len(output) < limit:
            output.append(draft[kept])
            kept += 1
        chosen = predicted[kept]
        if cursor is not None:
            cursor += kept
        if len(draft) > kept:
            cache.crop(-(len(draft) - kept))  # the rejected draft tokens' keys and values
    stats.tokens_kept = len(output)
    return output, stats

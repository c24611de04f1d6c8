"""The `torch` engine: transformers models in PyTorch. The reference every other backend is checked against."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spelltune.engine.base import Engine, budgets


class TorchEngine(Engine):
    """Greedy generation with `model.generate` and scoring on a shared-prefix KV cache, on any device."""

    backend = "torch"

    def __init__(self, model: Any, tokenizer: Any, spec: str = "in-memory", name: str | None = None,
                 prompt_lookup_tokens: int = 10):
        super().__init__(spec, name or spec, tokenizer)
        self.model = model
        # At batch size 1, draft tokens from the prompt (a correction mostly copies its input): ~1.6x faster.
        self.prompt_lookup_tokens = prompt_lookup_tokens
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token

    @property
    def device(self) -> Any:
        """The device the model's weights are on."""
        return self.model.device

    def parameter_count(self) -> int | None:
        """Parameters of the torch module (a merged adapter counts as its base)."""
        return sum(parameter.numel() for parameter in self.model.parameters())

    def stop_token_ids(self) -> list[int]:
        """The tokenizer's end tokens plus whatever the model's generation config calls an end."""
        configured = getattr(getattr(self.model, "generation_config", None), "eos_token_id", None)
        extra = [configured] if isinstance(configured, int) else list(configured or [])
        return sorted(set(super().stop_token_ids()) | set(extra))

    def generate(self, prompts: Sequence[str], max_new_tokens: int | Sequence[int], *, batch_size: int = 16,
                 on_progress: Callable[[int], None] | None = None) -> list[str]:
        """Greedy continuations, left-padded in batches; each is cut to its own budget."""
        limits = budgets(max_new_tokens, len(prompts))
        outputs: list[str] = []
        for first in range(0, len(prompts), max(1, batch_size)):
            batch = list(prompts[first : first + batch_size])
            outputs += self._generate_batch(batch, limits[first : first + len(batch)])
            if on_progress:
                on_progress(len(batch))
        return outputs

    def _generate_batch(self, prompts: list[str], limits: list[int]) -> list[str]:
        import torch
        from transformers import GenerationConfig

        tokenizer = self.tokenizer
        padding_side = tokenizer.padding_side
        tokenizer.padding_side = "left"
        try:
            encoded = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        finally:
            tokenizer.padding_side = padding_side
        encoded = encoded.to(self.device)
        stops = self.stop_token_ids()
        config = GenerationConfig(do_sample=False, num_beams=1, max_new_tokens=max(1, max(limits)),
                                  eos_token_id=stops, pad_token_id=tokenizer.pad_token_id)
        if len(prompts) == 1 and self.prompt_lookup_tokens:
            config.prompt_lookup_num_tokens = self.prompt_lookup_tokens
        with torch.inference_mode():
            output = self.model.generate(**encoded, generation_config=config)
        rows = output[:, encoded["input_ids"].shape[1] :].tolist()
        return [self.tokenizer.decode(_until_stop(row, stops)[:limit], skip_special_tokens=True)
                for row, limit in zip(rows, limits)]

    def score_many(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """Each request's continuations scored on one run of their shared prefix (prefix + common tokens)."""
        return [self._score_request(prefix, list(continuations)) for prefix, continuations in requests]

    def _score_request(self, prefix: str, continuations: list[str]) -> list[float]:
        # The continuations share the prefix and often their first tokens: that common part is run once,
        # and only the rest of each continuation is run, batched, on its cached keys and values.
        import torch

        prefix_ids, continuation_ids = _ids_to_score(self, prefix, continuations)
        if not continuation_ids:
            return [0.0] * len(continuations)
        device = self.device
        rows = [prefix_ids + ids for ids in continuation_ids]
        shared = min(_common_prefix_length(rows), min(len(row) for row in rows) - 1)
        in_prefix = shared - len(prefix_ids)  # continuation tokens inside the shared part
        keep = in_prefix + 1  # logits from the position predicting the first continuation token on
        with torch.inference_mode():
            head = self.model(input_ids=torch.tensor([rows[0][:shared]], device=device), use_cache=True,
                              logits_to_keep=keep)
            head_log_probs = head.logits[0].float().log_softmax(-1)  # positions first_predicting .. shared-1
            common = sum(float(head_log_probs[j, rows[0][len(prefix_ids) + j]]) for j in range(max(0, in_prefix)))
            suffixes = [row[shared:] for row in rows]
            longest = max(len(suffix) for suffix in suffixes)
            pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
            cache = head.past_key_values
            cache.batch_repeat_interleave(len(rows))
            mask = torch.tensor([[1] * (shared + len(sx)) + [0] * (longest - len(sx)) for sx in suffixes],
                                device=device)
            logits = self.model(
                input_ids=torch.tensor([sx + [pad] * (longest - len(sx)) for sx in suffixes], device=device),
                attention_mask=mask,
                position_ids=torch.arange(shared, shared + longest, device=device).expand(len(rows), -1),
                past_key_values=cache,
                use_cache=True,
            ).logits
        scores = []
        for row, suffix in enumerate(suffixes):
            # The last shared position predicts each suffix's first token; each suffix position the next.
            score = common + float(head_log_probs[keep - 1, suffix[0]])
            if len(suffix) > 1:
                predicted = logits[row, : len(suffix) - 1].float().log_softmax(-1)
                targets = torch.tensor(suffix[1:], device=device)
                score += float(predicted.gather(-1, targets.unsqueeze(-1)).sum())
            scores.append(score)
        return _with_empty_scored_zero(continuations, scores)

    def next_token_logits(self, prompts: Sequence[str]) -> Any:
        """Last-position logits of each prompt (run one at a time: no padding in the comparison)."""
        import numpy as np
        import torch

        rows = []
        with torch.inference_mode():
            for prompt in prompts:
                ids = torch.tensor([self.encode(prompt)], device=self.device)
                rows.append(self.model(input_ids=ids, logits_to_keep=1).logits[0, -1].float().cpu().numpy())
        return np.stack(rows)


def _ids_to_score(engine: Engine, prefix: str, continuations: list[str]) -> tuple[list[int], list[list[int]]]:
    prefix_ids = engine.encode(prefix)
    if not prefix_ids:
        raise ValueError("scoring needs a non-empty prefix (nothing predicts the first token)")
    return prefix_ids, [ids for ids in (engine.encode(c) for c in continuations) if ids]


def _with_empty_scored_zero(continuations: list[str], scores: list[float]) -> list[float]:
    # An empty continuation adds no token: its log-probability is 0.
    found = iter(scores)
    return [next(found) if continuation and scores else 0.0 for continuation in continuations]


def _until_stop(row: list[int], stops: list[int]) -> list[int]:
    for index, token in enumerate(row):
        if token in stops:
            return row[:index]
    return row


def _common_prefix_length(rows: list[list[int]]) -> int:
    length = 0
    for column in zip(*rows):
        if any(token != column[0] for token in column):
            break
        length += 1
    return length

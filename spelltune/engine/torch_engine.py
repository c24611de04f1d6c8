"""The `torch` engine: transformers models in PyTorch. The reference every other backend is checked against."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spelltune.engine.base import Engine, generate_in_batches
from spelltune.engine.bounds import ScoreBound


class TorchEngine(Engine):
    """Greedy generation with `model.generate` and scoring on a shared-prefix KV cache, on any device."""

    backend = "torch"

    def __init__(self, model: Any, tokenizer: Any, spec: str = "in-memory", name: str | None = None,
                 draft_tokens: int = 4):
        super().__init__(spec, name or spec, tokenizer)
        self.model = model
        # At batch size 1, up to this many tokens drafted from the prompt are checked per forward pass (a
        # correction mostly copies its input; engine/draft_decoding.py). 0: one token per pass. On 2 CPU
        # cores a pass over more tokens costs more, so short drafts paid best (bench/draft_decoding.py).
        self.draft_tokens = draft_tokens
        self._word_starts: dict[int, bool] = {}
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
        return generate_in_batches(self._generate_batch, prompts, max_new_tokens, batch_size, on_progress)

    def _generate_batch(self, prompts: list[str], limits: list[int]) -> list[str]:
        import torch
        from transformers import GenerationConfig

        if len(prompts) == 1 and self.draft_tokens:
            return [self._draft_generate(prompts[0], limits[0])]
        tokenizer = self.tokenizer
        encoded = tokenizer(prompts, return_tensors="pt", padding=True, padding_side="left",
                            add_special_tokens=False).to(self.device)
        stops = self.stop_token_ids()
        config = GenerationConfig(do_sample=False, num_beams=1, max_new_tokens=max(1, max(limits)),
                                  eos_token_id=stops, pad_token_id=tokenizer.pad_token_id)
        with torch.inference_mode():
            output = self.model.generate(**encoded, generation_config=config)
        rows = output[:, encoded["input_ids"].shape[1] :].tolist()
        return [self.tokenizer.decode(_until_stop(row, stops)[:limit], skip_special_tokens=True)
                for row, limit in zip(rows, limits)]

    def _draft_generate(self, prompt: str, limit: int) -> str:
        import torch

        from spelltune.engine.draft_decoding import draft_decode

        stops = self.stop_token_ids()
        with torch.inference_mode():
            ids, _ = draft_decode(self.model, self.encode(prompt), limit, stops, self._starts_word, self.draft_tokens)
        return self.tokenizer.decode(ids, skip_special_tokens=True)

    def _starts_word(self, token_id: int) -> bool:
        """Whether a token begins a word (byte-level BPE's "Ġ" or SentencePiece's "▁" space marker)."""
        known = self._word_starts.get(token_id)
        if known is None:
            token = self.tokenizer.convert_ids_to_tokens(token_id) or ""
            known = self._word_starts[token_id] = token.startswith(("Ġ", "▁", " "))
        return known

    def score_many(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """Prefixes run in token order on one growing cache: each runs only the tokens it does not share
        with the one before (the system prompt once, each sentence once); continuations then share
        their common start."""
        import torch

        results: list[list[float] | None] = [None] * len(requests)
        by_prefix: dict[tuple[int, ...], list[int]] = {}
        for index, (prefix, _) in enumerate(requests):
            prefix_ids = tuple(self.encode(prefix))
            if not prefix_ids:
                raise ValueError("scoring needs a non-empty prefix (nothing predicts the first token)")
            by_prefix.setdefault(prefix_ids, []).append(index)
        trunk = _PrefixTrunk(self.model, self.device)
        with torch.inference_mode():
            for prefix_ids in sorted(by_prefix):
                cache, last_log_probs = trunk.extend_to(list(prefix_ids))
                for index in by_prefix[prefix_ids]:
                    ids = [self.encode(continuation) for continuation in requests[index][1]]
                    scored = self._score_continuations(cache, len(prefix_ids), last_log_probs, [row for row in ids if row])
                    found = iter(scored)
                    results[index] = [next(found) if row else 0.0 for row in ids]
        return [row or [] for row in results]

    def score_bounds(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[ScoreBound]]:
        """Bounds on each continuation's score (see Engine.score_bounds): one pass over prefix + first
        continuation on the shared-prefix cache; a first continuation that starts a longer one of the same
        prefix (a word's sentence cut a few words after it) is read from the longer one's pass."""
        import torch

        from spelltune.engine.bounds import bounds_from_rows

        results: list[list[ScoreBound] | None] = [None] * len(requests)
        by_prefix: dict[tuple[int, ...], list[tuple[int, list[list[int]]]]] = {}
        for index, (prefix, continuations) in enumerate(requests):
            prefix_ids = tuple(self.encode(prefix))
            if not prefix_ids:
                raise ValueError("scoring needs a non-empty prefix (nothing predicts the first token)")
            ids = [self.encode(continuation) for continuation in continuations]
            if ids and ids[0]:
                by_prefix.setdefault(prefix_ids, []).append((index, ids))
            else:
                results[index] = super().score_bounds([requests[index]])[0]
        trunk = _PrefixTrunk(self.model, self.device)
        with torch.inference_mode():
            for prefix_ids in sorted(by_prefix):
                cache, last_log_probs = trunk.extend_to(list(prefix_ids))
                passes: dict[tuple[int, ...], Any] = {}  # reference tokens -> its rows
                for index, ids in sorted(by_prefix[prefix_ids], key=lambda item: -len(item[1][0])):
                    reference = tuple(ids[0])
                    host = next((done for done in passes if done[: len(reference)] == reference), None)
                    if host is None:
                        host = reference
                        passes[host] = self._rows_after(cache, len(prefix_ids), last_log_probs, list(host))
                    rows = passes[host]
                    results[index] = bounds_from_rows(reference, lambda row, token, rows=rows: float(rows[row, token]),
                                                      ids)
        return [row if row is not None else [] for row in results]

    def _rows_after(self, prefix_cache: Any, prefix_length: int, last_log_probs: Any, ids: list[int]) -> Any:
        """Log-probabilities [len(ids) + 1, vocabulary]: row i is the distribution after the prefix and
        ids[:i]. The prefix cache is left as it was."""
        import torch

        output = self.model(
            input_ids=torch.tensor([ids], device=self.device),
            position_ids=torch.arange(prefix_length, prefix_length + len(ids), device=self.device).unsqueeze(0),
            past_key_values=prefix_cache, use_cache=True,
        )
        prefix_cache.crop(-len(ids))
        return torch.cat([last_log_probs.unsqueeze(0), output.logits[0].float().log_softmax(-1)]).cpu().numpy()

    def _score_continuations(self, prefix_cache: Any, prefix_length: int, last_log_probs: Any,
                             rows: list[list[int]]) -> list[float]:
        # The continuations' common start runs once on a copy of the prefix's keys and values; then the
        # rest of every continuation runs in one padded batch on copies of that.
        import copy

        import torch

        if not rows:
            return []
        device = self.device
        shared = min(_common_prefix_length(rows), min(len(row) for row in rows) - 1)
        cache = copy.deepcopy(prefix_cache)
        common = float(last_log_probs[rows[0][0]]) if shared else 0.0
        predictor = last_log_probs  # predicts the first token after the shared part
        if shared:
            extended = self.model(
                input_ids=torch.tensor([rows[0][:shared]], device=device),
                position_ids=torch.arange(prefix_length, prefix_length + shared, device=device).unsqueeze(0),
                past_key_values=cache, use_cache=True,
            ).logits[0].float().log_softmax(-1)
            common += sum(float(extended[j - 1, rows[0][j]]) for j in range(1, shared))
            predictor = extended[shared - 1]
        start = prefix_length + shared
        suffixes = [row[shared:] for row in rows]
        longest = max(len(suffix) for suffix in suffixes)
        scores = [common + float(predictor[suffix[0]]) for suffix in suffixes]
        if longest > 1:
            pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
            cache.batch_repeat_interleave(len(rows))
            mask = torch.tensor([[1] * (start + len(sx)) + [0] * (longest - len(sx)) for sx in suffixes], device=device)
            logits = self.model(
                input_ids=torch.tensor([sx + [pad] * (longest - len(sx)) for sx in suffixes], device=device),
                attention_mask=mask,
                position_ids=torch.arange(start, start + longest, device=device).expand(len(rows), -1),
                past_key_values=cache, use_cache=True,
            ).logits
            for row, suffix in enumerate(suffixes):
                if len(suffix) > 1:
                    predicted = logits[row, : len(suffix) - 1].float().log_softmax(-1)
                    targets = torch.tensor(suffix[1:], device=device)
                    scores[row] += float(predicted.gather(-1, targets.unsqueeze(-1)).sum())
        return scores

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


class _PrefixTrunk:
    """One KV cache that follows a sequence of prefixes, cropped back to what the next one shares."""

    def __init__(self, model: Any, device: Any):
        self.model, self.device = model, device
        self.ids: list[int] = []
        self.cache: Any = None

    def extend_to(self, prefix_ids: list[int]) -> tuple[Any, Any]:
        """The cache holding exactly `prefix_ids` and the log-probabilities of the token after them."""
        import torch

        shared = 0
        limit = min(len(self.ids), len(prefix_ids) - 1)  # at least one token runs: its logits are needed
        while shared < limit and self.ids[shared] == prefix_ids[shared]:
            shared += 1
        if self.cache is not None and shared < len(self.ids):
            try:
                self.cache.crop(shared - len(self.ids))  # transformers >= 5.x: a negative count removes tokens
            except ValueError:
                self.cache.crop(shared)  # earlier releases: the length to keep
        if shared == 0:
            self.cache = None
        new = prefix_ids[shared:]
        output = self.model(
            input_ids=torch.tensor([new], device=self.device),
            position_ids=torch.arange(shared, len(prefix_ids), device=self.device).unsqueeze(0),
            past_key_values=self.cache, use_cache=True, logits_to_keep=1,
        )
        self.cache, self.ids = output.past_key_values, list(prefix_ids)
        return self.cache, output.logits[0, -1].float().log_softmax(-1)


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

"""The engine interface: every model call in spelltune goes through one of these.

An engine holds one loaded model and answers two questions about rendered prompts (strings built by
`spelltune.prompt`, never by the engine):

- `generate(prompts, max_new_tokens)`: the greedy continuation of each prompt, up to the model's end
  of turn or end of sequence, decoded without special tokens;
- `score_many(requests)`: for each (prefix, continuations) request, the log-probability (nats) of each
  continuation after its prefix.

Token boundaries are the same on every backend: a prefix and a continuation are tokenized separately
(no special tokens added) and concatenated, so `score_many([(p, [c])])` is `[[log P(ids(c) | ids(p))]]`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from spelltune.engine.bounds import ScoreBound


@dataclass(frozen=True)
class EngineInfo:
    """A backend as `spelltune engines` lists it: what it is, what it needs, whether it is usable here."""

    name: str
    description: str
    requires: str  # what to install, as a user would type it
    available: bool


# Texts whose token ids an engine keeps (a few batches of prompts and their variants).
ENCODED_TEXTS_KEPT = 8192


class Engine(ABC):
    """One loaded model behind `generate` and `score_many`; load it once, call it from many places."""

    #: backend name, as `--engine` spells it
    backend: str = ""

    def __init__(self, spec: str, name: str, tokenizer: Any):
        self.spec = spec  # the model spec it was loaded from
        self.name = name  # a short display name for tables and logs
        self.tokenizer = tokenizer  # a Hugging Face tokenizer; prompts are rendered with it
        self._encoded: dict[str, tuple[int, ...]] = {}  # text -> token ids: a prompt is split once

    # -- generation -------------------------------------------------------------------------------

    @abstractmethod
    def generate(
        self,
        prompts: Sequence[str],
        max_new_tokens: int | Sequence[int],
        *,
        batch_size: int = 16,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[str]:
        """Greedy continuations of `prompts` (in order), each stopped at an end token or its budget.

        `max_new_tokens` is one budget for all prompts or one per prompt. Prompts are run in batches
        of `batch_size` in the order given (callers sort by length); `on_progress(n)` after each batch.
        """

    # -- scoring ----------------------------------------------------------------------------------

    @abstractmethod
    def score_many(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """Log-probability (nats) of each continuation's tokens after its prefix, for each (prefix, continuations)
        request; backends share work across requests."""

    def score_bounds(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[ScoreBound]]:
        """For each continuation of each request, its score or an upper bound on it, cheaply.

        One pass over a reference sequence (the first continuation, or what the model has just
        generated after that prefix) scores it exactly and bounds every other continuation by its
        tokens up to and including the one where it leaves the reference: every later token can only
        lower the score (spelltune/engine/bounds.py). A caller scores exactly, with `score_many`, only
        the continuations that can still win. Backends without a cheaper way give exact scores.
        """
        return [[ScoreBound(value, True) for value in row] for row in self.score_many(requests)]

    # -- inspection (parity checks) ---------------------------------------------------------------

    def next_token_logits(self, prompts: Sequence[str]) -> Any:
        """Logits (numpy array, batch x vocabulary) for the token after each prompt; for parity checks."""
        raise NotImplementedError(f"the {self.backend} engine does not expose logits")

    # -- helpers shared by backends ---------------------------------------------------------------

    def encode(self, text: str) -> list[int]:
        """Token ids of `text` with no special tokens added (special tokens written in it are kept).

        Texts are split once (the same prompt is scored for every word of its sentence)."""
        ids = self._encoded.get(text)
        if ids is None:
            if len(self._encoded) >= ENCODED_TEXTS_KEPT:
                self._encoded.clear()
            ids = self._encoded[text] = tuple(self.tokenizer(text, add_special_tokens=False).input_ids)
        return list(ids)

    def stop_token_ids(self) -> list[int]:
        """Ids that end a generation: the tokenizer's EOS and the chat template's end of turn."""
        ids: set[int] = set(getattr(self, "_extra_stop_ids", ()) or ())
        if self.tokenizer.eos_token_id is not None:
            ids.add(self.tokenizer.eos_token_id)
        vocab = self.tokenizer.get_vocab()
        for marker in ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>"):
            if marker in vocab:
                ids.add(vocab[marker])
        return sorted(ids)

    def parameter_count(self) -> int | None:
        """How many parameters the model has, where the backend can tell."""
        return None

    def close(self) -> None:
        """Free what the engine holds (models, sessions). Optional."""


def budgets(max_new_tokens: int | Sequence[int], count: int) -> list[int]:
    """One new-token budget per prompt from an int or a sequence."""
    if isinstance(max_new_tokens, int):
        return [max_new_tokens] * count
    values = list(max_new_tokens)
    if len(values) != count:
        raise ValueError(f"{len(values)} budgets for {count} prompts")
    return values


def generate_in_batches(generate_batch: Callable[[list[str], list[int]], list[str]], prompts: Sequence[str],
                        max_new_tokens: int | Sequence[int], batch_size: int,
                        on_progress: Callable[[int], None] | None = None) -> list[str]:
    """Run `generate_batch(prompts, budgets)` over consecutive batches, reporting progress after each."""
    limits = budgets(max_new_tokens, len(prompts))
    outputs: list[str] = []
    for first in range(0, len(prompts), max(1, batch_size)):
        batch = list(prompts[first : first + batch_size])
        outputs += generate_batch(batch, limits[first : first + len(batch)])
        if on_progress:
            on_progress(len(batch))
    return outputs

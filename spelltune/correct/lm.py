"""The language-model corrector: batched, left-padded greedy generation behind the guard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from spelltune.correct.corrector import Correction, Edit, Rejection
from spelltune.correct.guard import GuardConfig, guard_correction
from spelltune.correct.rescore import CandidateRescorer, RescoreSettings
from spelltune.correct.segment import Piece, needs_model, split_into_pieces
from spelltune.models.loading import LoadedModel
from spelltune.prompt import build_prompt, parse_completion


@dataclass
class GenerationSettings:
    """How the model generates: greedy, with a length budget relative to the input."""

    # New-token budget: input tokens * length_factor + length_margin, capped at max_new_tokens.
    length_factor: float = 1.5
    length_margin: int = 8
    max_new_tokens: int = 256
    # Words per piece; longer lines are split at sentence and clause ends (nothing is truncated).
    max_words_per_piece: int = 40
    # At batch size 1, draft tokens from the input (the output mostly copies it): ~1.6x faster.
    prompt_lookup_tokens: int = 10
    guard: GuardConfig = field(default_factory=GuardConfig)
    # Misspellings left after the guard: dictionary candidates scored by the model in context.
    rescore: RescoreSettings = field(default_factory=RescoreSettings)


class LMCorrector:
    """Corrects lines with a causal LM: split into pieces, generate in batches, guard every edit, then
    let the model choose among dictionary spellings for the misspellings still left."""

    def __init__(self, loaded: LoadedModel, batch_size: int = 16, settings: GenerationSettings | None = None):
        self.loaded = loaded
        self.name = loaded.name
        self.batch_size = max(1, batch_size)
        self.settings = settings or GenerationSettings()
        self.tokenizer = loaded.tokenizer
        self.tokenizer.padding_side = "left"
        self.rescorer = CandidateRescorer(loaded, self.settings.rescore)

    def correct_lines(
        self, lines: list[str], on_progress: Callable[[int], None] | None = None
    ) -> list[Correction]:
        """One Correction per line, in order; `on_progress(n)` is called as n more pieces finish."""
        pieces_by_line = [split_into_pieces(line, self.settings.max_words_per_piece) for line in lines]
        pending = sorted({p.text for pieces in pieces_by_line for p in pieces if needs_model(p.text)})
        corrected = self.correct_pieces(pending, on_progress)
        return [self._assemble(line, pieces, corrected) for line, pieces in zip(lines, pieces_by_line)]

    def correct_pieces(
        self, texts: list[str], on_progress: Callable[[int], None] | None = None
    ) -> dict[str, Correction]:
        """The guarded, rescored correction of each piece of text (batch by batch, for honest progress)."""
        corrections: dict[str, Correction] = {}
        for batch, generated in self._generated_batches(texts):
            guarded = [guard_correction(text, parse_completion(g), self.settings.guard) for text, g in zip(batch, generated)]
            rescored = self.rescorer.rescore_many([(text, g.output) for text, g in zip(batch, guarded)])
            for text, first, second in zip(batch, guarded, rescored):
                corrections[text] = self._guard_again(text, first, second)
            if on_progress:
                on_progress(len(batch))
        return corrections

    def _guard_again(self, text: str, guarded: Correction, rescored: str) -> Correction:
        if rescored == guarded.output:
            return guarded
        final = guard_correction(text, rescored, self.settings.guard)
        return Correction(input=text, output=final.output, edits=final.edits,
                          rejected=guarded.rejected + [r for r in final.rejected if r not in guarded.rejected])

    def _assemble(self, line: str, pieces: list[Piece], corrections: dict[str, Correction]) -> Correction:
        edits: list[Edit] = []
        rejected: list[Rejection] = []
        output_parts, cursor = [], 0
        for piece in pieces:
            output_parts.append(line[cursor : piece.start])
            cursor = piece.end
            if piece.text not in corrections:
                output_parts.append(piece.text)
                continue
            corrected = corrections[piece.text]
            output_parts.append(corrected.output)
            edits.extend(
                replace(e, start=e.start + piece.start, end=e.end + piece.start) for e in corrected.edits
            )
            rejected.extend(
                replace(r, start=r.start + piece.start, end=r.end + piece.start) if r.start is not None else r
                for r in corrected.rejected
            )
        output_parts.append(line[cursor:])
        return Correction(input=line, output="".join(output_parts), edits=edits, rejected=rejected)

    def generate(self, texts: list[str], on_progress: Callable[[int], None] | None = None) -> dict[str, str]:
        """The model's raw proposal for each text (unguarded, not rescored), in length-sorted batches."""
        proposals: dict[str, str] = {}
        for batch, generated in self._generated_batches(texts):
            proposals.update((text, parse_completion(g)) for text, g in zip(batch, generated))
            if on_progress:
                on_progress(len(batch))
        return proposals

    def _generated_batches(self, texts: list[str]) -> Iterator[tuple[list[str], list[str]]]:
        if not texts:
            return
        lengths = {text: len(self.tokenizer(text, add_special_tokens=False).input_ids) for text in texts}
        ordered = sorted(texts, key=lambda text: (lengths[text], text))
        for first in range(0, len(ordered), self.batch_size):
            batch = ordered[first : first + self.batch_size]
            yield batch, self._generate_batch(batch, max(lengths[text] for text in batch))

    def _generate_batch(self, texts: list[str], longest_input: int) -> list[str]:
        import torch
        from transformers import GenerationConfig

        model, tokenizer = self.loaded.model, self.tokenizer
        prompts = [build_prompt(tokenizer, text) for text in texts]
        encoded = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
        budget = int(longest_input * self.settings.length_factor) + self.settings.length_margin
        config = GenerationConfig(
            do_sample=False,
            num_beams=1,
            max_new_tokens=min(budget, self.settings.max_new_tokens),
            eos_token_id=_stop_token_ids(model, tokenizer),
            pad_token_id=tokenizer.pad_token_id,
        )
        if len(texts) == 1 and self.settings.prompt_lookup_tokens:
            config.prompt_lookup_num_tokens = self.settings.prompt_lookup_tokens
        with torch.inference_mode():
            output = model.generate(**encoded, generation_config=config)
        new_tokens = output[:, encoded["input_ids"].shape[1] :]
        return tokenizer.batch_decode(new_tokens, skip_special_tokens=True)


def _stop_token_ids(model, tokenizer) -> list[int]:
    ids: set[int] = set()
    configured = getattr(model.generation_config, "eos_token_id", None)
    if isinstance(configured, int):
        ids.add(configured)
    elif configured:
        ids.update(configured)
    if tokenizer.eos_token_id is not None:
        ids.add(tokenizer.eos_token_id)
    end_of_turn = tokenizer.convert_tokens_to_ids("<|im_end|>") if "<|im_end|>" in tokenizer.get_vocab() else None
    if end_of_turn is not None:
        ids.add(end_of_turn)
    return sorted(ids)

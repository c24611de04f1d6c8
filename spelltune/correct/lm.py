"""The language-model corrector: pieces generated in length-sorted batches, every edit guarded, then a
second pass over the misspellings left. All model calls go through an Engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from spelltune.correct.config import CorrectorConfig, GenerationSettings
from spelltune.correct.corrector import Correction, Edit, Rejection
from spelltune.correct.guard import guard_correction
from spelltune.correct.rescore import CandidateRescorer
from spelltune.correct.segment import Piece, needs_model, split_into_pieces
from spelltune.engine.base import Engine
from spelltune.prompt import parse_completion

__all__ = ["GenerationSettings", "LMCorrector"]


class LMCorrector:
    """Corrects lines with a causal LM: split into pieces, generate in batches, guard every edit, then
    let the model choose among dictionary spellings for the misspellings still left."""

    #: `correct_lines` takes `on_progress` (`spelltune fix` shows its progress bar by it)
    reports_progress = True

    def __init__(self, engine: Engine, config: CorrectorConfig | None = None, batch_size: int | None = None):
        self.engine = engine
        self.name = engine.name
        self.config = config or CorrectorConfig()
        self.batch_size = max(1, batch_size or self.config.engine.batch_size)
        self.rescorer = CandidateRescorer(engine, self.config.rescore, self.config.guard)

    @property
    def settings(self) -> GenerationSettings:
        """The generation settings (length budget, piece size)."""
        return self.config.generation

    def correct_lines(
        self, lines: list[str], on_progress: Callable[[int], None] | None = None,
        proposals: dict[str, str] | None = None,
    ) -> list[Correction]:
        """One Correction per line, in order; `on_progress(n)` is called as n more pieces finish.

        `proposals`, when given, receives the model's raw (unguarded) output for each piece.
        """
        pieces_by_line = [split_into_pieces(line, self.settings.max_words_per_piece) for line in lines]
        pending = sorted({p.text for pieces in pieces_by_line for p in pieces if needs_model(p.text)})
        corrected = self.correct_pieces(pending, on_progress, proposals)
        return [self._assemble(line, pieces, corrected) for line, pieces in zip(lines, pieces_by_line)]

    def correct_pieces(
        self, texts: list[str], on_progress: Callable[[int], None] | None = None,
        proposals: dict[str, str] | None = None,
    ) -> dict[str, Correction]:
        """The guarded, rescored correction of each piece of text (batch by batch, for honest progress)."""
        guard = self.config.guard
        corrections: dict[str, Correction] = {}
        for batch, generated in self._generated_batches(texts):
            parsed = [parse_completion(g) for g in generated]
            if proposals is not None:
                proposals.update(zip(batch, parsed))
            guarded = [guard_correction(text, proposal, guard) for text, proposal in zip(batch, parsed)]
            rescored = self.rescorer.rescore_many([(text, g.output) for text, g in zip(batch, guarded)])
            for text, first, second in zip(batch, guarded, rescored):
                corrections[text] = self._guard_again(text, first, second)
            if on_progress:
                on_progress(len(batch))
        return corrections

    def _guard_again(self, text: str, guarded: Correction, rescored: str) -> Correction:
        if rescored == guarded.output:
            return guarded
        final = guard_correction(text, rescored, self.config.guard)
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

    def _generated_batches(self, texts: list[str]) -> Iterator[tuple[list[str], list[str]]]:
        if not texts:
            return
        settings, engine = self.settings, self.engine
        lengths = {text: len(engine.encode(text)) for text in texts}
        ordered = sorted(texts, key=lambda text: (lengths[text], text))
        for first in range(0, len(ordered), self.batch_size):
            batch = ordered[first : first + self.batch_size]
            prompts = [self.rescorer.prompt_for(text) for text in batch]
            limits = [min(int(lengths[text] * settings.length_factor) + settings.length_margin,
                          settings.max_new_tokens) for text in batch]
            yield batch, engine.generate(prompts, limits, batch_size=len(batch))

"""The language-model corrector: pieces generated in length-sorted batches, every edit guarded, then a
second pass over the misspellings left. All model calls go through an Engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace

from spelltune.correct.config import CorrectorConfig, GenerationSettings
from spelltune.correct.corrector import Correction, Edit, Rejection
from spelltune.correct.guard import guard_correction
from spelltune.correct.preferences import NO_PREFERENCES, SpellingPreferences
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
    #: `correct_lines` takes `preferences`, one writer's spelling preferences per line
    takes_preferences = True

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
        preferences: Sequence[SpellingPreferences | Mapping[str, str] | None] | None = None,
    ) -> list[Correction]:
        """One Correction per line, in order; `on_progress(n)` is called as n more pieces finish.

        `proposals`, when given, receives the model's raw (unguarded) output for each piece.
        `preferences[i]`, when given, are the spelling preferences of whoever wrote line i (a
        `SpellingPreferences`, a plain `{misspelling: word}` mapping, or None): the second pass favours the
        words they chose before. Lines of different writers are still generated together.
        """
        if preferences is not None and len(preferences) != len(lines):
            raise ValueError(f"{len(preferences)} preferences for {len(lines)} lines: give one per line (None for none)")
        wanted = ([SpellingPreferences.of(item) for item in preferences] if preferences is not None
                  else [NO_PREFERENCES] * len(lines))
        pieces_by_line = [split_into_pieces(line, self.settings.max_words_per_piece) for line in lines]
        requests: dict[str, dict[SpellingPreferences, None]] = {}
        for pieces, writer in zip(pieces_by_line, wanted):
            for piece in pieces:
                if needs_model(piece.text):
                    requests.setdefault(piece.text, {})[writer] = None
        corrected = self._correct_requests(requests, on_progress, proposals)
        return [self._assemble(line, pieces, corrected, writer)
                for line, pieces, writer in zip(lines, pieces_by_line, wanted)]

    def correct_pieces(
        self, texts: list[str], on_progress: Callable[[int], None] | None = None,
        proposals: dict[str, str] | None = None, preferences: SpellingPreferences | Mapping[str, str] | None = None,
    ) -> dict[str, Correction]:
        """The guarded, rescored correction of each piece of text (batch by batch, for honest progress), with
        one writer's spelling `preferences` if given."""
        writer = SpellingPreferences.of(preferences)
        corrected = self._correct_requests({text: {writer: None} for text in texts}, on_progress, proposals)
        return {text: corrected[(text, writer)] for text in texts}

    def _correct_requests(
        self, requests: dict[str, dict[SpellingPreferences, None]], on_progress: Callable[[int], None] | None,
        proposals: dict[str, str] | None,
    ) -> dict[tuple[str, SpellingPreferences], Correction]:
        """Each piece generated once, and rescored once per set of preferences it was asked with."""
        guard = self.config.guard
        corrections: dict[tuple[str, SpellingPreferences], Correction] = {}
        for batch, generated in self._generated_batches(sorted(requests)):
            parsed = [parse_completion(g) for g in generated]
            if proposals is not None:
                proposals.update(zip(batch, parsed))
            guarded = {text: guard_correction(text, proposal, guard) for text, proposal in zip(batch, parsed)}
            jobs = [(text, writer) for text in batch for writer in requests[text]]
            rescored = self.rescorer.rescore_many([(text, guarded[text].output) for text, _ in jobs],
                                                  [writer for _, writer in jobs])
            for (text, writer), second in zip(jobs, rescored):
                corrections[(text, writer)] = self._guard_again(text, guarded[text], second)
            if on_progress:
                on_progress(len(batch))
        return corrections

    def _guard_again(self, text: str, guarded: Correction, rescored: str) -> Correction:
        if rescored == guarded.output:
            return guarded
        final = guard_correction(text, rescored, self.config.guard)
        return Correction(input=text, output=final.output, edits=final.edits,
                          rejected=guarded.rejected + [r for r in final.rejected if r not in guarded.rejected])

    def _assemble(self, line: str, pieces: list[Piece], corrections: dict[tuple[str, SpellingPreferences], Correction],
                  writer: SpellingPreferences) -> Correction:
        edits: list[Edit] = []
        rejected: list[Rejection] = []
        output_parts, cursor = [], 0
        for piece in pieces:
            output_parts.append(line[cursor : piece.start])
            cursor = piece.end
            corrected = corrections.get((piece.text, writer))
            if corrected is None:
                output_parts.append(piece.text)
                continue
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

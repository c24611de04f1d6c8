"""Second pass for misspellings the generator left: dictionary candidates, chosen by the model in context.

A small model often sees a misspelling but cannot produce its fix greedily: it wanders into another
word ("tought" -> "told"), which the guard refuses, and the misspelling stays. Here every word of the
guarded output that is in neither word list (and not a name, URL, number or code) gets its dictionary
neighbours within two edits (SymSpell), and the correction model itself scores each variant of the
whole sentence: the log-probability of writing it as the correction of the input. Context decides
between "which" and "wish" for "wich"; a name the model would copy keeps its spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spelltune.correct.dictionary import known_words, load_symspell, match_case
from spelltune.correct.protected import ends_sentence, protected_kind, strip_edge_punctuation
from spelltune.models.loading import LoadedModel
from spelltune.prompt import build_training_example

_PLAIN_WORD = re.compile(r"^[A-Za-z]+$")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class RescoreSettings:
    """Which words get a second look and how much evidence a replacement needs."""

    enabled: bool = True
    max_candidates: int = 8  # dictionary words per misspelling, closest and most frequent first
    max_edit_distance: int = 2
    # Log-probability (nats) a candidate pays per edit: the closer spelling wins unless context says otherwise.
    distance_penalty: float = 1.0
    # Nats that keeping a word the dictionary does not know pays. The model learned to copy most of its
    # input, so it favours writing a misspelling again; a missed error costs the writer more than a
    # suggestion they reject. Names in capitals are never candidates (see find_misspellings).
    unknown_word_penalty: float = 3.0
    min_word_length: int = 3  # shorter non-words ("u", "ur") are chat style or abbreviations


@dataclass(frozen=True)
class Misspelling:
    """A word of the text (characters `start:end`) that the dictionary does not know."""

    start: int
    end: int
    word: str


def find_misspellings(text: str, settings: RescoreSettings) -> list[Misspelling]:
    """Plain alphabetic words of `text` missing from the dictionary, skipping names, acronyms and code."""
    found: list[Misspelling] = []
    sentence_start = True
    for match in _TOKEN.finditer(text):
        token = match.group()
        core = strip_edge_punctuation(token)
        starts_here = sentence_start
        sentence_start = ends_sentence(token)
        if not _PLAIN_WORD.match(core) or len(core) < settings.min_word_length:
            continue
        if protected_kind(token, starts_here) is not None or core.lower() in known_words():
            continue
        offset = match.start() + token.index(core)
        found.append(Misspelling(offset, offset + len(core), core))
    return found


def dictionary_candidates(word: str, settings: RescoreSettings) -> list[tuple[str, int]]:
    """Dictionary words within `max_edit_distance` of `word`, in its case, with their distance."""
    from symspellpy import Verbosity

    suggestions = load_symspell().lookup(word.lower(), Verbosity.ALL, max_edit_distance=settings.max_edit_distance,
                                         transfer_casing=False)
    ranked = sorted(suggestions, key=lambda s: (s.distance, -s.count, s.term))[: settings.max_candidates]
    return [(match_case(word, s.term), s.distance) for s in ranked]


class CandidateRescorer:
    """Replaces the misspellings left in a correction with the candidate the model finds likeliest."""

    def __init__(self, loaded: LoadedModel, settings: RescoreSettings | None = None):
        self.model = loaded.model
        self.tokenizer = loaded.tokenizer
        self.settings = settings or RescoreSettings()

    def rescore(self, source: str, corrected: str) -> str:
        """`corrected` (the guarded correction of `source`) with its remaining misspellings resolved one at a time."""
        if not self.settings.enabled:
            return corrected
        text = corrected
        # Last word first, so the offsets of the words before it stay valid.
        for misspelling in reversed(find_misspellings(corrected, self.settings)):
            candidates = dictionary_candidates(misspelling.word, self.settings)
            if not candidates:
                continue
            variants = [misspelling.word] + [word for word, _ in candidates]
            penalties = [self.settings.unknown_word_penalty] + [self.settings.distance_penalty * distance for _, distance in candidates]
            texts = [text[: misspelling.start] + variant + text[misspelling.end :] for variant in variants]
            scores = [s - p for s, p in zip(self.completion_log_probs(source, texts), penalties)]
            best = max(range(len(texts)), key=lambda i: scores[i])
            if best:
                text = texts[best]
        return text

    def completion_log_probs(self, source: str, completions: list[str]) -> list[float]:
        """Log-probability of writing each of `completions` (and the end of turn) as the correction of `source`."""
        import torch

        tokenizer = self.tokenizer
        examples = [build_training_example(tokenizer, source, completion) for completion in completions]
        prompt_ids = tokenizer(examples[0].prompt, add_special_tokens=False).input_ids
        completion_ids = [tokenizer(e.completion, add_special_tokens=False).input_ids for e in examples]
        longest = max(len(ids) for ids in completion_ids)
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        rows = [prompt_ids + ids + [pad] * (longest - len(ids)) for ids in completion_ids]
        mask = [[1] * (len(prompt_ids) + len(ids)) + [0] * (longest - len(ids)) for ids in completion_ids]
        device = self.model.device
        input_ids = torch.tensor(rows, device=device)
        with torch.inference_mode():
            logits = self.model(input_ids=input_ids, attention_mask=torch.tensor(mask, device=device)).logits
        # Position t predicts token t + 1: the completion's tokens are predicted from len(prompt) - 1 on.
        predicted = logits[:, len(prompt_ids) - 1 : -1, :].float().log_softmax(-1)
        targets = input_ids[:, len(prompt_ids) :]
        token_scores = predicted.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        scores = []
        for row, ids in enumerate(completion_ids):
            scores.append(float(token_scores[row, : len(ids)].sum()))
        return scores


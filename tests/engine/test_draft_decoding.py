"""Drafted greedy decoding: the same tokens as one-token-at-a-time greedy decoding, in fewer passes."""

from __future__ import annotations

import pytest

from spelltune.engine import load_engine
from spelltune.engine.draft_decoding import draft_decode, draft_from
from spelltune.prompt import build_prompt

SENTENCES = ["I beleive this is teh correct answr.", "we shud go home now", "This sentence is fine.",
             "Meet Jhon at 5pm today.", "Please rewrite me now.", "Ther cat sat on teh mat."]


@pytest.mark.parametrize("model_fixture", ["trained_tiny_model_dir", "tiny_model_dir"])
def test_drafted_decoding_gives_greedy_decodings_tokens(model_fixture, request):
    engine = load_engine(str(request.getfixturevalue(model_fixture)), engine="torch", device="cpu")
    prompts = [build_prompt(engine.tokenizer, text) for text in SENTENCES]
    engine.draft_tokens = 0
    greedy = [engine.generate([prompt], budget, batch_size=1)[0] for prompt in prompts for budget in (40, 3)]
    engine.draft_tokens = 48
    drafted = [engine.generate([prompt], budget, batch_size=1)[0] for prompt in prompts for budget in (40, 3)]
    assert drafted == greedy  # budgets cut the same way too


def test_copied_text_takes_a_few_passes_not_one_per_token(trained_tiny_model_dir):
    engine = load_engine(str(trained_tiny_model_dir), engine="torch", device="cpu")
    stops = engine.stop_token_ids()
    import torch

    with torch.inference_mode():
        ids, stats = draft_decode(engine.model, engine.encode(build_prompt(engine.tokenizer, "This sentence is fine.")),
                                  40, stops, engine._starts_word)
    assert engine.tokenizer.decode(ids) == "This sentence is fine."
    assert stats.passes <= 3 < len(ids)  # the prompt, then the whole copy checked at once


def test_a_draft_resumes_after_the_last_matching_tokens_or_at_the_next_word():
    prompt = [1, 2, 10, 11, 12, 13, 14, 3]
    starts = {10, 12, 13, 14}.__contains__
    assert draft_from(prompt, [10], None, starts, 4) == ([11, 12, 13, 14], 3)  # first token: found from the end
    assert draft_from(prompt, [10, 11, 12], 5, starts, 2) == ([13, 14], 5)
    assert draft_from(prompt, [10, 11, 99], 4, starts, 3) == ([12, 13, 14][1:] + [3], 5)  # replaced: next word
    assert draft_from(prompt, [99], None, starts, 3) == ([], None)

"""A writer's spelling preferences: passed per line, favoured by the second pass, always behind the guard."""

from __future__ import annotations

import pytest

from spelltune.correct.guard import GuardConfig
from spelltune.correct.lm import LMCorrector
from spelltune.correct.preferences import NO_PREFERENCES, SpellingPreferences
from spelltune.correct.rescore import CandidateRescorer, RescoreSettings, find_slots
from spelltune.engine.base import Engine
from spelltune.prompt import build_prompt

SETTINGS = RescoreSettings()


class _PlainTokenizer:
    """Just enough tokenizer: no chat template (the plain prompt format), one id per character."""

    chat_template = None
    eos_token = "</s>"

    def __call__(self, text, add_special_tokens=False):
        return type("Encoded", (), {"input_ids": [ord(char) for char in text]})()


class ScriptedEngine(Engine):
    """Generates the output scripted for each input and scores each sentence from a table."""

    backend = "scripted"

    def __init__(self, outputs: dict[str, str], table: dict[str, float]):
        super().__init__("scripted", "scripted", _PlainTokenizer())
        self.outputs = {build_prompt(self.tokenizer, text): output for text, output in outputs.items()}
        self.table = table
        self.generated: list[str] = []

    def generate(self, prompts, max_new_tokens, *, batch_size=16, on_progress=None):
        self.generated += list(prompts)
        return [self.outputs[prompt] for prompt in prompts]

    def score_many(self, requests):
        return [[self.table.get(c.removesuffix("</s>").strip(), -50.0) for c in continuations]
                for _, continuations in requests]


def test_preferences_match_without_case_and_answer_in_the_writers_case():
    preferences = SpellingPreferences.of({"Becuase": "because", "teh": "the"})
    assert preferences.preferred("becuase") == "because"
    assert preferences.preferred("BECUASE") == "BECAUSE"
    assert preferences.preferred("Teh") == "The"
    assert preferences.preferred("thier") is None
    assert SpellingPreferences.of({"teh": "the"}) == SpellingPreferences.of({"TEH": "the"})
    assert hash(SpellingPreferences.of({"teh": "the"})) == hash(SpellingPreferences.of({"teh": "the"}))
    assert not SpellingPreferences.of({}) and not SpellingPreferences.of(None) and NO_PREFERENCES == SpellingPreferences()


def test_a_preference_that_only_changes_case_is_no_preference():
    assert SpellingPreferences.of({"leeds": "Leeds"}).preferred("leeds") is None


def test_a_preferred_word_beyond_the_dictionarys_reach_becomes_a_favoured_candidate():
    text = "i came becos it rained"
    [plain] = [slot for slot in find_slots(text, text, SETTINGS, GuardConfig()) if slot.written == "becos"]
    assert "because" not in plain.variants and plain.favoured == ""
    [slot] = [slot for slot in find_slots(text, text, SETTINGS, GuardConfig(), SpellingPreferences.of({"becos": "because"}))
              if slot.written == "becos"]
    assert slot.favoured == "because" and "because" in slot.variants
    penalties = dict(zip(slot.variants, slot.penalties(SETTINGS)))
    # Forgiven the bonus, on top of what its spelling distance costs.
    assert penalties["because"] == pytest.approx(slot.distances[slot.variants.index("because")] - SETTINGS.preference_bonus)


def test_the_favoured_word_wins_for_its_writer_only_and_the_model_can_still_overrule_it():
    table = {"the dook is here": -30.0, "the book is here": -10.0, "the door is here": -9.8}
    rescorer = CandidateRescorer(ScriptedEngine({}, table), RescoreSettings(mirror_letter_cost=1.0))
    pair = ("the dook is here", "the dook is here")
    mine, theirs = SpellingPreferences.of({"dook": "book"}), SpellingPreferences.of({"dook": "door"})
    assert rescorer.rescore_many([pair]) == ["the door is here"]
    assert rescorer.rescore_many([pair, pair, pair], [mine, theirs, None]) == \
        ["the book is here", "the door is here", "the door is here"]
    # A bonus smaller than the model's certainty does not decide.
    sure = CandidateRescorer(ScriptedEngine({}, {**table, "the door is here": -2.0}), SETTINGS)
    assert sure.rescore_many([pair], [mine]) == ["the door is here"]
    with pytest.raises(ValueError, match="one per sentence"):
        rescorer.rescore_many([pair], [mine, theirs])


def test_a_preference_never_reaches_a_name_a_known_word_or_a_change_the_guard_refuses():
    guard = GuardConfig()
    name = find_slots("we met Jhon today", "we met Jhon today", SETTINGS, guard, SpellingPreferences.of({"jhon": "John"}))
    assert name == []
    known = find_slots("we came form the bank", "we came form the bank", SETTINGS, guard,
                       SpellingPreferences.of({"form": "farm"}))
    assert all(slot.favoured == "" and "farm" not in slot.variants for slot in known)
    # "was" would drop the negation of "wasnt": the guard takes it out, favoured or not.
    [negation] = find_slots("it wasnt me", "it wasnt me", SETTINGS, guard, SpellingPreferences.of({"wasnt": "was"}))
    assert "was" not in negation.variants and negation.favoured == ""


def test_lines_of_different_writers_are_generated_once_and_rescored_per_writer():
    line = "the dook is here"
    table = {"the dook is here": -30.0, "the book is here": -10.0, "the door is here": -9.8}
    engine = ScriptedEngine({line: line}, table)
    corrector = LMCorrector(engine)
    corrections = corrector.correct_lines([line, line, line], preferences=[{"dook": "book"}, None, {"dook": "door"}])
    assert [c.output for c in corrections] == ["the book is here", "the door is here", "the door is here"]
    assert len(engine.generated) == 1  # one piece text, generated once for all three writers
    assert [(e.original, e.replacement) for e in corrections[0].edits] == [("dook", "book")]
    assert all(line[e.start:e.end] == e.original for c in corrections for e in c.edits)
    assert corrector.takes_preferences
    with pytest.raises(ValueError, match="one per line"):
        corrector.correct_lines([line], preferences=[None, None])

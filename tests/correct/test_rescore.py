"""The second pass: which words get dictionary candidates, and how the model's scores pick among them."""

from __future__ import annotations

import pytest

from spelltune.correct.rescore import (CandidateRescorer, RescoreSettings, accent_typo_plain_form,
                                       dictionary_candidates, find_misspellings, find_slots)
from spelltune.engine.base import Engine
from spelltune.engine.bounds import ScoreBound

SETTINGS = RescoreSettings()


def test_only_unknown_plain_words_are_looked_at_again():
    text = "Teh cat and Jhon sat on teh mat at 5pm, see www.exmaple.com or run my_fucntion() ok NASA thnx."
    found = find_misspellings(text, SETTINGS)
    assert [m.word for m in found] == ["Teh", "teh", "thnx"]
    assert all(text[m.start : m.end] == m.word for m in found)
    # A capitalised word after a full stop starts a sentence, so it is not taken for a name.
    assert [m.word for m in find_misspellings("It rained. Teh end.", SETTINGS)] == ["Teh"]
    # So does the first word of a list item; a capitalised word after a dash inside a line is a name.
    for item in ("- Recieved it", "• Recieved it", "3) Recieved it", "(b) Recieved it"):
        assert [m.word for m in find_misspellings(item, SETTINGS)] == ["Recieved"], item
    assert find_misspellings("I went home - Siobhn was there", SETTINGS) == []


def test_words_shorter_than_the_minimum_are_left_as_written():
    assert [m.word for m in find_misspellings("thx a lot", SETTINGS)] == ["thx"]
    assert find_misspellings("thx a lot", RescoreSettings(min_word_length=4)) == []


def test_candidates_are_dictionary_words_in_the_writers_case():
    candidates = dictionary_candidates("Tought", SETTINGS)
    words = [word for word, _ in candidates]
    assert {"Taught", "Thought"} <= set(words)
    assert len(candidates) <= SETTINGS.max_candidates
    assert all(distance in (1, 2) for _, distance in candidates)
    assert [d for _, d in candidates] == sorted(d for _, d in candidates)  # closest first


class _PlainTokenizer:
    """Just enough tokenizer for prompts: no chat template, so the plain prompt format is used."""

    chat_template = None
    eos_token = "</s>"


class TableEngine(Engine):
    """An engine whose 'model' gives each text a log-probability from a table (decision logic only).

    Bounds are the table's values plus `looseness` (still upper bounds) except for the first continuation.
    """

    backend = "table"

    def __init__(self, table: dict[str, float], looseness: float | None = None):
        super().__init__("table", "table", _PlainTokenizer())
        self.table, self.looseness, self.scored = table, looseness, []

    def generate(self, prompts, max_new_tokens, *, batch_size=16, on_progress=None):
        raise NotImplementedError

    def _value(self, continuation: str) -> float:
        return self.table.get(continuation.removesuffix("</s>").strip(), -50.0)

    def score_many(self, requests):
        self.scored += [continuation for _, continuations in requests for continuation in continuations]
        return [[self._value(continuation) for continuation in continuations] for _, continuations in requests]

    def score_bounds(self, requests):
        if self.looseness is None:
            return super().score_bounds(requests)
        return [[ScoreBound(self._value(c), True) if i == 0 else ScoreBound(self._value(c) + self.looseness, False)
                 for i, c in enumerate(continuations)] for _, continuations in requests]


def _PreferringScorer(table: dict[str, float], settings: RescoreSettings, looseness: float | None = None):
    return CandidateRescorer(TableEngine(table, looseness), settings)


def test_keeping_an_unknown_word_pays_the_penalty_and_far_candidates_pay_per_edit():
    table = {"i was tought": -10.0, "i was taught": -11.0, "i was thought": -14.0}
    # The model's copy bias alone keeps the misspelling...
    pair = [("i was tought", "i was tought")]
    assert _PreferringScorer(table, RescoreSettings(unknown_word_penalty=0.0)).rescore_many(pair) == ["i was tought"]
    # ...the unknown-word penalty lets the likeliest dictionary spelling win.
    settings = RescoreSettings(unknown_word_penalty=3.0, distance_penalty=1.0)
    assert _PreferringScorer(table, settings).rescore_many(pair) == ["i was taught"]
    assert _PreferringScorer(table, RescoreSettings(enabled=False)).rescore_many(pair) == ["i was tought"]


def test_every_misspelling_of_a_sentence_is_resolved_with_offsets_intact():
    # Each word is decided with the others as written, then beside the others' decisions.
    table = {"teh cat sat on teh mat": -20.0, "teh cat sat on the mat": -12.0, "the cat sat on teh mat": -13.0,
             "the cat sat on the mat": -6.0, "i sea teh dog": -9.0, "i sea the dog": -4.0}
    rescorer = _PreferringScorer(table, RescoreSettings(unknown_word_penalty=3.0))
    assert rescorer.rescore_many([("teh cat sat on teh mat", "teh cat sat on teh mat"), ("i sea teh dog", "i sea teh dog")]) \
        == ["the cat sat on the mat", "i sea the dog"]


def test_log_probs_of_a_padded_batch_match_each_sequence_scored_alone(tiny_model_dir):
    import torch

    from spelltune.engine import load_engine
    from spelltune.prompt import build_training_example

    loaded = load_engine(str(tiny_model_dir), engine="torch", device="cpu", dtype="float32")
    rescorer = CandidateRescorer(loaded)
    requests = [
        ("i was tought to swim", ["i was taught to swim", "i was tought to swim", "i was thoroughly taught to swim today"]),
        ("teh end", ["the end", "ten end"]),
    ]
    batched = rescorer.batched_log_probs(requests)
    assert [len(scores) for scores in batched] == [3, 2]
    for (source, completions), scores in zip(requests, batched):
        for completion, score in zip(completions, scores):
            example = build_training_example(loaded.tokenizer, source, completion)
            prompt_ids = loaded.tokenizer(example.prompt, add_special_tokens=False).input_ids
            completion_ids = loaded.tokenizer(example.completion, add_special_tokens=False).input_ids
            ids = torch.tensor([prompt_ids + completion_ids])
            with torch.no_grad():
                log_probs = loaded.model(input_ids=ids).logits[0].log_softmax(-1)
            alone = sum(float(log_probs[len(prompt_ids) - 1 + i, token]) for i, token in enumerate(completion_ids))
            assert score == pytest.approx(alone, abs=1e-3)
    assert len({score for scores in batched for score in scores}) == 5


def test_a_guess_the_model_made_for_a_misspelling_competes_with_the_dictionary_spellings():
    slots = find_slots("i was carring it.", "i was car it.", SETTINGS)
    assert len(slots) == 1
    slot = slots[0]
    assert slot.variants[:2] == ["car", "carring"] and "carrying" in slot.variants
    assert slot.distances[:2] == [4, 0] and slot.known[:2] == [True, False]
    table = {"i was car it.": -9.0, "i was carring it.": -8.0, "i was carrying it.": -7.5}
    assert _PreferringScorer(table, SETTINGS).rescore_many([("i was carring it.", "i was car it.")]) \
        == ["i was carrying it."]


def test_when_the_word_count_changed_only_the_corrections_own_unknown_words_are_decided():
    plain = RescoreSettings(confusion_sets=False)
    slots = find_slots("alot of tyme", "a lot of tyme", plain)
    assert [slot.variants[0] for slot in slots] == ["tyme"]
    assert find_slots("alot of time", "a lot of time", plain) == []
    # With confusion sets, the correction's own confusable words are decided too ("of" / "off").
    assert [(s.variants[0], s.kind) for s in find_slots("alot of time", "a lot of time", SETTINGS)] == [("of", "confusion")]


# Confusion sets (issue 14).


def test_confusable_words_get_their_partners_as_candidates():
    from spelltune.correct.guard import GuardConfig

    slots = find_slots("The male came form the bank. Its late, I dont know.",
                       "The male came form the bank. Its late, I dont know.", SETTINGS, GuardConfig())
    by_word = {slot.written: slot for slot in slots}
    assert "mail" in by_word["male"].variants and by_word["male"].kind == "confusion"
    assert "from" in by_word["form"].variants
    assert "It's" in by_word["Its"].variants  # the writer's case
    assert "don't" in by_word["dont"].variants and by_word["dont"].kind == "misspelling"
    assert "I" not in by_word  # a one-letter word is no confusion slot


def test_a_partner_replaces_the_written_word_only_beyond_the_margin():
    table = {"the male came late": -10.0, "the mail came late": -8.5}
    pair = [("the male came late", "the male came late")]
    assert _PreferringScorer(table, RescoreSettings(confusion_margin=2.0)).rescore_many(pair) == ["the male came late"]
    assert _PreferringScorer(table, RescoreSettings(confusion_margin=1.0)).rescore_many(pair) == ["the mail came late"]
    assert _PreferringScorer(table, RescoreSettings(confusion_margin=1.0, confusion_sets=False)).rescore_many(pair) \
        == ["the male came late"]


def test_a_candidate_the_guard_would_refuse_is_never_offered():
    from spelltune.correct.guard import GuardConfig

    # "was" would drop the negation of "wasnt": only "wasn't" and spellings keeping it are candidates.
    slots = find_slots("it wasnt me", "it wasnt me", SETTINGS, GuardConfig())
    assert "wasn't" in slots[0].variants and "was" not in slots[0].variants
    assert "was" in find_slots("it wasnt me", "it wasnt me", SETTINGS)[0].variants  # no guard given


def test_contractions_file_expands_only_real_contractions():
    from spelltune.correct.confusion import confusion_partners, negation_count

    assert confusion_partners("dont") == {"don't"}
    assert confusion_partners("don't") == frozenset()  # a correct contraction never loses its apostrophe
    assert confusion_partners("it's") == {"its"}  # "its" is a word, so either may be meant
    assert confusion_partners("it") == frozenset()  # mined "hit" -> "it" goes one way only
    assert negation_count("I wasnt there and it isn't mine, not ever, no.") == 4


def test_context_after_a_word_stops_at_the_nth_word_or_takes_the_rest():
    from spelltune.correct.rescore import context_after

    text = "i was tought, to swim in the sea."
    end = text.index("tought") + len("tought")
    assert context_after(text, end, 0) == (", to swim in the sea.", True)
    assert context_after(text, end, 2) == (", to swim", False)
    assert context_after(text, end, 5) == (", to swim in the sea.", True)
    assert context_after("teh", 3, 3) == ("", True)


def test_a_windowed_request_is_scored_without_the_end_of_turn(tiny_model_dir):
    from spelltune.engine import load_engine
    from spelltune.prompt import build_prompt

    engine = load_engine(str(tiny_model_dir), engine="torch", device="cpu", dtype="float32")
    rescorer = CandidateRescorer(engine)
    source = "i was tought to swim"
    partial = rescorer.batched_log_probs([(source, ["i was taught to"])], complete=[False])[0][0]
    [[alone]] = engine.score_many([(build_prompt(engine.tokenizer, source), ["i was taught to"])])
    assert partial == pytest.approx(alone, abs=1e-4)
    whole = rescorer.batched_log_probs([(source, ["i was taught to"])])[0][0]
    assert whole < partial  # the end of turn is one more token to pay for


def test_shipped_corrector_config_states_the_rescore_defaults():
    from pathlib import Path

    from spelltune.correct.config import load_corrector_config

    path = Path(__file__).resolve().parents[2] / "configs" / "correct" / "default.yaml"
    assert load_corrector_config(path).rescore == RescoreSettings()


def test_confusion_variants_are_scored_as_plain_text_after_the_prefix(tiny_model_dir):
    from spelltune.engine import load_engine

    engine = load_engine(str(tiny_model_dir), engine="torch", device="cpu", dtype="float32")
    rescorer = CandidateRescorer(engine, RescoreSettings(fluency_prefix="Text:"))
    scores = rescorer.fluency_log_probs([["the mail came", "the male came"]])[0]
    assert scores == pytest.approx(engine.score_many([("Text:", [" the mail came", " the male came"])])[0], abs=1e-4)


def test_names_inside_a_sentence_are_no_confusion_slots():
    text = "Will and Grace met Hope at the Mill. Their dog came too."
    written = {slot.written for slot in find_slots(text, text, SETTINGS)}
    assert "Mill" not in written and "Their" in written  # "Their" starts a sentence: a word, not a name


def test_two_changes_do_not_prop_each_other_up():
    # Alone, "two" beats "tow" and "our" beats "hour" (beside "tow"); with "two" made, "hour" reads right again.
    table = {"a tow hour drive": -20.0, "a two hour drive": -10.0, "a tow our drive": -15.0,
             "a two our drive": -14.0}
    rescorer = _PreferringScorer(table, RescoreSettings(confusion_margin=2.0))
    assert rescorer.rescore_many([("a tow hour drive", "a tow hour drive")]) == ["a two hour drive"]


def test_mirror_letters_and_sound_alike_spellings_count_as_nearer():
    from spelltune.correct.rescore import spelling_distance

    plain = RescoreSettings(mirror_letter_cost=1.0, sound_alike_discount=0.0)
    dyslexia_aware = RescoreSettings(mirror_letter_cost=0.5, sound_alike_discount=0.5)
    assert spelling_distance("dook", "book", plain) == spelling_distance("dook", "door", plain) == 1.0
    assert spelling_distance("dook", "book", dyslexia_aware) == 0.5 < spelling_distance("dook", "door", dyslexia_aware)
    assert spelling_distance("nxet", "next", plain) == 1.0  # a swap of neighbours is one edit
    assert spelling_distance("nxet", "next", dyslexia_aware) == 0.5  # ...and sounds the same
    assert spelling_distance("nxet", "new", dyslexia_aware) == 2.0
    assert spelling_distance("Dook", "dook", dyslexia_aware) == 0.0


def test_dyslexia_aware_distances_decide_between_equally_likely_candidates():
    table = {"the dook is here": -30.0, "the book is here": -10.0, "the door is here": -9.8}
    plain = _PreferringScorer(table, RescoreSettings(mirror_letter_cost=1.0))
    aware = _PreferringScorer(table, RescoreSettings(mirror_letter_cost=0.5))
    pair = [("the dook is here", "the dook is here")]
    assert plain.rescore_many(pair) == ["the door is here"]
    assert aware.rescore_many(pair) == ["the book is here"]


def test_a_misspelled_day_or_month_is_no_name_but_look_alike_names_are():
    from spelltune.correct.protected import protected_kind

    for misspelled in ("Tuseday", "Wednsday", "Thrusday", "Satrday"):
        assert protected_kind(misspelled, sentence_start=False) is None
    for name in ("Mai", "Frida", "Julie", "Augusta", "Sundar", "Fridman", "Thursby", "Tuesday"):
        assert protected_kind(name, sentence_start=False) == "name"
    assert [m.word for m in find_misspellings("I saw Sundar on Tuseday.", SETTINGS)] == ["Tuseday"]


# The pruned second pass (issue 20).


@pytest.mark.parametrize("looseness", [0.0, 1.0, 4.0, 40.0])
def test_pruning_chooses_what_scoring_every_variant_chooses_and_scores_fewer(looseness):
    table = {"the dook is here": -30.0, "the book is here": -10.0, "the door is here": -9.8,
             "the cook is here": -25.0, "the look is here": -14.0, "a tow hour drive": -20.0, "a two hour drive": -10.0,
             "a tow our drive": -15.0, "a two our drive": -14.0}
    pairs = [("the dook is here", "the dook is here"), ("a tow hour drive", "a tow hour drive"),
             ("the book is here", "the book is here")]
    full = _PreferringScorer(table, RescoreSettings(prune=False))
    pruned = _PreferringScorer(table, RescoreSettings(prune=True), looseness=looseness)
    assert pruned.rescore_many(pairs) == full.rescore_many(pairs) == ["the door is here", "a two hour drive",
                                                                      "the book is here"]
    if looseness < 40:  # loose bounds still prune some; bounds looser than every gap prune nothing
        assert len(pruned.engine.scored) < len(full.engine.scored)


def test_a_variant_is_scored_only_while_its_bound_can_beat_the_best_score():
    # "the dook is here": the written word pays 3 nats for being unknown, each candidate 1 per edit.
    table = {"the dook is here": -12.0, "the book is here": -4.0, "the door is here": -30.0}
    rescorer = _PreferringScorer(table, RescoreSettings(prune=True), looseness=0.5)
    assert rescorer.rescore_many([("the dook is here", "the dook is here")]) == ["the book is here"]
    # "door" (bound -29.5 - 1) can never reach "dook" (-12 - 3): only "book" is scored exactly.
    scored = [text.removesuffix("</s>") for text in rescorer.engine.scored]
    assert "the book is here" in scored and "the door is here" not in scored


def test_correction_requests_end_like_rendered_training_examples(tiny_model_dir):
    from spelltune.engine import load_engine
    from spelltune.prompt import build_prompt, build_training_example

    engine = load_engine(str(tiny_model_dir), engine="torch", device="cpu", dtype="float32")
    rescorer = CandidateRescorer(engine)
    texts = ["i was taught", "i was taught to swim.", "A line with 'quotes' and <tags>"]
    prompt, completions = rescorer.correction_request("i was tought", texts)
    assert prompt == build_prompt(engine.tokenizer, "i was tought")
    assert completions == [build_training_example(engine.tokenizer, "i was tought", text).completion for text in texts]
    assert rescorer.correction_request("i was tought", texts, complete=False)[1] == texts


def test_a_confusion_window_cuts_the_sentence_after_the_word(tiny_model_dir):
    table = {}
    rescorer = _PreferringScorer(table, RescoreSettings(confusion_context_words_after=2))
    slot = next(s for s in find_slots("i went form the bank to the shop", "i went form the bank to the shop",
                                      rescorer.settings) if s.written == "form")
    prefix, continuations = rescorer.slot_request("i went form the bank to the shop",
                                                  "i went form the bank to the shop", slot)
    assert prefix == "Text:" and " i went from the bank" in continuations and " i went form the bank" == continuations[0]


def test_dictionary_neighbours_are_symspells_lookup_without_its_index():
    from symspellpy import Verbosity

    from spelltune.correct.dictionary import dictionary_neighbours, load_symspell

    for word in ["tought", "beleive", "acommodation", "teh", "wheather", "hous", "x", "abcdefghijk", "recieve"]:
        expected = sorted((s.distance, -s.count, s.term) for s in
                          load_symspell().lookup(word, Verbosity.ALL, max_edit_distance=2, transfer_casing=False))
        assert [(d, -c, w) for w, d, c in dictionary_neighbours(word, 2)] == expected


@pytest.mark.parametrize("engine_name, cases_taken", [("ctranslate2", None), ("torch", 60)])
def test_the_pruned_second_pass_chooses_what_the_full_one_chooses_on_the_own_dev_half(trained_tiny_model_dir,
                                                                                     engine_name, cases_taken):
    from spelltune.correct.guard import GuardConfig
    from spelltune.engine import load_engine
    from spelltune.evaluate.suites import load_suite

    engine = load_engine(str(trained_tiny_model_dir), engine=engine_name, device="cpu")
    cases = load_suite("own:dev").cases[:cases_taken]
    pairs = [(case.input, case.input) for case in cases]
    scored = []
    score_many = engine.score_many
    engine.score_many = lambda requests: scored.append(sum(len(c) for _, c in requests)) or score_many(requests)
    full = CandidateRescorer(engine, RescoreSettings(prune=False), GuardConfig()).rescore_many(pairs)
    full_count, scored[:] = sum(scored), []
    pruned = CandidateRescorer(engine, RescoreSettings(prune=True), GuardConfig()).rescore_many(pairs)
    assert pruned == full
    # Fewer exact scores (the tiny model's flat distributions prune less than the real one: README "Speed").
    assert sum(scored) < 0.8 * full_count
    assert sum(a != b for a, b in zip(full, [case.input for case in cases])) > len(cases) // 20  # words changed


def test_words_with_accented_letters_are_misspellings_only_when_no_plain_form_is_known():
    text = "We approvád the plan in the café, a naïve idea: Early õears. Dear Mr Müller, Straße, мир, her ệyes."
    assert [m.word for m in find_misspellings(text, SETTINGS)] == ["approvád", "õears", "ệyes"]
    assert [m.word for m in find_misspellings(text, RescoreSettings(non_ascii_words=False))] == []


def test_an_accented_misspelling_gets_the_plain_dictionary_spelling_the_context_prefers():
    table = {"we approved the plan": -8.0, "we approvád the plan": -9.0, "we approve the plan": -8.5}
    pair = [("we approvád the plan", "we approvád the plan")]
    assert _PreferringScorer(table, SETTINGS).rescore_many(pair) == ["we approved the plan"]
    assert _PreferringScorer(table, RescoreSettings(non_ascii_words=False)).rescore_many(pair) \
        == ["we approvád the plan"]
    # A correct accented word is never a slot, however much the model would like its plain form.
    kept = [("a naïve idea at the café", "a naïve idea at the café")]
    assert _PreferringScorer({"a naive idea at the cafe": 0.0}, SETTINGS).rescore_many(kept) == [kept[0][0]]


ACCENTS = RescoreSettings(accent_typos=True)  # on by default (dev halves)


def test_letters_with_a_stroke_or_without_their_dot_have_a_plain_form():
    from spelltune.correct.dictionary import without_accents

    assert without_accents("førmer ın łate đeath naïve") == "former in late death naive"
    text = "Born ın the førmer town, Søren met Łukasz."
    assert [m.word for m in find_misspellings(text, SETTINGS)] == ["ın", "førmer"]  # names stay names


def test_a_word_whose_only_fault_is_its_accents_is_decided_as_plain_text():
    assert accent_typo_plain_form("fínger", ACCENTS) == "finger" and accent_typo_plain_form("tő", ACCENTS) == "to"
    assert accent_typo_plain_form("Ôut", ACCENTS) == "Out"
    assert accent_typo_plain_form("fínger", RescoreSettings(accent_typos=False)) is None
    # No plain word without the accents ("ỳn" -> "yn"), a plain word, or a real accented word: not this kind.
    assert [accent_typo_plain_form(word, ACCENTS) for word in ("ỳn", "finger", "café")] == [None, None, None]
    [slot] = find_slots("his fínger was cold", "his fínger was cold", ACCENTS)
    assert slot.kind == "accent" and slot.as_plain_text and slot.variants == ["fínger", "finger"]
    off = RescoreSettings(accent_typos=False)
    assert [s.kind for s in find_slots("his fínger was cold", "his fínger was cold", off)] == ["misspelling"]
    # The table engine scores text alike as correction or as plain text: the margin decides (2 nats).
    pair = [("his fínger was cold", "his fínger was cold")]
    assert _PreferringScorer({"his fínger was cold": -40.0, "his finger was cold": -30.0}, ACCENTS) \
        .rescore_many(pair) == ["his finger was cold"]
    request = CandidateRescorer(TableEngine({}), ACCENTS).slot_request(pair[0][0], pair[0][1], slot)
    assert request == (ACCENTS.fluency_prefix, [" his fínger was cold", " his finger was cold"])


def test_a_plain_form_replaces_stray_accents_only_beyond_the_margin_and_real_accents_stay():
    pair = [("i went tő school", "i went tő school")]
    close = {"i went tő school": -20.0, "i went to school": -18.5}
    assert _PreferringScorer(close, ACCENTS).rescore_many(pair) == ["i went tő school"]  # 1.5 nats < margin 2
    clear = {"i went tő school": -20.0, "i went to school": -10.0}
    assert _PreferringScorer(clear, ACCENTS).rescore_many(pair) == ["i went to school"]
    right = [("a naïve fiancé ate pâté at the café with Zoë", "a naïve fiancé ate pâté at the café with Zoë")]
    plain = {"a naive fiance ate pate at the cafe with Zoe": 0.0}
    assert _PreferringScorer(plain, ACCENTS).rescore_many(right) == [right[0][0]]


CASED = RescoreSettings(sentence_case=True)


def test_a_corrected_sentence_start_is_capitalised_only_where_the_writer_uses_sentence_case():
    from spelltune.correct.rescore import sentence_start_letters

    assert sentence_start_letters('He ate. "teh cat" sat! 3 dogs ran. ok') == [(0, "H"), (9, "t"), (35, "o")]
    table = {"He ate it. the cat sat.": -5.0}
    cased = [("He ate it. teh cat sat.", "He ate it. teh cat sat.")]
    assert _PreferringScorer(table, CASED).rescore_many(cased) == ["He ate it. The cat sat."]
    assert _PreferringScorer(table, RescoreSettings(sentence_case=False)).rescore_many(cased) \
        == ["He ate it. the cat sat."]
    # All-lowercase text, a line of one sentence, and a line whose other sentence starts in lowercase: as written.
    for text, fixed in [("he ate it. teh cat sat.", "he ate it. the cat sat."),
                        ("teh cat met Anna.", "the cat met Anna."), ("teh cat sat. he ate.", "the cat sat. he ate.")]:
        assert _PreferringScorer({fixed: -5.0}, CASED).rescore_many([(text, text)]) == [fixed]
    # A word kept as written and a right word at a sentence start are never recased.
    for text in ("He ate it. zorgle sat. We ran.", "He ate it. the cat sat. We ran."):
        assert _PreferringScorer({text: -5.0}, CASED).rescore_many([(text, text)]) == [text]


SHORT = RescoreSettings(short_words=True)


def test_two_letter_typos_are_decided_only_with_short_words_on_and_right_ones_never():
    assert RescoreSettings().short_words and RescoreSettings().adjacent_misspellings  # on by default (dev halves)
    text = "I went bz bus, ir was late and we od it an hour ok."
    assert [m.word for m in find_misspellings(text, RescoreSettings(short_words=False))] == []  # off: as before
    assert [m.word for m in find_misspellings(text, SHORT)] == ["bz", "ir", "od"]
    right = "It is an ox, oh no, so we go on up to it if he is by me at my TV in Mr. Li's ad."
    assert find_misspellings(right, SHORT) == []  # right two-letter words, a name, an acronym, a title


def test_a_two_letter_typo_gets_one_edit_candidates_and_keeping_it_pays_less():
    candidates = dict(dictionary_candidates("bz", SHORT))
    assert "by" in candidates and all(distance == 1 for distance in candidates.values())
    [slot] = [s for s in find_slots("I went bz bus", "I went bz bus", SHORT) if s.kind == "misspelling"]
    assert slot.written == "bz" and "by" in slot.variants
    kept, by = slot.penalties(SHORT)[0], slot.penalties(SHORT)[slot.variants.index("by")]
    assert kept == 0.0 and by == SHORT.distance_penalty  # keeping pays short_word_unknown_penalty (0), not 3
    stricter = RescoreSettings(short_words=True, short_word_unknown_penalty=1.5)
    assert slot.penalties(stricter)[0] == 1.5


def test_the_wide_lists_two_letter_junk_is_no_reason_to_keep_a_typo():
    from spelltune.correct.dictionary import known_words, short_words

    assert {"ir", "od", "va"} <= known_words() and not {"ir", "od", "va"} & short_words()
    assert {"an", "is", "of", "ok", "oh", "mr"} <= short_words()


def test_two_words_run_together_get_their_split_as_a_candidate_only_with_split_words_on():
    from spelltune.correct.rescore import word_splits

    assert word_splits("inspite")[0] == "in spite" and "a lot" in word_splits("alot")
    assert word_splits("qzxv") == []
    assert "in spite" not in dict(dictionary_candidates("inspite", SETTINGS))  # off by default
    split_on = RescoreSettings(split_words=True)
    assert dict(dictionary_candidates("Inspite", split_on))["In spite"] == 1
    [slot] = [s for s in find_slots("I came inspite of it", "I came inspite of it", split_on)
              if s.kind == "misspelling"]
    index = slot.variants.index("in spite")
    assert slot.known[index] and slot.penalties(split_on)[index] == split_on.distance_penalty


def test_long_words_may_reach_three_edits_away_when_asked():
    far = RescoreSettings(long_word_distance=3, max_candidates=50)
    near = RescoreSettings(max_candidates=50)
    assert max(d for _, d in dictionary_candidates("accomodatoin", near)) <= 2
    assert 3 in {d for _, d in dictionary_candidates("acommodatoin", far)}
    assert max(d for _, d in dictionary_candidates("tought", far)) <= 2  # short words keep the usual reach



def test_neighbouring_misspellings_are_decided_again_with_each_others_decisions():
    # Beside the misspelled "cido", "basic" reads best for "yusic"; once "cido" is decided ("city"), "music" does.
    table = {"a basic cido": -28.0, "a music cido": -31.0, "a yusic city": -25.0,
             "a music city": -5.0, "a basic city": -12.0}
    pair = [("a yusic cido", "a yusic cido")]
    once = RescoreSettings(adjacent_misspellings=False, sentence_misspellings=False)
    assert _PreferringScorer(table, once).rescore_many(pair) == ["a basic city"]
    together = _PreferringScorer(table, RescoreSettings(adjacent_misspellings=True, sentence_misspellings=False))
    assert together.rescore_many(pair) == ["a music city"]
    # Misspellings with a word between them are not neighbours: decided once, as before.
    apart = {"a basic and cido": -28.0, "a music and cido": -31.0, "a yusic and city": -25.0,
             "a music and city": -5.0, "a basic and city": -12.0}
    assert _PreferringScorer(apart, RescoreSettings(adjacent_misspellings=True, sentence_misspellings=False)).rescore_many(
        [("a yusic and cido", "a yusic and cido")]) == ["a basic and city"]


def test_with_sentence_misspellings_every_misspelling_is_decided_again_when_another_changed():
    # "and" lies between the two misspellings: not neighbours, but the same sentence.
    apart = {"a basic and cido": -28.0, "a music and cido": -31.0, "a yusic and city": -25.0,
             "a music and city": -5.0, "a basic and city": -12.0}
    pair = [("a yusic and cido", "a yusic and cido")]
    assert RescoreSettings().sentence_misspellings and RescoreSettings().redecide_rounds == 2  # on (dev halves)
    assert _PreferringScorer(apart, RescoreSettings()).rescore_many(pair) == ["a music and city"]
    neighbours_only = RescoreSettings(sentence_misspellings=False)
    assert _PreferringScorer(apart, neighbours_only).rescore_many(pair) == ["a basic and city"]


def test_further_rounds_decide_again_while_a_decision_changes():
    # Round 1 (beside the first decisions "basic", "city") picks "music"; only then does "cido" read
    # as "lido" beside "music": a second round sees it, one round does not.
    table = {"a basic cido": -28.0, "a music cido": -31.0, "a yusic city": -25.0, "a yusic lido": -40.0,
             "a basic city": -12.0, "a music city": -5.0, "a music lido": -1.0}
    pair = [("a yusic cido", "a yusic cido")]
    one = RescoreSettings(redecide_rounds=1, known_context=False)  # known_context's round would be a round too
    assert _PreferringScorer(table, one).rescore_many(pair) == ["a music city"]
    two = RescoreSettings(redecide_rounds=2, known_context=False)
    assert _PreferringScorer(table, two).rescore_many(pair) == ["a music lido"]


def test_with_known_context_misspellings_that_prop_each_other_up_are_decided_beside_known_words():
    # Beside the other misspelling as written, copying reads best for each: both are kept. Decided beside
    # the other's likeliest known spelling ("city", "music"), each reads best corrected.
    table = {"a yusic cido": -10.0, "a music cido": -20.0, "a yusic city": -20.0, "a basic cido": -30.0,
             "a music city": -5.0, "a basic city": -9.0, "a yusic lido": -40.0}
    pair = [("a yusic cido", "a yusic cido")]
    assert RescoreSettings().known_context  # on (dev halves, README)
    assert _PreferringScorer(table, RescoreSettings(known_context=False)).rescore_many(pair) == ["a yusic cido"]
    known = RescoreSettings(known_context=True)
    assert _PreferringScorer(table, known).rescore_many(pair) == ["a music city"]
    # Pruned variants are ranked by their bounds: the same choice.
    assert _PreferringScorer(table, known, looseness=0.5).rescore_many(pair) == ["a music city"]


def test_known_context_only_changes_what_the_model_then_prefers():
    # "zorvex" is a word no list knows that the writer meant; beside "city" the model still copies it.
    table = {"a zorvex cido": -10.0, "a zorvex city": -6.0, "a vortex cido": -20.0, "a vortex city": -12.0}
    pair = [("a zorvex cido", "a zorvex cido")]
    assert _PreferringScorer(table, RescoreSettings(known_context=True)).rescore_many(pair) == ["a zorvex city"]
    # A lone misspelling has no other word to stand in for: decided once, as without the setting.
    alone = {"a zorvex": -10.0, "a vortex": -14.0}
    assert _PreferringScorer(alone, RescoreSettings(known_context=True)).rescore_many(
        [("a zorvex", "a zorvex")]) == ["a zorvex"]


def test_the_likeliest_known_word_is_the_best_scored_dictionary_variant_after_its_penalty():
    from spelltune.correct.rescore import Slot, likeliest_known

    slot = Slot(2, 7, ["yusic", "music", "basic", "yusics"], [0.0, 1.0, 2.0, 1.0], [False, True, True, False],
                written="yusic")
    settings = RescoreSettings(distance_penalty=1.0)
    assert likeliest_known(slot, [-1.0, -9.0, -8.5, -2.0], "yusic", settings) == "music"  # -10 beats -10.5
    assert likeliest_known(slot, [-1.0, -9.0, -7.0, -2.0], "yusic", settings) == "basic"
    assert likeliest_known(slot, [-1.0, -9.0, -7.0, -2.0], "music", settings) == "music"  # known: as chosen
    unknown_only = Slot(2, 7, ["yusic", "yusics"], [0.0, 1.0], [False, False], written="yusic")
    assert likeliest_known(unknown_only, [-1.0, -2.0], "yusic", settings) == "yusic"


RARE = RescoreSettings(rare_words=True)


def test_rare_short_dictionary_words_are_decided_only_with_rare_words_on():
    from spelltune.correct.rescore import is_rare_word

    assert not RescoreSettings().rare_words
    assert is_rare_word("wen", False, RARE) and is_rare_word("cit,", False, RARE)
    # Common words, long rare words, capitals (names), acronyms and two-letter words are not.
    for token, start in (("one", False), ("drabness", False), ("Cher", False), ("Cher", True), ("CIT", False),
                         ("on", False)):
        assert not is_rare_word(token, start, RARE), token
    text = "it sat cit the mat"
    assert [s.written for s in find_slots(text, text, RARE) if s.kind == "rare"] == ["cit"]
    assert [s for s in find_slots(text, text, SETTINGS) if s.kind == "rare"] == []


def test_a_rare_word_changes_only_to_a_more_common_word_one_edit_away_by_a_margin():
    from spelltune.correct.dictionary import word_frequencies

    text = "he said cit was late"
    [slot] = [s for s in find_slots(text, text, RARE) if s.kind == "rare"]
    assert slot.variants[0] == "cit" and "it" in slot.variants
    assert all(word_frequencies()[v] > RARE.rare_word_count for v in slot.variants[1:])
    assert all(d <= 1 for d in slot.distances[1:])
    penalties = slot.penalties(RARE)
    assert penalties[0] == 0.0 and penalties[slot.variants.index("it")] == RARE.distance_penalty + RARE.rare_word_margin
    sure = {"he said it was late": -2.0, "he said cit was late": -6.0}
    assert _PreferringScorer(sure, RARE).rescore_many([(text, text)]) == ["he said it was late"]
    # Preferred by less than the edit and the margin: the word stays as written.
    unsure = {"he said it was late": -4.0, "he said cit was late": -6.0}
    assert _PreferringScorer(unsure, RARE).rescore_many([(text, text)]) == [text]

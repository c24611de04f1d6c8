import pytest

from spelltune.correct.guard import GuardConfig, guard_correction
from spelltune.correct.protected import protected_kind


def reasons(source, proposed):
    return [r.reason for r in guard_correction(source, proposed).rejected]


def test_plain_corrections_pass():
    correction = guard_correction("Ther going to teh libary.", "They're going to the library.")
    assert correction.output == "They're going to the library."
    assert correction.rejected == []


@pytest.mark.parametrize(
    ("source", "proposed", "reason"),
    [
        ("Meet Jhon today.", "Meet John today.", "changes a name"),
        ("It starts at 5pm.", "It starts at 6pm.", "changes a number"),
        ("See www.exmple.com now.", "See www.example.com now.", "changes a URL"),
        ("Mail bob@exmple.org now.", "Mail bob@example.org now.", "changes an e-mail address"),
        ("Call get_valeu() first.", "Call get_value() first.", "changes a code token"),
        ("The NASAA budget grew.", "The NASA budget grew.", "changes an acronym"),
        ("Keep every single word.", "Keep every word.", "drops a word"),
        ("We went home.", "We quickly went home.", "adds a word"),
        ("The house is red.", "The building is red.", "replaces a word with a different one"),
        ("Yesterday I left.", "Today I left.", "replaces a word with a different one"),
        ("We go in july.", "We go in june.", "replaces a correctly spelled word"),
        ("Siobhan met us.", "Siborjan met us.", "changes a name"),
        ("I realise it is odd.", "I realize it is odd.", "changes a British or American spelling"),
        ("My favourite colour.", "My favorite colour.", "changes a British or American spelling"),
        ("The theatre was full.", "The theater was full.", "changes a British or American spelling"),
        ("Ask Dr. Oluwaseun now.", "Ask Dr. Oluwasi now.", "changes a name"),
        ("we are to gether.", "we are to get home.", "rewrites several words"),
        ("we finally went", "we fortunately went", "replaces a correctly spelled word"),
        ("and they are happy", "and they're happy", "contracts words"),
        ("don't answer me?", "don't answer me.'", "changes punctuation"),
        ("I have two cats.", "I have 2 cats.", "adds a number"),
        ("It is at https://x.org/a.html for reference.", "It is at https://x.org/a.html.", "drops a word"),
        ("He paid the bill.", "The bill.", "drops a word"),
        ("Run it now.", "Run the program now.", "rewrites several words"),
        ("I went in to town.", "I went onto town.", "rewrites several words"),
        ("Call getValue first.", "Call getvalue first.", "changes a code token"),
        ("We met London friends.", "We met london friends.", "changes a name"),
        ("We left at ten, so we ate.", "We left at ten. so we ate.", "changes punctuation"),
        ("We met at the café today.", "We met at the cafe today.", "drops the accents of a word"),
        ("It was a naïve idea.", "It was a naive idea.", "drops the accents of a word"),
        ("Send your résumé.", "Send your resume.", "drops the accents of a word"),
        ("I met Zoë there.", "I met Zoe there.", "changes a name"),
        ("It is his.", "It in his.", "replaces a correctly spelled word"),  # a right two-letter word stays
        ("A cup of tea.", "A cup or tea.", "replaces a correctly spelled word"),
        ("we sang the song 'blue moon' and left", "we sang the song 'blue moon and left", "drops a closing quote"),
        ("we sang the song 'blue mon' and left", "we sang the song 'blue moon and left", "drops a closing quote"),
        ("we sang ‘blue moon’ and left", "we sang ‘blue moon and left", "drops a closing quote"),
        ("we sang 'blue moon' and left", "we sang blue moon' and left", "drops an opening quote"),
        ("I saw it (the catt) there", "I saw it (the cat there", "drops a bracket"),
        ("I saw (teh) it", "I saw the it", "drops a bracket"),
        ("a list [of thigns] here", "a list [of things here", "drops a bracket"),
        ('he said "helo there" to me', 'he said hello there" to me', "drops a quote"),
        ("he said “hello ther” to me", "he said “hello there to me", "drops a quote"),
        ("we came, saw, conqured; went", "we came, saw, conquered went", "drops punctuation"),
        ("it endd. Then we left", "it ended Then we left", "drops punctuation"),
    ],
)
def test_unsafe_edits_are_reverted_with_a_reason(source, proposed, reason):
    correction = guard_correction(source, proposed)
    assert correction.output == source
    assert [r.reason for r in correction.rejected] == [reason]


@pytest.mark.parametrize(
    ("source", "proposed"),
    [
        ("I saw it (the catt) there", "I saw it (the cat) there"),
        ('he said "helo there" to me', 'he said "hello there" to me'),
        ("we came, saw, conqured; went", "we came, saw, conquered; went"),
        ("I dont.", "I don't."),
        ("thats wat I sayed.", "that's what I said."),
    ],
)
def test_a_fix_that_keeps_its_quotes_brackets_and_marks_passes(source, proposed):
    assert guard_correction(source, proposed).output == proposed


def test_one_bad_edit_does_not_cost_the_good_ones():
    correction = guard_correction("Meet Jhon at teh station.", "Meet John at the station.")
    assert correction.output == "Meet Jhon at the station."
    assert [r.reason for r in correction.rejected] == ["changes a name"]


def test_names_at_sentence_start_are_ordinary_words():
    assert guard_correction("Teh end. Ther cat", "The end. The cat").output == "The end. The cat"


@pytest.mark.parametrize("marker", ["-", "*", "•", "–", "2)", "(c)"])
def test_the_first_word_of_a_list_item_starts_a_sentence(marker):
    assert guard_correction(f"{marker} Recieved it", f"{marker} Received it").output == f"{marker} Received it"
    assert reasons(f"{marker} Siobhan met us", f"{marker} Siborjan met us") == ["changes a name"]


def test_a_capitalised_word_after_a_dash_inside_a_line_is_a_name():
    assert reasons("I went home - Siobhan was there", "I went home - Siborjan was there") == ["changes a name"]


def test_whole_piece_refused_when_word_count_or_meaning_moves_too_far():
    assert reasons("Thi sis a test", "The test was sent with typos today, I think.")[0].startswith(
        "changes the word count"
    )
    assert reasons("one two three four five", "six seven eight nine ten") == [
        "rewrites the text instead of correcting it"
    ]
    assert reasons("some text", "") == ["the model returned nothing"]
    assert reasons("some text", "some\ntext") == ["the model returned several lines"]


def test_splits_and_merges_pass():
    correction = guard_correction("i want alot of some thing infront", "i want a lot of something in front")
    assert correction.output == "i want a lot of something in front"


def test_rewritten_opening_is_refused_while_the_url_is_kept():
    source = "Download it from www.example.org/setup.exe and run it."
    proposed = "The code is available for download from www.example.org/setup.exe."
    assert guard_correction(source, proposed).output == source


def test_repeated_word_may_be_removed():
    assert guard_correction("I saw the the cat", "I saw the cat").output == "I saw the cat"


def test_word_count_bound_is_configurable():
    strict = GuardConfig(min_word_delta=0, word_delta_rate=0.0)
    assert guard_correction("i want alot", "i want a lot", strict).output == "i want alot"
    assert guard_correction("i want alot", "i want a lot").output == "i want a lot"


@pytest.mark.parametrize(
    ("token", "start", "kind"),
    [
        ("https://x.org/a?b=1", False, "URL"),
        ("(www.spelltune.dev),", False, "URL"),
        ("ann@mail.com.", False, "e-mail"),
        ("10:30", False, "number"),
        ("3.5%", False, "number"),
        ("myVariable", False, "code"),
        ("config.yaml", False, "code"),
        ("/usr/bin", False, "code"),
        ("London", False, "name"),
        ("London", True, None),
        ("Siân", True, "name"),  # a capitalised word with accents is a name even at a sentence start
        ("Şoray,", True, "name"),
        ("Núria", False, "name"),
        ("I'm", False, None),
        ("USA", True, "acronym"),
        ("house", False, None),
        ("end.", False, None),
    ],
)
def test_protected_token_kinds(token, start, kind):
    assert protected_kind(token, start) == kind


def test_all_lowercase_text_keeps_its_style_but_gets_its_spelling_fixed():
    correction = guard_correction("i think teh cat is hungry", "I think the cat is hungry")
    assert correction.output == "i think the cat is hungry"
    assert [(e.original, e.replacement) for e in correction.edits] == [("teh", "the")]
    assert guard_correction("i think dont", "i think don't").output == "i think don't"
    mixed = guard_correction("Yes i think so", "Yes I think so", GuardConfig())
    assert mixed.output == "Yes I think so"


@pytest.mark.parametrize(
    ("source", "proposed"),
    [
        ("We passed eht test.", "We passed the test."),  # letters reversed
        ("The sub was late.", "The bus was late."),  # a dyslexic reversal that is itself a word
        ("I fo course agree.", "I of course agree."),
        ("Call me on the fone.", "Call me on the phone."),
        ("I came form home.", "I came from home."),
        ("The bog barked.", "The dog barked."),
        ("Their going home.", "They're going home."),
        ("Then THe cat sat on tHis mat.", "Then the cat sat on this mat."),  # stray capitals
        ("We argued about therules ofthe game.", "We argued about the rules of the game."),
        ("Still, Im going.", "Still, I'm going."),
        ("Becuase it rained.", "Because it rained."),
        ("We left at ten. so we ate.", "We left at ten. So we ate."),
        ("We approvád the plan.", "We approved the plan."),  # a typo with an accented letter
        ("Early õears.", "Early years."),
        ("and ĩt was", "and it was"),
        ("Her ệyes sparkled.", "Her eyes sparkled."),  # noise on a real word is no accented word
        ("the dog wagged its' tail", "the dog wagged its tail"),  # a stray apostrophe, no quotation open
        ("I said 'hi' and its' tail", "I said 'hi' and its tail"),
    ],
)
def test_real_corrections_pass(source, proposed):
    correction = guard_correction(source, proposed)
    assert correction.output == proposed, correction.rejected


def test_guard_lets_through_nearly_every_gold_correction_of_a_built_dataset(tmp_path):
    """The guard must not cost the model its correct answers: the data stage's gold pairs pass."""
    import json
    from pathlib import Path

    from spelltune.data.build import build_dataset
    from spelltune.data.config import load_data_config

    config_path = Path(__file__).resolve().parents[2] / "configs" / "data" / "quick.yaml"
    build_dataset(load_data_config(config_path, ["pairs=2000"]), tmp_path, "jsonl")
    rows = [json.loads(line) for line in (tmp_path / "train.jsonl").read_text().splitlines()]
    corrections = [(r, guard_correction(r["input"], r["output"])) for r in rows]
    refused = [(r, c) for r, c in corrections if c.output != r["output"]]
    # Synthetic typos that land on another common word ("on" -> "in", "bad" -> "had") or on a negation
    # ("hot" -> "not") are refused by design: only context can tell them, and the second pass decides
    # confusion sets. They stay rare; every other refusal of a gold fix is a guard bug.
    by_design = {"replaces a correctly spelled word", "adds a negation", "drops a negation"}
    other = [(r, c) for r, c in refused if any(rej.reason not in by_design for rej in c.rejected)]
    assert len(other) / len(rows) < 0.03, [(r["input"], c.rejected) for r, c in other[:5]]
    assert len(refused) / len(rows) < 0.08


# Issue 14: a guard that refuses meaning changes.


@pytest.mark.parametrize(
    ("source", "proposed", "reason"),
    [
        ("The door wasnt locked.", "The door was locked.", "drops a negation"),
        ("The door wasn't locked.", "The door was locked.", "drops a negation"),
        ("I never go there.", "I ever go there.", "drops a negation"),
        ("It is fair.", "It isn't fair.", "adds a negation"),
        ("It is fair to them.", "It is not fair to them.", "adds a word"),
        ("The soup is hot.", "The soup is not.", "adds a negation"),
    ],
)
def test_a_negation_never_appears_or_disappears(source, proposed, reason):
    correction = guard_correction(source, proposed)
    assert correction.output == source
    assert [r.reason for r in correction.rejected] == [reason]


@pytest.mark.parametrize(
    ("source", "proposed"),
    [
        ("The door wasnt locked.", "The door wasn't locked."),
        ("I dont know.", "I don't know."),
        ("I no the answer.", "I know the answer."),  # a listed homophone, not a negation
        ("I nevr go there.", "I never go there."),  # a misspelled negation stays one
        ("I'm notsure it works.", "I'm not sure it works."),
    ],
)
def test_negations_kept_or_spelled_right_pass(source, proposed):
    assert guard_correction(source, proposed).output == proposed


def test_negation_rule_is_a_setting():
    relaxed = GuardConfig(keep_negations=False)
    assert guard_correction("The door wasnt locked.", "The door was locked.", relaxed).output == "The door was locked."


@pytest.mark.parametrize(
    ("source", "proposed"),
    [
        ("She wore a red dress.", "She wore a rod dress."),  # one slip, but both are common words
        ("We left in july.", "We left in june."),
        ("The form was long.", "The farm was long."),
    ],
)
def test_a_correct_word_does_not_become_another_word(source, proposed):
    correction = guard_correction(source, proposed)
    assert correction.output == source
    assert correction.rejected[0].reason in {"replaces a correctly spelled word", "replaces a word with a different one"}


@pytest.mark.parametrize(
    ("source", "proposed"),
    [
        ("The male came late.", "The mail came late."),  # homophone
        ("The week was long.", "The weak was long."),  # homophone: the second pass decides, not the guard
        ("I want to where it.", "I want to wear it."),  # homophone
        ("We drove for tow hours.", "We drove for two hours."),  # listed slip
        ("It came form the bank.", "It came from the bank."),  # listed slip
        ("Its raining.", "It's raining."),  # apostrophe variant
        ("The waite was long.", "The wait was long."),  # a rare word one slip from a frequent one
        ("He sat on the farther side.", "He sat on the father side."),  # mined from the corpora
        ("Give it to we.", "Give it to me."),  # a mirrored letter (m/w): a dyslexic reversal
        ("Open your month.", "Open your mouth."),  # a mirrored letter (n/u)
    ],
)
def test_a_correct_word_may_become_a_confusion_partner(source, proposed):
    correction = guard_correction(source, proposed)
    assert correction.output == proposed, correction.rejected


def test_every_mirror_letter_pair_of_the_confusion_sets_is_a_slip():
    from spelltune.correct.confusion import MIRROR_LETTERS
    from spelltune.correct.guard import is_slip

    config = GuardConfig()
    assert set(MIRROR_LETTERS) == set("bdpqmwnu")
    for written, meant in MIRROR_LETTERS.items():
        assert is_slip(f"zz{written}z", f"zz{meant}z", config), (written, meant)
    assert not is_slip("zzaz", "zzez", config)  # a one-letter change of no mirror pair


def test_a_multi_word_rewrite_needs_each_word_accepted():
    # Each word of the rewrite is judged alone: the misspelling fix is fine, the colour swap is not.
    refused = guard_correction("She has a red hosue.", "She has a blue house.")
    assert "blue" not in refused.output
    assert refused.rejected
    respaced = guard_correction("Th ecat sat.", "The cat sat.")
    assert respaced.output == "The cat sat."
    fixed = guard_correction("Teh wether forcast was right.", "The weather forecast was right.")
    assert fixed.output == "The weather forecast was right."


@pytest.mark.parametrize(
    ("source", "proposed", "passes"),
    [
        ("Call me on the fone.", "Call me on the phone.", True),  # same sound
        ("I sed so.", "I said so.", True),
        ("The acommodation was fine.", "The accommodation was fine.", True),
        ("We were carring bags.", "We were car bags.", False),  # four edits away, another sound
        ("My mother tought me.", "My mother told me.", False),
        ("It was a lovly day.", "It was a lonely day.", True),  # close in spelling: context's job
    ],
)
def test_a_misspelling_becomes_only_a_word_close_in_spelling_or_sound(source, proposed, passes):
    correction = guard_correction(source, proposed)
    assert (correction.output == proposed) is passes, correction.rejected


def test_misspelling_distance_is_a_setting():
    strict = GuardConfig(misspelling_edits=1, misspelling_edit_rate=0.0)
    assert guard_correction("The acommodation was fine.", "The accommodation was fine.", strict).output.startswith("The accommodation")
    # Two edits, and Metaphone hears SNWX against SNTWX: only the default's two edits let it through.
    assert guard_correction("A sanwitch please.", "A sandwich please.", strict).output == "A sanwitch please."
    assert guard_correction("A sanwitch please.", "A sandwich please.").output == "A sandwich please."


@pytest.mark.parametrize(
    ("source", "proposed"),
    [
        ("The presense of mind.", "The presence of mind."),  # "presense" is no British spelling
        ("He came aftre lunch.", "He came after lunch."),
        ("A defense of the idea.", "A defence of the idea."),
    ],
)
def test_a_misspelling_is_not_taken_for_a_regional_spelling(source, proposed):
    correction = guard_correction(source, proposed)
    if proposed.startswith("A defence"):
        assert correction.output == source  # both are words: a real British/American pair stays as written
        assert correction.rejected[0].reason == "changes a British or American spelling"
    else:
        assert correction.output == proposed, correction.rejected


def test_the_runtime_guard_does_not_import_the_data_stage():
    import subprocess
    import sys

    code = ("import sys; from spelltune.correct.guard import guard_correction; "
            "guard_correction('Their going form hear.', 'They\\'re going from here.'); "
            "print(sorted(m for m in sys.modules if m.startswith('spelltune.data')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_shipped_corrector_config_states_the_guard_defaults():
    from pathlib import Path

    from spelltune.correct.config import load_corrector_config

    path = Path(__file__).resolve().parents[2] / "configs" / "correct" / "default.yaml"
    assert load_corrector_config(path).guard == GuardConfig()


def test_an_unknown_word_does_not_become_another_unknown_word():
    correction = guard_correction("He collects orrereies.", "He collects orrearies.")
    assert correction.output == "He collects orrereies."
    assert [r.reason for r in correction.rejected] == ["replaces an unknown word with another"]
    # A correct word (in either word list) never becomes a non-word.
    correct = guard_correction("He collects orreries.", "He collects orrearies.")
    assert [r.reason for r in correct.rejected] == ["replaces a correctly spelled word"]
    assert guard_correction("I dont know.", "I don't know.").output == "I don't know."


@pytest.mark.parametrize(("source", "proposed", "passes"), [
    ("See you on Firday.", "See you on Friday.", True),
    ("It is on Thrusday, not Monday.", "It is on Thursday, not Monday.", True),
    ("Meet Jhon today.", "Meet John today.", False),  # a name stays as written
    ("See you on Friday.", "See you on Monday.", False),
])
def test_a_misspelled_weekday_or_month_is_no_name(source, proposed, passes):
    assert (guard_correction(source, proposed).output == proposed) is passes


def test_a_contraction_without_its_apostrophe_is_not_expanded():
    correction = guard_correction("We mustnt be late.", "We must not be late.")
    assert correction.output == "We mustnt be late."
    assert [r.reason for r in correction.rejected] == ["expands a contraction"]
    assert guard_correction("We mustnt be late.", "We mustn't be late.").output == "We mustn't be late."


@pytest.mark.parametrize(("source", "proposed"), [
    ("Theyd like to join us.", "They like to join us."),  # loses "would"
    ("Youll see it soon.", "You see it soon."),
    ("Ill call you later.", "I call you later."),
])
def test_a_contraction_never_loses_its_contracted_part(source, proposed):
    correction = guard_correction(source, proposed)
    assert correction.output == source
    assert [r.reason for r in correction.rejected] == ["drops part of a contraction"]


def test_a_contraction_may_get_its_apostrophe_back():
    assert guard_correction("Theyd like to join us.", "They'd like to join us.").output == "They'd like to join us."



@pytest.mark.parametrize("source, proposal", [
    ("I went bz bus", "I went by bus"),
    ("it ir late", "it is late"),
    ("a cup od tea", "a cup of tea"),
])
def test_a_two_letter_typo_may_be_fixed_by_one_edit(source, proposal):
    assert guard_correction(source, proposal, GuardConfig()).output == proposal

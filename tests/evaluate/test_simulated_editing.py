"""The simulated editor loop: what a writer is shown, decides and teaches, with and without learning."""

from __future__ import annotations

import json
import random

import pytest

from spelltune.correct.corrector import Correction
from spelltune.correct.edits import compute_edits
from spelltune.correct.preferences import NO_PREFERENCES, SpellingPreferences
from spelltune.errors import InputError
from spelltune.evaluate.simulated_editing import EditorSimulation, session_totals
from spelltune.evaluate.simulated_writers import SimulatedWriter, write_sentence


class GuessingCorrector:
    """Fixes 'freind' right only before 'is' (else 'fiend'), 'becuase' always wrongly, and flags 'Siobhan,'."""

    name = "guessing"
    takes_preferences = True

    def __init__(self):
        self.calls = []

    def correct_lines(self, lines, preferences=None):
        self.calls.append(list(lines))
        corrections = []
        for index, line in enumerate(lines):
            wanted = SpellingPreferences.of(preferences[index]) if preferences else NO_PREFERENCES
            words = line.split(" ")
            fixed = []
            for position, word in enumerate(words):
                following = words[position + 1] if position + 1 < len(words) else ""
                guess = {"freind": "friend" if following == "is" else "fiend", "becuase": "became",
                         "Siobhan,": "Siobhans,"}.get(word, word)
                fixed.append(wanted.preferred(word) or guess)
            target = " ".join(fixed)
            corrections.append(Correction(line, target, compute_edits(line, target)))
        return corrections


WRITER = SimulatedWriter(name="w", habits={"because": "becuase", "friend": "freind"}, tendency="dropped doubles",
                         names=("Siobhan",), tendency_rate=0.0, name_rate=0.0)
SESSION_ONE = ["My friend is here.", "We left because it rained.", "Siobhan, the friend came."]
SESSION_TWO = ["A friend came by.", "We left because it rained.", "We stayed because it was late."]


def written(sentences, rng_seed=0):
    rng = random.Random(rng_seed)
    texts = []
    for text in sentences:
        sentence = write_sentence(WRITER, text, rng)
        if text.startswith("Siobhan"):
            sentence = type(sentence)(sentence.clean, sentence.written, sentence.errors, ("Siobhan",))
        texts.append(sentence)
    return texts


def run(mode, tmp_path):
    simulation = EditorSimulation(WRITER, GuessingCorrector(), mode, tmp_path)
    results = [simulation.run_session(1, written(SESSION_ONE)), simulation.run_session(2, written(SESSION_TWO))]
    return simulation, results


def test_without_learning_the_same_wrong_suggestions_come_back_but_names_stay_in_the_dictionary(tmp_path):
    simulation, (one, two) = run("none", tmp_path)
    # Session 1: 'friend' right; 'became' wrong; 'fiend' wrong; the name wrong (and added to the dictionary).
    assert (one.errors, one.corrected, one.wrong, one.wrong_on_names, one.missed) == (3, 1, 3, 1, 2)
    assert simulation.dictionary.words() == ["Siobhan"]
    # Session 2: fiend and became twice, all wrong again.
    assert (two.errors, two.corrected, two.wrong, two.missed) == (3, 0, 3, 3)
    decisions = [record["decision"] for record in simulation.feedback]
    assert decisions.count("accepted") == 1 and len(decisions) == 7
    # The name was flagged once: the dictionary keeps it away from session 2 on.
    assert [record["suggestion"]["original"] for record in simulation.feedback].count("Siobhan,") == 1


def test_immediate_learning_applies_an_accepted_fix_and_stops_a_rejected_one(tmp_path):
    simulation, (one, two) = run("immediate", tmp_path)
    # In session 1 the writer already gets 'friend' for 'freind' after accepting it once.
    assert (one.corrected, one.wrong, one.missed) == (2, 2, 1)
    # Session 2: 'freind' fixed by preference; 'became' rejected in "left … it" stays away there, and in
    # "stayed … it" it is offered once more (a new context) then rejected everywhere.
    assert (two.corrected, two.wrong, two.missed) == (1, 1, 2)
    # 'freind -> fiend' was never shown: the preference came first.
    assert {item.id for item in simulation.learned.items()} == {"preferred:freind", "rejected:becuase>became",
                                                               "rejected:siobhan>siobhans"}
    json.dumps(simulation.feedback)  # FeedbackLog records, plain JSON


def test_the_adapt_mode_calls_its_hook_between_sessions_with_the_feedback_so_far(tmp_path):
    seen = []

    def adapt(writer, feedback, corrector):
        seen.append((writer.name, len(feedback)))
        return corrector

    simulation = EditorSimulation(WRITER, GuessingCorrector(), "adapt", tmp_path, adapt=adapt)
    simulation.run_session(1, written(SESSION_ONE))
    simulation.run_session(2, written(SESSION_TWO))
    assert seen == [("w", 4), ("w", 6)]  # session 2 added one accept and one reject
    with pytest.raises(InputError, match="adapt hook"):
        EditorSimulation(WRITER, GuessingCorrector(), "adapt", tmp_path)
    with pytest.raises(InputError, match="unknown learning mode"):
        EditorSimulation(WRITER, GuessingCorrector(), "sometimes", tmp_path)


def test_lines_are_checked_in_groups_and_totals_add_writers_up(tmp_path):
    corrector = GuessingCorrector()
    simulation = EditorSimulation(WRITER, corrector, "none", tmp_path, lines_per_check=2)
    result = simulation.run_session(1, written(SESSION_ONE))
    assert [len(call) for call in corrector.calls] == [2, 1]
    totals = session_totals([result, result])
    assert totals == [{**{k: 2 * v for k, v in result.to_json_dict().items() if isinstance(v, int) and k != "session"},
                       "mode": "none", "session": 1, "writers": 2}]

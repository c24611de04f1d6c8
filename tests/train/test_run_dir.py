"""The run folder's model card says what the run is and how to use it."""

from __future__ import annotations

from spelltune.train.config import config_from_dict
from spelltune.train.run_dir import write_model_card

SUMMARY = {"global_step": 120, "train_pairs": 12000, "eval_letter_count": 0.42, "eval_letter_position": 0.2,
           "eval_letter_accuracy": 0.31, "eval_exact_match": 0.9}


def test_a_spelling_study_run_is_not_offered_as_a_corrector(tmp_path):
    config = config_from_dict({"model": "smollm2-135m", "eval": {"letter_questions_per_type": 100}})
    card = write_model_card(tmp_path, config, SUMMARY, tmp_path / "data").read_text()
    assert "spelling-mechanics study (not a corrector)" in card
    assert "| validation mean letter accuracy | 31.0% |" in card
    assert f"spelltune spelling eval --model {tmp_path}" in card and "spelltune fix" not in card


def test_a_corrector_run_shows_how_to_fix_text(tmp_path):
    config = config_from_dict({"model": "smollm2-135m"})
    card = write_model_card(tmp_path, config, SUMMARY, tmp_path / "data").read_text()
    assert "A typo and spelling corrector" in card and f"spelltune fix --model {tmp_path}" in card
    assert "letter accuracy" not in card

"""The study's validation metric: the evaluation's own questions and prompt, on validation words only."""

from __future__ import annotations

import shutil

from spelltune.spelling.evaluate import SpellingEvalSettings, evaluate_model
from spelltune.spelling.validation import letter_metrics, validation_questions


class AnsweringEngine:
    """An engine stand-in that answers from a table of prompts it recognises by the question they end with."""

    def __init__(self, tokenizer, answers: dict[str, str]):
        self.tokenizer = tokenizer
        self.answers = answers
        self.prompts: list[str] = []

    def generate(self, prompts, max_new_tokens, *, batch_size=16, on_progress=None):
        self.prompts += prompts
        return [next((a for q, a in self.answers.items() if q in p.rsplit("user", 1)[-1]), "?") for p in prompts]


def test_validation_questions_come_from_the_validation_split_only(tiny_spelling_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(tiny_spelling_data, data)
    (data / "test.jsonl").unlink()  # never read: the metric works without the test split
    questions = validation_questions(data, per_type=4)
    assert len(questions) == 8 and {q["kind"] for q in questions} == {"count", "position"}
    assert all(q["id"].startswith("validation-") for q in questions)


def test_right_answers_score_one_and_wrong_ones_zero_per_kind(tiny_spelling_data, smollm2_tokenizer):
    questions = validation_questions(tiny_spelling_data, per_type=6)
    right = AnsweringEngine(smollm2_tokenizer, {q["question"]: q["answer"] for q in questions})
    assert letter_metrics(right, questions) == {"letter_count": 1.0, "letter_position": 1.0, "letter_accuracy": 1.0}
    counts_only = {q["question"]: q["answer"] for q in questions if q["kind"] == "count"}
    half = letter_metrics(AnsweringEngine(smollm2_tokenizer, counts_only), questions)
    assert half == {"letter_count": 1.0, "letter_position": 0.0, "letter_accuracy": 0.5}


def test_questions_are_asked_with_the_few_shot_prompt_of_the_evaluation(tiny_spelling_data, smollm2_tokenizer):
    from spelltune.spelling.prompt import FEW_SHOTS, build_prompt

    questions = validation_questions(tiny_spelling_data, per_type=2)
    engine = AnsweringEngine(smollm2_tokenizer, {})
    letter_metrics(engine, questions)
    expected = [build_prompt(smollm2_tokenizer, q["question"], FEW_SHOTS[q["kind"]]) for q in questions]
    assert sorted(engine.prompts) == sorted(expected)
    assert all("banana" in p or "garden" in p for p in engine.prompts)  # the few-shot turns are there


def test_metric_on_a_tiny_model_equals_the_evaluations_accuracy(tiny_spelling_data, tiny_model_dir):
    from spelltune.engine import load_engine

    settings = SpellingEvalSettings(per_type=6, spell_words=0, batch_size=4)
    evaluated = evaluate_model(str(tiny_model_dir), tiny_spelling_data / "validation.jsonl", settings)
    accuracy = evaluated["summary"]["accuracy"]
    engine = load_engine(str(tiny_model_dir), engine="torch", device="cpu")
    metrics = letter_metrics(engine, validation_questions(tiny_spelling_data, 6), batch_size=4)
    assert metrics["letter_count"] == accuracy["count"]["value"]
    assert metrics["letter_position"] == accuracy["position"]["value"]

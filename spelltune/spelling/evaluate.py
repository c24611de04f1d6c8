"""Ask a model the questions: batched, left-padded greedy generation with a few new tokens; score each answer.

Besides the two question kinds, a spelling probe asks the model to spell each question word (scored by
character accuracy and normalised Levenshtein), and the gold answers' perplexity is measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from spelltune.engine.base import Engine
from spelltune.errors import DataFormatError, InputError
from spelltune.jsonl import read_jsonl_objects
from spelltune.spelling.answer import parse_count, parse_letter, parse_spelling
from spelltune.spelling.metrics import (
    character_accuracy,
    count_error_kind,
    normalized_levenshtein,
    perplexity,
    position_error_kind,
    summarize,
)
from spelltune.spelling.prompt import FEW_SHOTS, build_prompt, build_training_example
from spelltune.spelling.questions import KINDS

MAX_NEW_TOKENS = {"count": 6, "position": 6, "spell": 40}


@dataclass
class SpellingEvalSettings:
    """How many questions, in which prompt mode, on which device."""

    per_type: int = 100  # first N questions of each kind (the files are length-stratified in any prefix)
    spell_words: int = 50  # words of the spelling probe (0: no probe)
    few_shot: bool = True
    batch_size: int = 16
    device: str | None = "cpu"
    threads: int = 1
    seed: int = 0


def read_questions(path: Path) -> list[dict[str, Any]]:
    """The question rows of a validation/test JSONL file written by `spelltune spelling build`."""
    if not path.is_file():
        raise InputError(f"{path}: no such question file; build one with `spelltune spelling build`")
    rows = []
    for number, row in read_jsonl_objects(path):
        if row.get("kind") not in KINDS or not row.get("word") or not row.get("answer"):
            raise DataFormatError(f"{path}:{number}: expected a question row from `spelltune spelling build`")
        rows.append(row)
    if not rows:
        raise DataFormatError(f"{path} holds no questions")
    return rows


def select_questions(rows: list[dict[str, Any]], per_type: int) -> list[dict[str, Any]]:
    """The first `per_type` questions of each kind, in file order."""
    taken: dict[str, int] = {}
    chosen = []
    for row in rows:
        if taken.get(row["kind"], 0) < per_type:
            taken[row["kind"]] = taken.get(row["kind"], 0) + 1
            chosen.append(row)
    return chosen


def answer_perplexity(engine: Engine, rows: list[dict[str, Any]], few_shot: bool) -> float:
    """Perplexity of the gold answers (and end-of-turn) after the prompt the answers were generated from."""
    tokenizer = engine.tokenizer
    requests, answer_tokens = [], 0
    for row in rows:
        example = build_training_example(tokenizer, row["question"], row["answer"])
        prompt = build_prompt(tokenizer, row["question"], FEW_SHOTS[row["kind"]] if few_shot else [])
        requests.append((prompt, [example.completion]))
        answer_tokens += len(engine.encode(example.completion))
    total_log_prob = sum(scores[0] for scores in engine.score_many(requests))
    return perplexity(-total_log_prob, answer_tokens)


def score_question(row: dict[str, Any], generation: str) -> dict[str, Any]:
    """One prediction row: the generation, the parsed answer, correct or not, and the kind of error."""
    if row["kind"] == "count":
        parsed = parse_count(generation)
        kind = count_error_kind(parsed, int(row["answer"]))
    else:
        parsed = parse_letter(generation)
        kind = position_error_kind(parsed, row["word"], int(row["position"]))
    return {"id": row["id"], "kind": row["kind"], "word": row["word"], "length": row["length"],
            "length_bin": row["length_bin"], "question": row["question"], "answer": row["answer"],
            "generation": generation, "parsed": parsed, "correct": kind == "correct", "error_kind": kind}


def answer_questions(engine: Engine, rows: list[dict[str, Any]], few_shot: bool = True, batch_size: int = 16,
                     on_progress: Callable[[int], Any] | None = None) -> list[dict[str, Any]]:
    """Each question answered greedily from the evaluation's prompt (few-shot or not) and scored, kind by kind.

    The one way a question is asked: the final evaluation and the validation metric while training
    (`spelltune.spelling.validation`) both call this.
    """
    predictions = []
    for kind in KINDS:
        kind_rows = [r for r in rows if r["kind"] == kind]
        if not kind_rows:
            continue
        shots = FEW_SHOTS[kind] if few_shot else []
        prompts = [build_prompt(engine.tokenizer, r["question"], shots) for r in kind_rows]
        generations = engine.generate(prompts, MAX_NEW_TOKENS[kind], batch_size=batch_size, on_progress=on_progress)
        predictions += [score_question(r, g) for r, g in zip(kind_rows, generations)]
    return predictions


def spelling_probe_question(word: str) -> str:
    """Spell 'word' letter by letter, separated by dashes."""
    return f"Spell '{word}' letter by letter, separated by dashes."


def score_spelling(word: str, length_bin: str, generation: str) -> dict[str, Any]:
    """One spelling-probe row: exact, character accuracy and normalised Levenshtein of the spelled letters."""
    letters = parse_spelling(generation)
    return {"id": f"spell-{word}", "kind": "spell", "word": word, "length": len(word), "length_bin": length_bin,
            "generation": generation, "parsed": letters, "correct": letters == word,
            "character_accuracy": character_accuracy(letters, word),
            "normalized_levenshtein": normalized_levenshtein(letters, word)}


def evaluate_model(model_spec: str, questions_path: Path, settings: SpellingEvalSettings,
                   progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Load the model, answer the selected questions and the spelling probe; return predictions and summary."""
    import torch
    from tqdm.auto import tqdm

    from spelltune.engine import load_engine

    say = progress or (lambda message: None)
    rows = select_questions(read_questions(questions_path), settings.per_type)
    torch.set_num_threads(settings.threads)
    torch.manual_seed(settings.seed)
    say(f"loading model {model_spec}")
    engine = load_engine(model_spec, engine="torch", device=settings.device)
    tokenizer = engine.tokenizer
    predictions: list[dict[str, Any]] = []
    probe_words = list(dict.fromkeys((r["word"], r["length_bin"]) for r in rows))[: settings.spell_words]
    total = len(rows) + len(probe_words)
    with tqdm(total=total, desc="questions", disable=None) as bar:
        predictions += answer_questions(engine, rows, settings.few_shot, settings.batch_size, on_progress=bar.update)
        if probe_words:
            shots = FEW_SHOTS["spell"] if settings.few_shot else []
            prompts = [build_prompt(tokenizer, spelling_probe_question(w), shots) for w, _ in probe_words]
            generations = engine.generate(prompts, MAX_NEW_TOKENS["spell"], batch_size=settings.batch_size,
                                          on_progress=bar.update)
            predictions += [score_spelling(w, b, g) for (w, b), g in zip(probe_words, generations)]
    say("measuring answer perplexity")
    summary = summarize(predictions, seed=settings.seed)
    summary["answer_perplexity"] = answer_perplexity(engine, rows, settings.few_shot)
    summary["model"] = model_spec
    summary["questions_file"] = str(questions_path)
    summary["settings"] = {"per_type": settings.per_type, "spell_words": settings.spell_words,
                           "few_shot": settings.few_shot, "method": "plain few-shot chat prompt" if settings.few_shot
                           else "zero-shot chat prompt", "seed": settings.seed}
    return {"summary": summary, "predictions": predictions}


def write_evaluation(result: dict[str, Any], out_dir: Path) -> None:
    """OUT/summary.json and OUT/predictions.jsonl."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(result["summary"], indent=2, sort_keys=True) + "\n",
                                          encoding="utf-8")
    with (out_dir / "predictions.jsonl").open("w", encoding="utf-8") as handle:
        for row in result["predictions"]:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")

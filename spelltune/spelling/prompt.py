"""The one question-answer prompt format of the spelling study: training rows, baselines and evaluation.

Built with the tokenizer's chat template (Qwen3 with `enable_thinking=False`), with a short explicit
system message so templates do not insert their long default one. Few-shot examples are earlier turns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SYSTEM_PROMPT = "Answer questions about the letters of words. Reply with the answer only."

# Used only for tokenizers without a chat template (base models such as gpt2).
PLAIN_TURN = "Q: {question}\nA:"

# Few-shot examples for the baseline: one integer or one letter, nothing else. Their words are kept out
# of the validation and test questions (see `FEW_SHOT_WORDS`).
FEW_SHOTS: dict[str, list[tuple[str, str]]] = {
    "count": [
        ("How many 'a's are in 'banana'?", "3"),
        ("How many 'z's are in 'window'?", "0"),
        ("How many 'e's are in 'pepper'?", "2"),
    ],
    "position": [
        ("What is the 2nd letter in 'garden'?", "a"),
        ("What is the 5th letter in 'window'?", "o"),
        ("What is the 1st letter in 'pepper'?", "p"),
    ],
    "spell": [
        ("Spell 'garden' letter by letter, separated by dashes.", "g-a-r-d-e-n"),
        ("Spell 'window' letter by letter, separated by dashes.", "w-i-n-d-o-w"),
    ],
}
FEW_SHOT_WORDS = frozenset({"banana", "window", "pepper", "garden"})


@dataclass(frozen=True)
class TrainingExample:
    """A prompt and the completion the model must learn (loss on the completion only)."""

    prompt: str
    completion: str


def _messages(question: str, shots: list[tuple[str, str]]) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    for shot_question, shot_answer in shots:
        messages += [{"role": "user", "content": shot_question}, {"role": "assistant", "content": shot_answer}]
    messages.append({"role": "user", "content": question})
    return messages


def _has_chat_template(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def build_prompt(tokenizer: Any, question: str, shots: list[tuple[str, str]] | None = None) -> str:
    """The full prompt up to where the answer begins, with optional few-shot (question, answer) turns."""
    shots = shots or []
    if _has_chat_template(tokenizer):
        return tokenizer.apply_chat_template(
            _messages(question, shots), tokenize=False, add_generation_prompt=True, enable_thinking=False
        )
    turns = [PLAIN_TURN.format(question=q) + f" {a}\n" for q, a in shots]
    return SYSTEM_PROMPT + "\n\n" + "".join(turns) + PLAIN_TURN.format(question=question)


def build_training_example(tokenizer: Any, question: str, answer: str) -> TrainingExample:
    """The prompt for `question` and `answer` plus the template's end-of-turn marker (EOS without one)."""
    prompt = build_prompt(tokenizer, question)
    if _has_chat_template(tokenizer):
        full = tokenizer.apply_chat_template(
            _messages(question, []) + [{"role": "assistant", "content": answer}], tokenize=False,
            enable_thinking=False,
        )
        if full.startswith(prompt):
            return TrainingExample(prompt, full[len(prompt):].rstrip("\n"))
        return TrainingExample(prompt, answer + (tokenizer.eos_token or ""))
    return TrainingExample(prompt, " " + answer + (tokenizer.eos_token or ""))

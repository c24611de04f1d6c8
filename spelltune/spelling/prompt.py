"""The one question-answer prompt format of the spelling study: training rows, baselines and evaluation.

Rendered by spelltune/prompt.py's chat rendering (the same template handling as the correction prompt),
with a short explicit system message so templates do not insert their long default one. Few-shot
examples are earlier turns.
"""

from __future__ import annotations

from typing import Any

from spelltune.prompt import TrainingExample, render_example, render_prompt

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


def _plain_prompt(question: str, shots: list[tuple[str, str]]) -> str:
    turns = [PLAIN_TURN.format(question=q) + f" {a}\n" for q, a in shots]
    return SYSTEM_PROMPT + "\n\n" + "".join(turns) + PLAIN_TURN.format(question=question)


def build_prompt(tokenizer: Any, question: str, shots: list[tuple[str, str]] | None = None) -> str:
    """The full prompt up to where the answer begins, with optional few-shot (question, answer) turns."""
    shots = shots or []
    return render_prompt(tokenizer, SYSTEM_PROMPT, question, shots, plain=_plain_prompt(question, shots))


def build_training_example(tokenizer: Any, question: str, answer: str) -> TrainingExample:
    """The prompt for `question` and `answer` plus the template's end-of-turn marker (EOS without one)."""
    return render_example(tokenizer, SYSTEM_PROMPT, question, answer, plain_prompt=_plain_prompt(question, []),
                          plain_completion=" " + answer + (tokenizer.eos_token or ""))

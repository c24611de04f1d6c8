"""The one prompt format, used by training, evaluation, export checks and serving alike.

A mismatch between the prompt a model was trained on and the one it is served with silently ruins
accuracy, so every stage builds its prompts here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Short on purpose: every prompt token is paid in training and in generation. Without an explicit
# system message SmolLM2's template inserts a 20-token default one.
SYSTEM_PROMPT = "Fix the spelling mistakes and typos in the text. Change nothing else."

# Used only for tokenizers without a chat template (base models such as gpt2).
PLAIN_TEMPLATE = "### Text with typos:\n{text}\n### Corrected:\n"

_THINK_BLOCK = re.compile(r"<think>.*?(</think>|$)", flags=re.DOTALL)


@dataclass(frozen=True)
class TrainingExample:
    """A prompt and the completion the model must learn; loss is taken on the completion only."""

    prompt: str
    completion: str


def _chat_messages(text: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": text},
    ]


def _template_kwargs() -> dict[str, Any]:
    # Qwen3 reasons before answering unless told not to; other templates ignore the flag.
    return {"enable_thinking": False}


def has_chat_template(tokenizer: Any) -> bool:
    """Whether the tokenizer carries a chat template (instruct models) or not (base models)."""
    return bool(getattr(tokenizer, "chat_template", None))


def build_prompt(tokenizer: Any, text: str) -> str:
    """The full prompt string, up to where the model's corrected text begins."""
    if has_chat_template(tokenizer):
        return tokenizer.apply_chat_template(
            _chat_messages(text), tokenize=False, add_generation_prompt=True, **_template_kwargs()
        )
    return PLAIN_TEMPLATE.format(text=text)


def build_training_example(tokenizer: Any, text: str, corrected: str) -> TrainingExample:
    """The prompt for `text` and a completion that is `corrected` plus the end-of-turn marker.

    The completion ends the way the template ends an assistant turn (`<|im_end|>` for ChatML), so a
    trained model learns where to stop; without a template it ends with the EOS token.
    """
    prompt = build_prompt(tokenizer, text)
    if has_chat_template(tokenizer):
        full = tokenizer.apply_chat_template(
            _chat_messages(text) + [{"role": "assistant", "content": corrected}],
            tokenize=False,
            **_template_kwargs(),
        )
        if full.startswith(prompt):
            completion = full[len(prompt) :]
            # Keep the end-of-turn marker but not the template's trailing newline after it.
            return TrainingExample(prompt=prompt, completion=completion.rstrip("\n"))
    eos = tokenizer.eos_token or ""
    return TrainingExample(prompt=prompt, completion=corrected + eos)


def parse_completion(generated: str) -> str:
    """The corrected text from what the model generated: no reasoning block, no surrounding blanks."""
    text = _THINK_BLOCK.sub("", generated)
    return text.strip()

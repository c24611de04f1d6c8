"""The one prompt format, used by training, evaluation, export checks and serving alike.

The chat rendering here is also what the spelling study builds its question prompts with.

A mismatch between the prompt a model was trained on and the one it is served with silently ruins
accuracy, so every stage builds its prompts here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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


def chat_messages(system: str, user: str, shots: Sequence[tuple[str, str]] = ()) -> list[dict[str, str]]:
    """A system message, earlier (question, answer) turns, then the user's message."""
    messages = [{"role": "system", "content": system}]
    for question, answer in shots:
        messages += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    messages.append({"role": "user", "content": user})
    return messages


def _template_kwargs() -> dict[str, Any]:
    # Qwen3 reasons before answering unless told not to; other templates ignore the flag.
    return {"enable_thinking": False}


def has_chat_template(tokenizer: Any) -> bool:
    """Whether the tokenizer carries a chat template (instruct models) or not (base models)."""
    return bool(getattr(tokenizer, "chat_template", None))


def render_prompt(tokenizer: Any, system: str, user: str, shots: Sequence[tuple[str, str]] = (),
                  plain: str = "") -> str:
    """A chat prompt up to where the assistant's answer begins; `plain` for tokenizers without a template."""
    if has_chat_template(tokenizer):
        return tokenizer.apply_chat_template(
            chat_messages(system, user, shots), tokenize=False, add_generation_prompt=True, **_template_kwargs()
        )
    return plain


def render_example(tokenizer: Any, system: str, user: str, answer: str, plain_prompt: str,
                   plain_completion: str) -> TrainingExample:
    """The prompt for `user` and a completion that is `answer` plus the template's end-of-turn marker.

    The completion ends the way the template ends an assistant turn (`<|im_end|>` for ChatML), so a
    trained model learns where to stop. Without a template the plain forms are used.
    """
    prompt = render_prompt(tokenizer, system, user, plain=plain_prompt)
    if has_chat_template(tokenizer):
        full = tokenizer.apply_chat_template(
            chat_messages(system, user) + [{"role": "assistant", "content": answer}], tokenize=False,
            **_template_kwargs(),
        )
        if full.startswith(prompt):
            # Keep the end-of-turn marker but not the template's trailing newline after it.
            return TrainingExample(prompt=prompt, completion=full[len(prompt) :].rstrip("\n"))
        return TrainingExample(prompt=prompt, completion=answer + (tokenizer.eos_token or ""))
    return TrainingExample(prompt=prompt, completion=plain_completion)


def build_prompt(tokenizer: Any, text: str) -> str:
    """The full correction prompt string, up to where the model's corrected text begins."""
    return render_prompt(tokenizer, SYSTEM_PROMPT, text, plain=PLAIN_TEMPLATE.format(text=text))


def build_training_example(tokenizer: Any, text: str, corrected: str) -> TrainingExample:
    """The correction prompt for `text` and `corrected` plus the end-of-turn marker (EOS without a template)."""
    return render_example(tokenizer, SYSTEM_PROMPT, text, corrected, plain_prompt=PLAIN_TEMPLATE.format(text=text),
                          plain_completion=corrected + (tokenizer.eos_token or ""))


def parse_completion(generated: str) -> str:
    """The corrected text from what the model generated: no reasoning block, no surrounding blanks."""
    text = _THINK_BLOCK.sub("", generated)
    return text.strip()

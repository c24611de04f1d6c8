"""The one prompt format: chat template when there is one, thinking off, plain template otherwise."""

import pytest
from transformers import AutoTokenizer

from spelltune.prompt import PLAIN_TEMPLATE, SYSTEM_PROMPT, build_prompt, build_training_example, parse_completion

# The part of Qwen3's template that matters here: it opens an empty think block when thinking is off.
QWEN3_LIKE_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n{% endif %}"
    "{% endif %}"
)


@pytest.fixture(scope="module")
def tokenizer(smollm2_tokenizer_dir):
    return AutoTokenizer.from_pretrained(smollm2_tokenizer_dir)


def test_chat_prompt_has_our_short_system_message_not_the_default_one(tokenizer):
    prompt = build_prompt(tokenizer, "Thi sis a test")
    assert prompt.startswith(f"<|im_start|>system\n{SYSTEM_PROMPT}<|im_end|>")
    assert "SmolLM" not in prompt
    assert prompt.endswith("<|im_start|>user\nThi sis a test<|im_end|>\n<|im_start|>assistant\n")


def test_training_completion_is_the_answer_plus_the_end_of_turn(tokenizer):
    example = build_training_example(tokenizer, "Thi sis a test", "This is a test")
    assert example.prompt == build_prompt(tokenizer, "Thi sis a test")
    assert example.completion == "This is a test<|im_end|>"


def test_qwen3_style_template_gets_thinking_disabled(tokenizer):
    tokenizer = AutoTokenizer.from_pretrained(tokenizer.name_or_path)
    tokenizer.chat_template = QWEN3_LIKE_TEMPLATE
    prompt = build_prompt(tokenizer, "teh")
    assert prompt.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n")


def test_tokenizer_without_chat_template_uses_the_plain_format(tokenizer):
    tokenizer = AutoTokenizer.from_pretrained(tokenizer.name_or_path)
    tokenizer.chat_template = None
    assert build_prompt(tokenizer, "teh cat") == PLAIN_TEMPLATE.format(text="teh cat")
    example = build_training_example(tokenizer, "teh cat", "the cat")
    assert example.completion == "the cat" + tokenizer.eos_token


@pytest.mark.parametrize(
    ("generated", "expected"),
    [
        ("<think>\nthe user wants...\n</think>\n\nThe cat.", "The cat."),
        ("<think>never closed", ""),
        ("  The cat.\n", "The cat."),
    ],
)
def test_reasoning_is_stripped_from_outputs(generated, expected):
    assert parse_completion(generated) == expected

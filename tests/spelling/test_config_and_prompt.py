"""The spelling config (YAML + --set, unknown keys refused), the shipped train presets, and the Q&A prompt."""

from pathlib import Path

import pytest

from spelltune.errors import ConfigError
from spelltune.spelling.config import load_spelling_config
from spelltune.spelling.prompt import FEW_SHOTS, SYSTEM_PROMPT, build_prompt, build_training_example

REPO = Path(__file__).resolve().parents[2]


def test_config_yaml_and_overrides(tmp_path):
    path = tmp_path / "spelling.yaml"
    path.write_text("test_per_type: 40\nlength_bins: [3, 7]\n")
    config = load_spelling_config(path, ["seed=4", "absent_letter_share=0"])
    assert (config.test_per_type, config.length_bins, config.seed, config.absent_letter_share) == (40, [3, 7], 4, 0.0)


@pytest.mark.parametrize("overrides,message", [
    (["tets_per_type=3"], "unknown key"), (["test_per_type=many"], "expected int"),
    (["length_bins=[8, 4]"], "increasing"), (["seed"], "key=value"),
])
def test_bad_config_is_a_config_error(overrides, message):
    with pytest.raises(ConfigError, match=message):
        load_spelling_config(None, overrides)


@pytest.mark.parametrize("preset", sorted((REPO / "configs" / "train").glob("spelling-*.yaml")))
def test_spelling_train_presets_load(preset):
    from spelltune.train.config import load_train_config

    config = load_train_config(preset)
    assert config.data.path == "runs/spelling/data"


def test_prompt_has_system_message_and_few_shot_turns(smollm2_tokenizer):
    prompt = build_prompt(smollm2_tokenizer, "How many 'r's are in 'strawberry'?", FEW_SHOTS["count"])
    assert SYSTEM_PROMPT in prompt and "helpful AI assistant" not in prompt
    assert prompt.count("<|im_start|>user") == 4 and prompt.endswith("<|im_start|>assistant\n")
    example = build_training_example(smollm2_tokenizer, "What is the 3rd letter in 'strawberry'?", "r")
    assert example.prompt == build_prompt(smollm2_tokenizer, "What is the 3rd letter in 'strawberry'?")
    assert example.completion == "r<|im_end|>"


def test_few_shot_answers_are_right():
    for question, answer in FEW_SHOTS["count"]:
        letter, word = question.split("'")[1], question.split("'")[3]
        assert answer == str(word.count(letter))
    for question, answer in FEW_SHOTS["position"]:
        position, word = int(question.split()[3][:-2]), question.split("'")[1]
        assert answer == word[position - 1]

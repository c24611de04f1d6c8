import json

from transformers import AutoTokenizer

from spelltune.prompt import build_training_example
from spelltune.train.dataset import read_pairs, to_prompt_completion


def test_rows_with_their_own_prompt_keep_it_and_plain_pairs_get_the_correction_prompt(tmp_path, smollm2_tokenizer_dir):
    tokenizer = AutoTokenizer.from_pretrained(smollm2_tokenizer_dir)
    path = tmp_path / "train.jsonl"
    rows = [
        {"input": "Spell 'cat'.", "output": "c a t", "prompt": "<|im_start|>user\nSpell 'cat'.", "completion": "c a t<|im_end|>"},
        {"input": "teh cat", "output": "the cat"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    dataset = to_prompt_completion(read_pairs(path), tokenizer)
    assert dataset[0] == {"prompt": "<|im_start|>user\nSpell 'cat'.", "completion": "c a t<|im_end|>"}
    expected = build_training_example(tokenizer, "teh cat", "the cat")
    assert dataset[1] == {"prompt": expected.prompt, "completion": expected.completion}

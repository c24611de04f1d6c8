"""Control datasets: as many training rows as the spelling data, of the same token lengths, without what
the spelling rows teach.

A fine-tune on one is trained the same way as a spelling run (same config, same sampled row positions,
same prompt format), so a difference between the two runs on the letter questions is due to the spelling
data and not to fine-tuning as such. Two kinds:
- `continuation` (no spelling at all): each row continues a sentence from the embedded everyday corpus
  (`spelltune/data/corpus/everyday_en.txt`), its completion cut to the token count of the spelling
  completion at the same position;
- `mismatched` (the spelling rows' format, none of their facts): each spelling row keeps its prompt and
  takes the completion of another row of the same template and about the same token length, so the
  model learns to answer in letters but never which letters a token holds.
The validation questions are copied unchanged, so every run is validated on the same letter questions.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path
from typing import Any, Callable

from spelltune.errors import InputError
from spelltune.jsonl import read_jsonl_objects
from spelltune.models.loading import load_tokenizer
from spelltune.spelling.prompt import build_training_example

KINDS = ("continuation", "mismatched")
QUESTIONS = (
    "Continue this sentence: '{prefix}'",
    "How might this sentence go on? '{prefix}'",
    "Finish the thought: '{prefix}'",
    "What comes next? '{prefix}'",
    "Carry on from here: '{prefix}'",
)
PREFIX_WORDS = (2, 6)  # words of the sentence given in the question (inclusive range)
# Sentences that talk about spelling (or letters in the post: the words alone would cue the task) stay out.
ABOUT_SPELLING = re.compile(r"spell|letter|alphabet|vowel|consonant", re.IGNORECASE)


def corpus_sentences() -> list[str]:
    """The embedded clean sentences (no spelling content: everyday English written for spelltune)."""
    from spelltune.data.sources.sentences import load_embedded_sentences

    return [s.text for s in load_embedded_sentences("everyday-en")
            if len(s.text.split()) >= PREFIX_WORDS[1] + 2 and not ABOUT_SPELLING.search(s.text)]


def continuation(words: list[str], tokenizer: Any, target_tokens: int) -> str:
    """The shortest run of `words` from the start whose token count reaches `target_tokens` (all of them if none)."""
    text = ""
    for count in range(1, len(words) + 1):
        text = " ".join(words[:count])
        if len(tokenizer(text, add_special_tokens=False).input_ids) >= target_tokens:
            break
    return text


def control_rows(spelling_rows: list[dict[str, Any]], sentences: list[str], tokenizer: Any, seed: int,
                 ) -> list[dict[str, Any]]:
    """One sentence-continuation row per spelling row, its completion as many tokens long as that row's answer."""
    rng = random.Random(f"{seed}-control")
    rows = []
    for index, spelling in enumerate(spelling_rows):
        target = len(tokenizer(spelling["output"], add_special_tokens=False).input_ids)
        words = rng.choice(sentences).split()
        while True:  # a long answer runs on into further sentences
            cut = rng.randint(*PREFIX_WORDS)
            rest = words[cut:]
            if len(tokenizer(" ".join(rest), add_special_tokens=False).input_ids) >= target:
                break
            words = words + rng.choice(sentences).split()
        prefix = " ".join(words[:cut])
        question = QUESTIONS[index % len(QUESTIONS)].format(prefix=prefix)
        answer = continuation(rest, tokenizer, target)
        example = build_training_example(tokenizer, question, answer)
        rows.append({"input": question, "output": answer, "category": f"control/{index % len(QUESTIONS)}",
                     "prompt": example.prompt, "completion": example.completion})
    return rows


def mismatched_rows(spelling_rows: list[dict[str, Any]], tokenizer: Any, seed: int) -> list[dict[str, Any]]:
    """Each row's prompt with the completion of another row of its template (the next longer, by completion
    tokens, in a seeded order), never a completion about its own word."""
    rng = random.Random(f"{seed}-mismatched")
    lengths = [len(ids) for ids in tokenizer([r["output"] for r in spelling_rows], add_special_tokens=False).input_ids]
    donor: dict[int, int] = {}
    # Another row of the same template first; a template with one word only borrows within its order
    # (word-first or spelling-first), so small datasets work too.
    for grouping in (lambda row: row.get("category", ""), lambda row: row.get("category", "").split("/")[0]):
        groups: dict[str, list[int]] = {}
        for index, row in enumerate(spelling_rows):
            groups.setdefault(grouping(row), []).append(index)
        for indices in groups.values():
            ties = {i: rng.random() for i in indices}
            ordered = sorted(indices, key=lambda i: (lengths[i], ties[i]))
            for position, index in enumerate(ordered):
                if index in donor:
                    continue
                for step in range(1, len(ordered)):
                    candidate = ordered[(position + step) % len(ordered)]
                    if spelling_rows[candidate].get("word") != spelling_rows[index].get("word"):
                        donor[index] = candidate
                        break
    if len(donor) < len(spelling_rows):
        raise InputError("a mismatched control needs at least two different words per question order")
    rows = []
    for index, row in enumerate(spelling_rows):
        given = spelling_rows[donor[index]]
        example = build_training_example(tokenizer, row["input"], given["output"])
        rows.append({"input": row["input"], "output": given["output"], "category": f"mismatched/{row.get('category', '')}",
                     "word": row.get("word"), "answer_about": given.get("word"),
                     "prompt": example.prompt, "completion": example.completion})
    return rows


def build_control_dataset(spelling_dir: Path, out_dir: Path, tokenizer_spec: str = "smollm2-135m", seed: int = 0,
                          progress: Callable[[str], None] | None = None, kind: str = "continuation") -> dict[str, Any]:
    """OUT/train.jsonl (control rows matched to SPELLING/train.jsonl), a copy of its validation.jsonl, manifest.json."""
    if kind not in KINDS:
        raise InputError(f"control kind {kind!r}: use one of {', '.join(KINDS)}")
    say = progress or (lambda message: None)
    train_path = spelling_dir / "train.jsonl"
    if not train_path.is_file() or not (spelling_dir / "validation.jsonl").is_file():
        raise InputError(f"{spelling_dir} has no train.jsonl/validation.jsonl: build it with `spelltune spelling build`")
    spelling_rows = [row for _, row in read_jsonl_objects(train_path)]
    tokenizer = load_tokenizer(tokenizer_spec)
    say(f"{len(spelling_rows)} spelling rows; writing as many control rows")
    rows = (control_rows(spelling_rows, corpus_sentences(), tokenizer, seed) if kind == "continuation"
            else mismatched_rows(spelling_rows, tokenizer, seed))
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "train.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    shutil.copyfile(spelling_dir / "validation.jsonl", out_dir / "validation.jsonl")

    def tokens(texts: list[str]) -> int:
        return sum(len(ids) for ids in tokenizer(texts, add_special_tokens=False).input_ids)

    manifest = {
        "kind": {"continuation": "control (sentence continuation, no spelling)",
                 "mismatched": "control (spelling format, each prompt with another word's answer)"}[kind],
        "spelling_data": str(spelling_dir),
        "tokenizer": tokenizer_spec,
        "seed": seed,
        "train_examples": len(rows),
        "completion_tokens": {"control": tokens([r["output"] for r in rows]),
                              "spelling": tokens([r["output"] for r in spelling_rows])},
        "prompt_tokens": {"control": tokens([r["prompt"] for r in rows]),
                          "spelling": tokens([r["prompt"] for r in spelling_rows if "prompt" in r])},
        "validation": "validation.jsonl copied from the spelling data",
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say(f"wrote {out_dir}")
    return manifest

"""build_dataset and check_dataset end to end: determinism, leakage, categories, CLI errors."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from spelltune.data.build import build_dataset
from spelltune.data.check import check_dataset
from spelltune.data.config import CATEGORIES, load_data_config

REPO = Path(__file__).resolve().parents[2]
QUICK = REPO / "configs" / "data" / "quick.yaml"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    build_dataset(load_data_config(QUICK, ["pairs=1500", "heldout_word_fraction=0.3"]), out)
    return out


def test_same_config_and_seed_give_byte_identical_files(small_dataset: Path, tmp_path: Path) -> None:
    build_dataset(load_data_config(QUICK, ["pairs=1500", "heldout_word_fraction=0.3"]), tmp_path)
    names = sorted(p.name for p in small_dataset.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    assert {"train.jsonl", "validation.jsonl", "test.jsonl", "card.md", "stats.json", "category_mix.png"} <= set(names)
    for name in names:
        assert (small_dataset / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_another_seed_gives_other_pairs(small_dataset: Path, tmp_path: Path) -> None:
    build_dataset(load_data_config(QUICK, ["pairs=1500", "heldout_word_fraction=0.3", "seed=1"]), tmp_path)
    assert (small_dataset / "train.jsonl").read_bytes() != (tmp_path / "train.jsonl").read_bytes()


def test_rows_have_the_documented_fields(small_dataset: Path) -> None:
    rows = _rows(small_dataset / "train.jsonl")
    assert all(set(r) == {"input", "output", "category", "source", "error_types", "complexity"} for r in rows)
    for row in rows:
        if row["category"] == "pass_through":
            assert row["input"] == row["output"] and row["error_types"] == []
        else:
            assert row["input"] != row["output"] and row["error_types"]
    assert any(r["source"].endswith("|codespell") for r in rows)  # human errors are labelled apart
    assert any(r["source"].endswith("|synthetic") for r in rows)
    lowercase = [r for r in rows if r["output"] == r["output"].lower() and r["output"] != r["output"].upper()]
    assert 0.2 < len(lowercase) / len(rows) < 0.45


def test_check_passes_on_a_built_dataset(small_dataset: Path) -> None:
    report = check_dataset(small_dataset)
    assert report.ok and report.heldout_words > 0
    assert sum(report.rows_by_split.values()) == 1500


def test_check_fails_on_a_shared_sentence(small_dataset: Path, tmp_path: Path) -> None:
    for path in small_dataset.glob("*.jsonl"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "heldout_words.txt").write_bytes((small_dataset / "heldout_words.txt").read_bytes())
    leaked = _rows(small_dataset / "test.jsonl")[0]
    leaked["output"] = leaked["output"].upper()  # case does not hide a shared sentence
    with (tmp_path / "train.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(leaked) + "\n")
    report = check_dataset(tmp_path)
    assert not report.ok and report.overlaps["train/test"] == 1
    result = subprocess.run(
        [sys.executable, "-m", "spelltune", "data", "check", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "FAIL" in result.stderr


def test_check_fails_when_train_corrects_a_held_out_word(small_dataset: Path, tmp_path: Path) -> None:
    for path in small_dataset.glob("*.jsonl"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    word = (small_dataset / "heldout_words.txt").read_text(encoding="utf-8").split()[0]
    (tmp_path / "heldout_words.txt").write_text(word + "\n", encoding="utf-8")
    row = {"input": f"I wrote {word[::-1]} today.", "output": f"I wrote {word} today.", "category": "typo",
           "source": "x|synthetic", "error_types": ["transposition"]}
    with (tmp_path / "train.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    report = check_dataset(tmp_path)
    assert not report.ok and report.heldout_leaks == 1


def test_quick_preset_has_every_category_and_the_targets(tmp_path: Path) -> None:
    # quick.yaml itself builds 20k pairs in ~10 s (timed in the closing note); here it is
    # scaled to 6k pairs to keep the suite fast, so the per-category floors are scaled by 0.3.
    report = build_dataset(load_data_config(QUICK, ["pairs=6000"]), tmp_path)
    by_category = report.stats["by_category"]
    assert set(by_category) == set(CATEGORIES)
    assert by_category["contraction"] >= 300 and by_category["homophone"] >= 300 and by_category["dyslexic"] >= 150
    assert 0.10 <= report.stats["pass_through_share"] <= 0.20
    assert report.stats["pass_through_with_confusable_word"] >= 0.5 * by_category["pass_through"]
    assert by_category["real_word"] >= 400
    complexity = report.stats["by_complexity"]
    corrupted = sum(v for k, v in complexity.items() if k != "none")
    assert abs(complexity["simple"] / corrupted - 0.4) < 0.05 and abs(complexity["complex"] / corrupted - 0.2) < 0.05
    assert check_dataset(tmp_path).ok


def test_pass_through_pairs_hold_confusable_words_at_the_configured_share(tmp_path: Path) -> None:
    from spelltune.data.build import has_confusable_word

    def confusable_share(share: float, out: Path) -> float:
        build_dataset(load_data_config(QUICK, ["pairs=1500", f"pass_through_confusable_share={share}"]), out)
        rows = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
        kept = [row for row in rows if row["category"] == "pass_through"]
        assert kept and all(row["input"] == row["output"] for row in kept)
        return sum(has_confusable_word(row["input"]) for row in kept) / len(kept)

    assert confusable_share(1.0, tmp_path / "all") == 1.0
    assert confusable_share(0.0, tmp_path / "none") < 0.9  # plain sentences: many hold no such word
    assert has_confusable_word("Send it from home.") and not has_confusable_word("The cat sat.")


def test_real_word_pairs_swap_in_a_real_word_the_output_had() -> None:
    from spelltune.correct.dictionary import known_words
    from spelltune.data.corruption.sentence import corrupt_sentence

    rng = random.Random(3)
    for _ in range(30):
        corrupted = corrupt_sentence("I walked home from the station with my friend.", "real_word", 1, rng)
        assert corrupted is not None and corrupted.error_types == ["real_word_error"]
        changed = [w for w in corrupted.text.rstrip(".").split() if w not in "I walked home from the station with my friend".split()]
        assert len(changed) == 1 and changed[0].lower() in known_words()


def test_hf_format_saves_a_dataset_dict(tmp_path: Path) -> None:
    import datasets

    build_dataset(load_data_config(QUICK, ["pairs=200"]), tmp_path, fmt="hf")
    loaded = datasets.load_from_disk(str(tmp_path / "hf"))
    assert set(loaded) == {"train", "validation", "test"} and len(loaded["train"]) == 180


def test_human_corpora_from_files(shared_data: Path, tmp_path: Path) -> None:
    overrides = [
        "pairs=400",
        f"misspellings=[{{kind: mitton, path: {shared_data / 'mitton' / 'missp.dat'}, name: birkbeck}}]",
        f"sentences=[{{kind: files, path: {shared_data / 'realistic-books' / 'correct.txt'}, max_sentences: 2000}}]",
    ]
    report = build_dataset(load_data_config(QUICK, overrides), tmp_path)
    assert "correct|birkbeck" in report.stats["by_source"]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spelltune", "data", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_build_then_check(tmp_path: Path) -> None:
    built = _cli("build", str(QUICK), "--out", str(tmp_path / "d"), "--set", "pairs=300", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    checked = _cli("check", str(tmp_path / "d"), cwd=tmp_path)
    assert checked.returncode == 0 and "OK: no leakage" in checked.stdout


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "missp.dat: no such file"),
        ("malformed", "bad.dat:2:"),
        ("empty", "holds no usable sentences"),
        ("unknown_key", "unknown key"),
    ],
)
def test_cli_user_errors_exit_2_with_one_line(tmp_path: Path, setup: str, message: str) -> None:
    overrides = ["pairs=50"]
    if setup == "missing":
        overrides.append(f"misspellings=[{{kind: mitton, path: {tmp_path / 'missp.dat'}}}]")
    elif setup == "malformed":
        (tmp_path / "bad.dat").write_text("$word\nwrod 1 2\n", encoding="utf-8")
        overrides.append(f"misspellings=[{{kind: mitton, path: {tmp_path / 'bad.dat'}}}]")
    elif setup == "empty":
        (tmp_path / "empty.txt").write_text("\n\nno\n", encoding="utf-8")
        overrides.append(f"sentences=[{{kind: files, path: {tmp_path / 'empty.txt'}}}]")
    else:
        overrides.append("colour=red")
    args = ["build", str(QUICK), "--out", str(tmp_path / "out")]
    for override in overrides:
        args += ["--set", override]
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.stderr


def test_corrected_words_aligns_word_by_word() -> None:
    from spelltune.data.check import corrected_words

    assert corrected_words("to path too warsaw", "the path to warsaw") == {"the", "to"}
    assert corrected_words("he cried, the has", "she cried, he has") == {"she", "he"}
    assert corrected_words("a sen tence here", "a sentence here") == {"sentence"}
    assert corrected_words("stood infront of it", "stood in front of it") == {"in", "front"}


def test_dense_sentences_have_a_quarter_of_their_words_wrong_and_adjacent_errors(tmp_path: Path) -> None:
    config = load_data_config(QUICK, ["pairs=400", "complexity_mix={simple: 0.5, dense: 0.5}"])
    build_dataset(config, tmp_path)
    rows = [r for r in _rows(tmp_path / "train.jsonl") if r["complexity"] == "dense"]
    assert len(rows) > 100
    rates, adjacent = [], 0
    for row in rows:
        words = row["output"].split()
        changed = [i for i, (a, b) in enumerate(zip(row["input"].split(), words)) if a != b]
        rates.append(len(changed) / len(words))
        adjacent += any(b - a == 1 for a, b in zip(changed, changed[1:]))
    assert sum(rates) / len(rates) >= 0.2  # a quarter asked; some errors merge or split words
    assert adjacent > len(rows) / 2

"""`spelltune train` end to end on the tiny Llama: the run directory, `fix --model RUN_DIR`, resume, stop rules."""

from __future__ import annotations

import json

import pytest
import yaml
from transformers import TrainerCallback

from spelltune.models.loading import RUN_MANIFEST
from spelltune.train.config import config_from_dict
from spelltune.train.run import train_model

from .conftest import tiny_train_settings


@pytest.fixture(scope="module")
def finished_run(tiny_model_dir, tiny_dataset_dir, tmp_path_factory):
    """One tiny cpu-smoke-like run through the CLI's own function, shared by the run-dir tests."""
    run_dir = tmp_path_factory.mktemp("runs") / "tiny"
    config = config_from_dict(tiny_train_settings(tiny_model_dir, tiny_dataset_dir, max_steps=12))
    result = train_model(config, run_dir)
    return result


def test_the_run_directory_holds_everything_a_user_needs(finished_run):
    run_dir = finished_run.run_dir
    for name in ("config.yaml", "metrics.jsonl", "loss_curve.png", "README.md", "train_summary.json", RUN_MANIFEST):
        assert (run_dir / name).is_file(), name
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert sorted(p.name for p in (run_dir / "checkpoints").glob("checkpoint-*")) == [
        "checkpoint-12", "checkpoint-4", "checkpoint-8"
    ]
    assert (run_dir / "checkpoints" / "checkpoint-12" / "adapter_model.safetensors").is_file()
    manifest = json.loads((run_dir / RUN_MANIFEST).read_text())
    assert manifest["model_dir"] == "adapter" and manifest["status"] == "finished"
    card = (run_dir / "README.md").read_text()
    assert "card.md" in card and "spelltune fix --model" in card and "validation exact match" in card


def test_the_config_as_used_repeats_the_run(finished_run):
    saved = yaml.safe_load((finished_run.run_dir / "config.yaml").read_text())
    assert config_from_dict(saved).max_steps == 12


def test_the_loss_goes_down_and_validation_is_logged(finished_run):
    entries = [json.loads(line) for line in (finished_run.run_dir / "metrics.jsonl").read_text().splitlines()]
    losses = [e["loss"] for e in entries if "loss" in e]
    assert len(losses) == 12
    assert sum(losses[-3:]) < sum(losses[:3])  # a random 2-layer base moves slowly under LoRA
    validations = [e for e in entries if "eval_exact_match" in e]
    assert [e["step"] for e in validations] == [4, 8, 12]
    assert all(0.0 <= e["eval_exact_match"] <= 1.0 and "eval_loss" in e for e in validations)
    assert any("tokens_per_second" in e and "seconds_per_step" in e for e in entries)
    assert finished_run.summary["peak_memory_mb"] > 0


def test_full_fine_tuning_lowers_the_loss_and_saves_weights_fix_can_load(tiny_model_dir, tiny_dataset_dir,
                                                                          tmp_path, run_cli):
    settings = tiny_train_settings(tiny_model_dir, tiny_dataset_dir, method="full", lr=5.0e-3, max_steps=10,
                                   **{"eval.every_steps": 0})
    result = train_model(config_from_dict(settings), tmp_path / "full")
    entries = [json.loads(line) for line in (result.run_dir / "metrics.jsonl").read_text().splitlines()]
    losses = [e["loss"] for e in entries if "loss" in e]
    assert sum(losses[-3:]) / 3 < 0.9 * sum(losses[:3]) / 3
    assert json.loads((result.run_dir / RUN_MANIFEST).read_text())["model_dir"] == "model"
    assert (result.run_dir / "model" / "model.safetensors").is_file()
    fixed = run_cli(["fix", "--model", str(result.run_dir), "Ther cat sat on teh mat."])
    assert fixed.exit_code == 0, fixed.stderr


def test_the_adapter_names_a_base_the_loader_resolves(finished_run, tiny_model_dir):
    config = json.loads((finished_run.run_dir / "adapter" / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == str(tiny_model_dir.resolve())


def test_fix_uses_the_run_directory(finished_run, run_cli):
    result = run_cli(["fix", "--model", str(finished_run.run_dir), "--json", "Ther cat sat on teh mat."])
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["input"] == "Ther cat sat on teh mat."


def test_an_existing_run_is_not_overwritten_without_resume(finished_run, tiny_model_dir, tiny_dataset_dir):
    from spelltune.errors import ConfigError

    config = config_from_dict(tiny_train_settings(tiny_model_dir, tiny_dataset_dir))
    with pytest.raises(ConfigError, match="--resume"):
        train_model(config, finished_run.run_dir)


class CrashAtStep(TrainerCallback):
    """Kill the run mid-way: after a checkpoint, with unsaved steps lost."""

    def __init__(self, step: int):
        self.step = step

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            raise KeyboardInterrupt


def test_a_killed_and_resumed_run_ends_where_an_uninterrupted_one_does(tiny_model_dir, tiny_dataset_dir, tmp_path):
    from safetensors.torch import load_file

    settings = tiny_train_settings(tiny_model_dir, tiny_dataset_dir, max_steps=8, **{"eval.exact_match_pairs": 0})
    whole = train_model(config_from_dict(settings), tmp_path / "whole")
    with pytest.raises(KeyboardInterrupt):
        train_model(config_from_dict(settings), tmp_path / "killed", callbacks=[CrashAtStep(6)])
    assert not (tmp_path / "killed" / RUN_MANIFEST).exists()
    resumed = train_model(config_from_dict(settings), tmp_path / "killed", resume=True)

    assert resumed.summary["global_step"] == whole.summary["global_step"] == 8
    assert resumed.summary["final_train_loss"] == pytest.approx(whole.summary["final_train_loss"], abs=1e-6)
    assert resumed.summary["eval_loss"] == pytest.approx(whole.summary["eval_loss"], abs=1e-6)
    weights_whole = load_file(whole.model_dir / "adapter_model.safetensors")
    weights_resumed = load_file(resumed.model_dir / "adapter_model.safetensors")
    assert weights_whole.keys() == weights_resumed.keys()
    for name, tensor in weights_whole.items():
        assert (tensor - weights_resumed[name]).abs().max().item() < 1e-6, name
    # The metrics log holds each step once, even though steps 5-6 ran twice.
    steps = [json.loads(line).get("step") for line in (tmp_path / "killed" / "metrics.jsonl").read_text().splitlines()
             if "loss" in json.loads(line)]
    assert steps == list(range(1, 9))


def test_target_accuracy_stops_the_run(tiny_model_dir, tiny_dataset_dir, tmp_path):
    from spelltune.train.callbacks import StopRulesCallback

    rule = StopRulesCallback(target_accuracy=0.5, patience=None, max_minutes=None)

    class Control:
        should_training_stop = False
        should_save = False

    control = Control()
    rule.on_evaluate(None, None, control, metrics={"eval_exact_match": 0.25})
    assert not control.should_training_stop
    rule.on_evaluate(None, None, control, metrics={"eval_exact_match": 0.5})
    assert control.should_training_stop and control.should_save and "target" in rule.stop_reason


def _validations(metric: str, values: list[float], patience: int = 2):
    """A patience rule on `metric` after it heard `values`, and whether it asked the trainer to stop."""
    from spelltune.train.callbacks import StopRulesCallback

    rule = StopRulesCallback(target_accuracy=None, patience=patience, max_minutes=None, metric=metric)

    class Control:
        should_training_stop = False
        should_save = False

    control = Control()
    for value in values:
        rule.on_evaluate(None, None, control, metrics={metric: value})
    return rule, control.should_training_stop


def test_early_stopping_after_patience_validations_without_gain():
    assert not _validations("eval_exact_match", [0.1, 0.3, 0.3])[1]
    assert _validations("eval_exact_match", [0.1, 0.3, 0.3, 0.2])[1]


def test_merge_saves_full_weights_that_the_manifest_points_at(tiny_model_dir, tiny_dataset_dir, tmp_path):
    import torch

    from spelltune.models.loading import load_model

    settings = tiny_train_settings(tiny_model_dir, tiny_dataset_dir, max_steps=2, **{"eval.every_steps": 0})
    result = train_model(config_from_dict(settings), tmp_path / "merged-run", merge=True)
    assert json.loads((result.run_dir / RUN_MANIFEST).read_text())["model_dir"] == "merged"
    assert (result.run_dir / "merged" / "model.safetensors").is_file()
    merged = load_model(str(result.run_dir), device="cpu")
    with_adapter = load_model(str(result.run_dir / "adapter"), device="cpu")
    ids = torch.tensor([[1, 2, 3, 4]])
    with torch.no_grad():
        assert torch.allclose(merged.model(ids).logits, with_adapter.model(ids).logits, atol=1e-5)


def test_an_adapter_trained_on_an_adapter_names_it_and_merges_the_chain(tiny_model_dir, tiny_dataset_dir, tmp_path):
    """A writer's adapter on the embedded default (itself an adapter): it stands alone and merges base first."""
    import torch

    from spelltune.models.loading import load_model

    first = train_model(config_from_dict(tiny_train_settings(tiny_model_dir, tiny_dataset_dir, max_steps=2,
                                                             **{"eval.every_steps": 0})), tmp_path / "first")
    settings = tiny_train_settings(tiny_model_dir, tiny_dataset_dir, max_steps=2, seed=7, **{"eval.every_steps": 0})
    second = train_model(config_from_dict({**settings, "model": str(first.run_dir)}), tmp_path / "second", merge=True)
    adapter_config = json.loads((second.run_dir / "adapter" / "adapter_config.json").read_text())
    assert adapter_config["base_model_name_or_path"] == str(first.run_dir.resolve())
    chained = load_model(str(second.run_dir / "adapter"), device="cpu")
    merged = load_model(str(second.run_dir), device="cpu")
    only_first = load_model(str(first.run_dir), device="cpu")
    ids = torch.tensor([[1, 2, 3, 4]])
    with torch.no_grad():
        assert torch.allclose(merged.model(ids).logits, chained.model(ids).logits, atol=1e-5)
        assert not torch.allclose(chained.model(ids).logits, only_first.model(ids).logits, atol=1e-6)


def test_rows_with_their_own_prompt_are_validated_by_answering_that_prompt(tiny_model_dir, tmp_path):
    """Study questions are scored on the model's answer to their own prompt, not on a correction of `input`."""
    data_dir = tmp_path / "questions"
    data_dir.mkdir()
    prompt = "<|im_start|>user\nHow many letters? {}<|im_end|>\n<|im_start|>assistant\n"
    for split, count in (("train", 64), ("validation", 8)):
        rows = [{"input": f"word{split}{i}", "output": "7", "prompt": prompt.format(f"w{split}{i}"),
                 "completion": "7<|im_end|>"} for i in range(count)]
        (data_dir / f"{split}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    settings = tiny_train_settings(tiny_model_dir, data_dir, max_steps=24, lr=1.0e-2, method="full",
                                   **{"eval.every_steps": 24, "eval.exact_match_pairs": 8})
    result = train_model(config_from_dict(settings), tmp_path / "run")
    entries = [json.loads(line) for line in (result.run_dir / "metrics.jsonl").read_text().splitlines()]
    final = [e for e in entries if "eval_exact_match" in e][-1]
    # Corrected as text, `wordvalidation3` never equals "7"; answered from its prompt, the learned "7" does.
    assert final["eval_exact_match"] == 1.0


def test_keep_best_keeps_the_checkpoint_with_the_best_letter_accuracy(tiny_model_dir, tiny_spelling_data, tmp_path):
    from safetensors.torch import load_file

    settings = tiny_train_settings(tiny_model_dir, tiny_spelling_data, max_steps=6, save_every_steps=2,
                                   **{"eval.every_steps": 2, "eval.exact_match_pairs": 0, "eval.loss_pairs": 4,
                                      "eval.letter_questions_per_type": 3, "eval.metric": "letter_accuracy",
                                      "eval.keep_best": True})
    result = train_model(config_from_dict(settings), tmp_path / "run")
    evals = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    evals = [e for e in evals if "eval_letter_accuracy" in e]
    assert [e["step"] for e in evals] == [2, 4, 6]
    assert all(set(e) >= {"eval_letter_count", "eval_letter_position"} for e in evals)
    best = max(evals, key=lambda e: e["eval_letter_accuracy"])  # the first of equals, as the trainer keeps it
    summary = result.summary
    assert summary["kept_step"] == best["step"] and summary["eval_letter_accuracy"] == best["eval_letter_accuracy"]
    kept = load_file(result.model_dir / "adapter_model.safetensors")
    checkpoints = tmp_path / "run" / "checkpoints"
    at_best = load_file(checkpoints / f"checkpoint-{best['step']}" / "adapter_model.safetensors")
    assert all((kept[name] == at_best[name]).all() for name in kept)
    if best["step"] != 6:  # lr 1e-2 moves the weights every step: the last checkpoint differs from the kept one
        last = load_file(checkpoints / "checkpoint-6" / "adapter_model.safetensors")
        assert any((kept[name] != last[name]).any() for name in kept)


@pytest.mark.parametrize("changes,message", [
    ({"eval.metric": "letter_accuracy"}, "needs eval.letter_questions_per_type"),
    ({"eval.metric": "bleu"}, "unknown value 'bleu'"),
    ({"eval.keep_best": True, "save_every_steps": 3}, "multiple of eval.every_steps"),
    ({"eval.keep_best": True, "eval.every_steps": 0}, "needs validation"),
])
def test_validation_steering_settings_are_checked(tiny_model_dir, tiny_dataset_dir, changes, message):
    from spelltune.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        config_from_dict(tiny_train_settings(tiny_model_dir, tiny_dataset_dir, **changes))


def test_early_stopping_on_loss_waits_for_a_lower_loss():
    assert not _validations("eval_loss", [3.0, 2.0, 2.5])[1]
    rule, stopped = _validations("eval_loss", [3.0, 2.0, 2.5, 2.2])
    assert stopped and "loss" in rule.stop_reason

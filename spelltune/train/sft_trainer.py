"""TRL's SFTTrainer with what spelltune adds: greedy exact match through the real corrector during
validation, and throughput and memory in every log entry. Importing this module imports TRL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from trl import SFTTrainer

from spelltune.train.checkpoints import mark_complete
from spelltune.train.dataset import Pair
from spelltune.train.peak_memory import peak_memory_mb


class SpelltuneSFTTrainer(SFTTrainer):
    """SFTTrainer that also generates on a validation sample and logs s/step, tokens/s and peak memory."""

    def __init__(self, *args: Any, exact_match_pairs: list[Pair] | None = None, exact_match_batch_size: int = 16,
                 letter_questions: list[dict[str, Any]] | None = None, device_name: str = "cpu", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.exact_match_pairs = list(exact_match_pairs or [])
        self.letter_questions = list(letter_questions or [])
        self.exact_match_batch_size = exact_match_batch_size
        self.device_name = device_name

    def evaluation_loop(self, dataloader, description, prediction_loss_only=None, ignore_keys=None,
                        metric_key_prefix="eval"):
        output = super().evaluation_loop(dataloader, description, prediction_loss_only, ignore_keys,
                                         metric_key_prefix)
        if self.exact_match_pairs and metric_key_prefix == "eval":
            output.metrics.update({f"{metric_key_prefix}_{k}": v for k, v in self.exact_match().items()})
        if self.letter_questions and metric_key_prefix == "eval":
            output.metrics.update({f"{metric_key_prefix}_{k}": v for k, v in self.letter_metrics().items()})
        return output

    def letter_metrics(self) -> dict[str, float]:
        """The spelling study's validation metric on the model as it is now, the questions shared over ranks."""
        import torch

        from spelltune.engine.torch_engine import TorchEngine
        from spelltune.spelling.validation import MEAN_METRIC, METRIC_NAMES, answer_letter_questions

        rank, world = self.accelerator.process_index, self.accelerator.num_processes
        model = self.accelerator.unwrap_model(self.model)
        was_training = model.training
        model.eval()
        try:
            with self.autocast_smart_context_manager():
                engine = TorchEngine(model, self.processing_class, spec="training", name="training")
                predictions = answer_letter_questions(engine, self.letter_questions[rank::world],
                                                      self.exact_match_batch_size)
        finally:
            model.train(was_training)
        kinds = list(METRIC_NAMES)
        counts = torch.tensor([[sum(p["correct"] for p in predictions if p["kind"] == kind),
                                sum(p["kind"] == kind for p in predictions)] for kind in kinds],
                              dtype=torch.float64, device=self.accelerator.device)
        counts = self.accelerator.reduce(counts, reduction="sum")
        metrics = {METRIC_NAMES[kind]: counts[i, 0].item() / counts[i, 1].item()
                   for i, kind in enumerate(kinds) if counts[i, 1].item() > 0}
        if metrics:
            metrics[MEAN_METRIC] = sum(metrics.values()) / len(metrics)
        return metrics

    def exact_match(self) -> dict[str, float]:
        """Greedy exact match on the validation sample, raw and through the real corrector, over ranks.

        Correction pairs go through the corrector (pieces, guard and second pass) and are also compared
        raw; rows that carry their own prompt (the spelling study's questions) are answered from that
        prompt and compared as written.
        """
        import torch

        from spelltune.correct.lm import LMCorrector
        from spelltune.engine.torch_engine import TorchEngine

        rank, world = self.accelerator.process_index, self.accelerator.num_processes
        mine = self.exact_match_pairs[rank::world]
        corrections = [pair for pair in mine if pair.prompt is None]
        questions = [pair for pair in mine if pair.prompt is not None]
        model = self.accelerator.unwrap_model(self.model)
        tokenizer = self.processing_class
        was_training = model.training
        model.eval()
        raw: dict[str, str] = {}
        try:
            with self.autocast_smart_context_manager():
                engine = TorchEngine(model, tokenizer, spec="training", name="training")
                corrector = LMCorrector(engine, batch_size=self.exact_match_batch_size)
                corrected = corrector.correct_lines([pair.input for pair in corrections], proposals=raw)
                answers = engine.generate(
                    [pair.prompt for pair in questions],
                    max((len(tokenizer(p.completion).input_ids) for p in questions), default=1) + 2,
                    batch_size=self.exact_match_batch_size,
                ) if questions else []
        finally:
            model.train(was_training)
        answered = sum(answer.strip() == pair.output.strip() for answer, pair in zip(answers, questions))
        counts = torch.tensor(
            [
                sum(raw.get(pair.input.strip(), pair.input) == pair.output for pair in corrections) + answered,
                sum(c.output == p.output for c, p in zip(corrected, corrections)) + answered,
                len(mine),
            ],
            dtype=torch.float64,
            device=self.accelerator.device,
        )
        counts = self.accelerator.reduce(counts, reduction="sum")
        total = max(counts[2].item(), 1.0)
        return {"exact_match": counts[0].item() / total, "exact_match_guarded": counts[1].item() / total}

    def _save_checkpoint(self, model: Any, trial: Any) -> None:
        """The trainer's checkpoint, marked complete once every file is on disk; old ones rotated after that.

        Rotation waits for the marker, so a run killed while saving still has its previous checkpoint.
        """
        from transformers.trainer_utils import rotate_checkpoints

        limit = self.args.save_total_limit
        self.args.save_total_limit = None
        try:
            super()._save_checkpoint(model, trial)
        finally:
            self.args.save_total_limit = limit
        self.accelerator.wait_for_everyone()
        if self.args.should_save:
            run_dir = Path(self._get_output_dir(trial=trial))
            mark_complete(run_dir / f"checkpoint-{self.state.global_step}")
            rotate_checkpoints(output_dir=str(run_dir), save_total_limit=limit,
                               best_model_checkpoint=self.state.best_model_checkpoint, use_mtime=False)

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if "loss" in logs:
            now, step = time.perf_counter(), self.state.global_step
            tokens = getattr(self, "_total_train_tokens", 0)
            last_time, last_step, last_tokens = getattr(self, "_speed_mark", (None, 0, 0))
            if last_time is not None and step > last_step:
                logs["seconds_per_step"] = round((now - last_time) / (step - last_step), 3)
                logs["tokens_per_second"] = round((tokens - last_tokens) / (now - last_time), 1)
            logs["peak_memory_mb"] = round(peak_memory_mb(self.device_name), 1)
            self._speed_mark = (now, step, tokens)
        super().log(logs, start_time)

    def evaluate(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return super().evaluate(*args, **kwargs)
        finally:  # validation time is not training time: keep it out of s/step and tokens/s
            last_time, last_step, last_tokens = getattr(self, "_speed_mark", (None, 0, 0))
            if last_time is not None:
                self._speed_mark = (last_time + time.perf_counter() - started, last_step, last_tokens)

    def _inner_training_loop(self, *args, **kwargs):
        self._speed_mark = (None, 0, 0)  # the first log entry (after any resume) sets the mark
        return super()._inner_training_loop(*args, **kwargs)

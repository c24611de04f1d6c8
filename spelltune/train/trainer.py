"""From a TrainConfig to a ready trainer: device, precision, TRL arguments, data, model (`setup_training`).

TRL does the training loop, completion-only loss, padding-free/packing batches, checkpoints, resume
and distributed training; spelltune/train/sft_trainer.py adds what TRL cannot.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spelltune.errors import ConfigError
from spelltune.models.loading import load_model, pick_device, resolve_model_spec
from spelltune.train.config import TrainConfig
from spelltune.train.dataset import (
    Pair,
    TrainingData,
    drop_long_pairs,
    load_training_data,
    sample_pairs,
    to_prompt_completion,
)
from spelltune.train.tracking import set_up_trackers


@dataclass
class TrainingModel:
    """The model to train, its tokenizer, and the spec an adapter should name as its base.

    The base may itself be an adapter (the embedded `default`, a writer's adapted model): the loader merges
    a chain of adapters base first, so the new adapter names the base adapter's spec.
    """

    model: Any
    tokenizer: Any
    adapter_base: str


def resolve_precision(config: TrainConfig, device: str) -> str:
    """fp32, bf16 or fp16: `auto` is bf16 on GPUs that support it, fp16 on older GPUs, fp32 elsewhere."""
    if config.precision != "auto":
        if config.precision == "fp16" and not device.startswith("cuda"):
            raise ConfigError("precision fp16 needs a CUDA GPU; use fp32 or bf16 on this device")
        return config.precision
    if device.startswith("cuda"):
        import torch

        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return "fp32"


def resolve_device(config: TrainConfig) -> str:
    """The device to train on; `auto` picks CUDA, then MPS, then the CPU."""
    device = pick_device(None if config.device == "auto" else config.device)
    if config.method == "qlora":
        if not device.startswith("cuda"):
            raise ConfigError(
                "method qlora quantizes the base model with bitsandbytes, which needs a CUDA GPU; "
                "on this machine use --set method=lora"
            )
        if importlib.util.find_spec("bitsandbytes") is None:
            raise ConfigError("method qlora needs bitsandbytes: pip install bitsandbytes")
    return device


def adapter_base_spec(spec: str) -> str:
    """What an adapter's `base_model_name_or_path` should say so spelltune's loader finds the base again."""
    resolve_model_spec(spec)  # a spec that names nothing fails here, before training
    if Path(spec).expanduser().exists():
        return str(Path(spec).expanduser().resolve())
    return spec  # a preset name or a hub id


def load_training_model(config: TrainConfig, device: str, precision: str) -> TrainingModel:
    """Load the base model for training: in the training dtype for adapters, fp32 masters for full tuning."""
    if config.method == "qlora":
        model, tokenizer = _load_quantized(config.model, config.attention)
    else:
        dtype = "float32"
        if config.method == "lora" and precision in ("bf16", "fp16"):
            dtype = {"bf16": "bfloat16", "fp16": "float16"}[precision]
        loaded = load_model(config.model, device=device, dtype=dtype)
        model, tokenizer = loaded.model, loaded.tokenizer
        if config.attention != "sdpa":
            model.set_attn_implementation(config.attention)
    model.train()
    return TrainingModel(model=model, tokenizer=tokenizer, adapter_base=adapter_base_spec(config.model))


def _load_quantized(spec: str, attention: str) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

    from spelltune.models.loading import dequantized_gguf_dir

    resolved = resolve_model_spec(spec)
    if resolved.kind == "adapter_dir":
        raise ConfigError(f"method qlora trains a fresh adapter on a base model; {spec} is an adapter")
    location = resolved.location
    if resolved.kind == "gguf":
        location = str(dequantized_gguf_dir(Path(resolved.location) / str(resolved.gguf_file)))
    quantization = BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16,
    )
    model = AutoModelForCausalLM.from_pretrained(
        location, quantization_config=quantization, attn_implementation=attention, device_map={"": 0}
    )
    tokenizer = AutoTokenizer.from_pretrained(location)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def lora_config(config: TrainConfig) -> Any:
    """The PEFT LoraConfig for the lora and qlora methods (None for full fine-tuning)."""
    if config.method == "full":
        return None
    from peft import LoraConfig

    targets: Any = config.lora.target_modules
    if targets == ["all-linear"]:
        targets = "all-linear"
    return LoraConfig(
        r=config.lora.r,
        lora_alpha=config.lora.alpha,
        lora_dropout=config.lora.dropout,
        target_modules=targets,
        bias="none",
        task_type="CAUSAL_LM",
    )


def sft_config(config: TrainConfig, run_dir: Path, device: str, precision: str) -> Any:
    """TRL's SFTConfig for this run: checkpoints in RUN_DIR/checkpoints, validation, batching, precision."""
    from trl import SFTConfig

    evaluating = validates(config)
    keep_best = evaluating and config.eval.keep_best
    padding_free = config.batching in ("padding_free", "packing")
    on_cuda = device.startswith("cuda")
    return SFTConfig(
        output_dir=str(run_dir / "checkpoints"),
        seed=config.seed,
        data_seed=config.seed,
        num_train_epochs=config.epochs,
        max_steps=config.max_steps,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.eval.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        learning_rate=config.lr,
        lr_scheduler_type=config.lr_scheduler,
        warmup_steps=config.warmup_ratio,  # a float below 1 is a share of the total steps
        weight_decay=config.weight_decay,
        max_grad_norm=config.max_grad_norm,
        bf16=precision == "bf16",
        fp16=precision == "fp16",
        tf32=True if (on_cuda and config.tf32 and _tf32_supported()) else None,
        use_cpu=device == "cpu",
        activation_checkpointing=config.gradient_checkpointing,
        # Padding-free rows are never truncated by TRL; the dataset drops over-long pairs instead.
        max_length=None if (padding_free and config.batching != "packing") else config.max_length,
        packing=config.batching == "packing",
        padding_free=padding_free,
        train_sampling_strategy="group_by_length" if config.batching == "length_grouped" else "random",
        completion_only_loss=True,
        eval_strategy="steps" if evaluating else "no",
        eval_steps=config.eval.every_steps if evaluating else None,
        eval_on_start=evaluating and config.eval.on_start,
        save_strategy="steps",
        load_best_model_at_end=keep_best,
        metric_for_best_model=f"eval_{config.eval.metric}" if keep_best else None,
        greater_is_better=config.eval.metric != "loss" if keep_best else None,
        save_steps=config.save_every_steps,
        save_total_limit=config.save_total_limit,
        logging_steps=config.logging_steps,
        logging_first_step=True,
        report_to=set_up_trackers(config.report_to, run_dir).report_to,
        run_name=run_dir.name,
        dataloader_num_workers=config.num_workers,
        ddp_find_unused_parameters=False,
        disable_tqdm=not sys.stderr.isatty(),
    )


def validates(config: TrainConfig) -> bool:
    """Whether the run validates at all: a validation interval and something to measure."""
    measures = config.eval.loss_pairs > 0 or config.eval.exact_match_pairs > 0 or config.eval.letter_questions_per_type > 0
    return config.eval.every_steps > 0 and measures


def _tf32_supported() -> bool:
    from transformers.utils import is_torch_tf32_available

    return is_torch_tf32_available()


@dataclass
class TrainingSetup:
    """A trainer ready to `train()`, and what was decided on the way (device, data, dropped pairs)."""

    trainer: Any
    args: Any
    model: TrainingModel
    data: TrainingData
    train_pairs: list[Pair]
    dropped_pairs: int
    device: str
    precision: str


def setup_training(config: TrainConfig, run_dir: Path, callbacks: list[Any] | None = None,
                   args_overrides: dict[str, Any] | None = None,
                   on_status: Callable[[str], None] | None = None) -> TrainingSetup:
    """Everything a run needs, built in order: device and precision, arguments, data, model, trainer.

    `args_overrides` set SFTConfig fields after they are derived from `config` (benchmarks turn saving
    off); `on_status` hears what is being loaded.
    """
    from spelltune.train.sft_trainer import SpelltuneSFTTrainer

    device = resolve_device(config)
    precision = resolve_precision(config, device)
    args = sft_config(config, run_dir, device, precision)  # also sets up the distributed state
    for key, value in (args_overrides or {}).items():
        setattr(args, key, value)
    with args.main_process_first(desc="dataset"):
        data = load_training_data(config.data, run_dir, config.seed)
    if on_status and args.process_index == 0:
        on_status(f"device {device}, precision {precision}, world size {args.world_size}; loading {config.model}")
    loaded = load_training_model(config, device, precision)
    train_pairs, dropped = drop_long_pairs(data.train, loaded.tokenizer, config.max_length)
    if not train_pairs:
        raise ConfigError(f"no training pair fits in max_length={config.max_length} tokens")
    evaluating = args.eval_strategy != "no"
    loss_pairs = sample_pairs(data.validation, config.eval.loss_pairs, config.seed) if evaluating else []
    trainer = SpelltuneSFTTrainer(
        model=loaded.model,
        args=args,
        train_dataset=to_prompt_completion(train_pairs, loaded.tokenizer),
        eval_dataset=to_prompt_completion(loss_pairs, loaded.tokenizer) if loss_pairs else None,
        processing_class=loaded.tokenizer,
        peft_config=lora_config(config),
        callbacks=[*set_up_trackers(config.report_to, run_dir).callbacks, *(callbacks or [])],
        exact_match_pairs=sample_pairs(data.validation, config.eval.exact_match_pairs, config.seed + 1)
        if evaluating else [],
        exact_match_batch_size=config.eval.batch_size,
        letter_questions=_letter_questions(config, data.data_dir) if evaluating else [],
        device_name=device,
    )
    return TrainingSetup(trainer, args, loaded, data, train_pairs, dropped, device, precision)


def _letter_questions(config: TrainConfig, data_dir: Path) -> list[dict[str, Any]]:
    if config.eval.letter_questions_per_type == 0:
        return []
    from spelltune.spelling.validation import validation_questions

    return validation_questions(data_dir, config.eval.letter_questions_per_type)

"""What a finished run leaves behind: the manifest the model loader reads, a summary and a model card.

RUN_DIR/
  spelltune_run.json   manifest: `model_dir` names the folder with the final adapter or weights
  config.yaml          the config as used
  adapter/ | model/    LoRA adapter (lora, qlora) or full weights (full), with the tokenizer
  merged/              merged full weights (with --merge, or when the base was itself an adapter)
  checkpoints/         safetensors checkpoints for --resume
  metrics.jsonl        every log entry; loss_curve.png; train_summary.json; README.md (model card)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from spelltune.atomic import write_json, write_text
from spelltune.models.loading import RUN_MANIFEST
from spelltune.train.callbacks import CURVE_FILE, METRICS_FILE
from spelltune.train.config import TrainConfig

SUMMARY_FILE = "train_summary.json"
CONFIG_FILE = "config.yaml"
CARD_FILE = "README.md"


def set_adapter_base(adapter_dir: Path, base_spec: str) -> None:
    """Point the adapter at a base spec spelltune's loader resolves (a preset, hub id or absolute path)."""
    path = adapter_dir / "adapter_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = base_spec
    write_json(path, config)


def write_manifest(run_dir: Path, model_dir: str, config: TrainConfig, summary: dict[str, Any]) -> Path:
    """RUN_DIR/spelltune_run.json: `spelltune fix --model RUN_DIR` loads `model_dir` from it."""
    manifest = {
        "model_dir": model_dir,
        "base_model": config.model,
        "method": config.method,
        "config": CONFIG_FILE,
        "summary": SUMMARY_FILE,
        "status": "finished",
        "global_step": summary.get("global_step"),
    }
    path = run_dir / RUN_MANIFEST
    write_json(path, manifest)  # written last and atomically: a run dir with a manifest is finished
    return path


def write_summary(run_dir: Path, summary: dict[str, Any]) -> Path:
    """RUN_DIR/train_summary.json: the numbers a sweep table or a comparison reads."""
    path = run_dir / SUMMARY_FILE
    write_json(path, summary)
    return path


def read_summary(run_dir: Path) -> dict[str, Any] | None:
    """A run's summary, or None when the run has not finished."""
    path = Path(run_dir) / SUMMARY_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _percent(value: Any) -> str:
    return f"{value:.1%}" if isinstance(value, (int, float)) else "—"


def _number(value: Any, digits: int = 4) -> str:
    return f"{value:.{digits}g}" if isinstance(value, (int, float)) else "—"


def write_model_card(run_dir: Path, config: TrainConfig, summary: dict[str, Any], data_dir: Path) -> Path:
    """RUN_DIR/README.md: what was trained on what, how well it did, and how to use it."""
    data_card = data_dir / "card.md"
    data_link = os.path.relpath(data_card, run_dir) if data_card.is_file() else None
    method = {"lora": f"LoRA (r={config.lora.r}, alpha={config.lora.alpha})",
              "qlora": f"QLoRA 4-bit (r={config.lora.r}, alpha={config.lora.alpha})",
              "full": "full fine-tuning"}[config.method]
    study = config.eval.letter_questions_per_type > 0
    purpose = (f"A model of spelltune's spelling-mechanics study (not a corrector), fine-tuned from `{config.model}` "
               f"with {method} by `spelltune train`, validated on letter-count and letter-position questions about "
               "words it never saw spelled (README: \"Spelling mechanics\")." if study else
               f"A typo and spelling corrector fine-tuned from `{config.model}` with {method}, trained by `spelltune train`.")
    lines = [
        f"# spelltune run: {run_dir.name}",
        "",
        purpose,
        "",
        "## Data",
        "",
        f"- Dataset: `{data_dir}` ({summary.get('train_pairs', '?')} training pairs, "
        f"{summary.get('dropped_pairs', 0)} dropped as longer than {config.max_length} tokens)",
        f"- Data card: [{data_link}]({data_link})" if data_link else "- Data card: none found beside the dataset",
        "",
        "## Metrics",
        "",
        "| metric | value |",
        "|---|---|",
        f"| optimizer steps | {summary.get('global_step')} |",
        f"| epochs | {_number(summary.get('epoch'), 3)} |",
        f"| final train loss (last log) | {_number(summary.get('final_train_loss'))} |",
        f"| validation loss | {_number(summary.get('eval_loss'))} |",
        *([f"| validation letter count | {_percent(summary.get('eval_letter_count'))} |",
           f"| validation letter position | {_percent(summary.get('eval_letter_position'))} |",
           f"| validation mean letter accuracy | {_percent(summary.get('eval_letter_accuracy'))} |"] if study else
          [f"| validation exact match (greedy, raw) | {_percent(summary.get('eval_exact_match'))} |",
           f"| validation exact match (behind the guard) | {_percent(summary.get('eval_exact_match_guarded'))} |"]),
        f"| step kept | {summary.get('kept_step', summary.get('global_step'))} |",
        f"| seconds per step | {_number(summary.get('seconds_per_step'), 3)} |",
        f"| tokens per second | {_number(summary.get('tokens_per_second'), 4)} |",
        f"| peak memory (MB) | {_number(summary.get('peak_memory_mb'), 5)} |",
        f"| wall time (min) | {_number(summary.get('train_minutes'), 3)} |",
        f"| stopped because | {summary.get('stop_reason') or 'the planned steps finished'} |",
        "",
        (f"Letter accuracy is on {config.eval.letter_questions_per_type} validation questions per kind, asked with "
         f"the evaluation's few-shot prompt; the numbers come from `{METRICS_FILE}`. The test split: "
         f"`spelltune spelling eval --model {run_dir} --data {data_dir} --out {run_dir}/eval`." if study else
         f"Exact match is on {config.eval.exact_match_pairs} validation pairs; the numbers come from "
         f"`{METRICS_FILE}`. Evaluate properly on the held-out test split: "
         f"`spelltune eval --model {run_dir} --suite {data_dir / 'test.jsonl'} --out {run_dir}/eval`, "
         "then `spelltune compare` several such folders."),
        "",
        f"![loss curve]({CURVE_FILE})",
        "",
        "## Usage",
        "",
        "```bash",
        (f"spelltune spelling eval --model {run_dir} --data {data_dir} --split test --out {run_dir}/eval"
         if study else f"spelltune fix --model {run_dir} \"I beleive this is teh answr.\""),
        "```",
        "",
        "```python",
        "from spelltune.models import load_model",
        f"loaded = load_model({str(run_dir)!r})",
        "```",
        "",
        f"Repeat the run: `spelltune train {run_dir / CONFIG_FILE} --out NEW_RUN_DIR`.",
        "",
    ]
    path = run_dir / CARD_FILE
    write_text(path, "\n".join(lines))
    return path

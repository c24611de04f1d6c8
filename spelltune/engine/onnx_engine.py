"""The `onnx` engine: a folder written by `spelltune export --to onnx`, run by onnxruntime.

The graph is one decoder step over an explicit KV cache (see spelltune/export/onnx_format.py): the
prompt runs once, then one token per step. The first call gets a past of one masked slot. Batches are
left-padded like the torch engine's; scoring runs each prefix once and its continuations on copies of
its cache. The folder's Hugging Face tokenizer renders and splits text exactly as for `torch`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spelltune.engine.base import Engine, generate_in_batches

MODEL_FILE = "model.onnx"
MANIFEST = "spelltune_onnx.json"


def is_onnx_dir(path: str | Path) -> bool:
    """Whether `path` is a folder written by `spelltune export --to onnx`."""
    directory = Path(path)
    return (directory / MODEL_FILE).is_file() and (directory / MANIFEST).is_file()


class OnnxEngine(Engine):
    """Greedy generation and scoring on an exported decoder-step graph with onnxruntime."""

    backend = "onnx"

    def __init__(self, model_dir: Path, tokenizer: Any, spec: str, name: str, threads: int = 0):
        import onnxruntime

        super().__init__(spec, name, tokenizer)
        self.model_dir = Path(model_dir)
        self.manifest = json.loads((self.model_dir / MANIFEST).read_text())
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or _default_threads()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(self.model_dir / MODEL_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        self._extra_stop_ids = _generation_config_stops(self.model_dir)

    def parameter_count(self) -> int | None:
        """Parameters of the exported model, as recorded at export."""
        return self.manifest.get("parameters")

    # -- one graph call ---------------------------------------------------------------------------

    def _empty_past(self, batch: int) -> tuple[Any, Any]:
        import numpy as np

        shape = (self.manifest["layers"], batch, self.manifest["kv_heads"], 1, self.manifest["head_dim"])
        return np.zeros(shape, dtype=np.float32), np.zeros(shape, dtype=np.float32)

    def _step(self, ids: Any, mask: Any, positions: Any, keys: Any, values: Any) -> tuple[Any, Any, Any]:
        import numpy as np

        logits, keys, values = self.session.run(None, {
            "input_ids": np.asarray(ids, dtype=np.int64), "attention_mask": np.asarray(mask, dtype=np.int64),
            "position_ids": np.asarray(positions, dtype=np.int64), "past_keys": keys, "past_values": values,
        })
        return logits, keys, values

    def _prefill(self, rows: list[list[int]]) -> tuple[Any, Any, Any, Any, Any]:
        """Run left-padded prompts; returns last logits, mask, next positions, keys and values."""
        import numpy as np

        width = max(len(row) for row in rows)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        ids = np.array([[pad] * (width - len(row)) + row for row in rows], dtype=np.int64)
        real = np.array([[0] * (width - len(row)) + [1] * len(row) for row in rows], dtype=np.int64)
        positions = np.clip(real.cumsum(axis=1) - 1, 0, None)
        mask = np.concatenate([np.zeros((len(rows), 1), dtype=np.int64), real], axis=1)  # the masked past slot
        keys, values = self._empty_past(len(rows))
        logits, keys, values = self._step(ids, mask, positions, keys, values)
        return logits[:, -1], mask, positions[:, -1] + 1, keys, values

    # -- generation -------------------------------------------------------------------------------

    def generate(self, prompts: Sequence[str], max_new_tokens: int | Sequence[int], *, batch_size: int = 16,
                 on_progress: Callable[[int], None] | None = None) -> list[str]:
        """Greedy continuations, left-padded in batches; each stops at an end token or its own budget."""
        return generate_in_batches(self._generate_batch, prompts, max_new_tokens, batch_size, on_progress)

    def _generate_batch(self, prompts: list[str], limits: list[int]) -> list[str]:
        import numpy as np

        stops = set(self.stop_token_ids())
        rows = [self.encode(prompt) for prompt in prompts]
        if any(not row for row in rows):
            raise ValueError("generation needs a non-empty prompt")
        last, mask, positions, keys, values = self._prefill(rows)
        generated: list[list[int]] = [[] for _ in rows]
        done = [limit <= 0 for limit in limits]
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        for _ in range(max(1, max(limits))):
            chosen = last.argmax(axis=-1)
            for index, token in enumerate(chosen.tolist()):
                if done[index]:
                    continue
                if token in stops:
                    done[index] = True
                    continue
                generated[index].append(token)
                if len(generated[index]) >= limits[index]:
                    done[index] = True
            if all(done):
                break
            step_ids = np.array([[pad if done[i] else int(chosen[i])] for i in range(len(rows))], dtype=np.int64)
            mask = np.concatenate([mask, np.ones((len(rows), 1), dtype=np.int64)], axis=1)
            logits, keys, values = self._step(step_ids, mask, positions[:, None], keys, values)
            last = logits[:, -1]
            positions = positions + 1
        return [self.tokenizer.decode(row, skip_special_tokens=True) for row in generated]

    # -- scoring ----------------------------------------------------------------------------------

    def score_many(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """Each distinct prefix runs once; its continuations then run in one right-padded batch on its cache."""
        results: list[list[float] | None] = [None] * len(requests)
        by_prefix: dict[str, list[int]] = {}
        for index, (prefix, _) in enumerate(requests):
            by_prefix.setdefault(prefix, []).append(index)
        for prefix, indices in by_prefix.items():
            prefix_ids = self.encode(prefix)
            if not prefix_ids:
                raise ValueError("scoring needs a non-empty prefix (nothing predicts the first token)")
            last, mask, positions, keys, values = self._prefill([prefix_ids])
            first_log_probs = _log_softmax(last[0])
            for index in indices:
                ids = [self.encode(continuation) for continuation in requests[index][1]]
                scored = iter(self._score_rows([row for row in ids if row], first_log_probs, mask, int(positions[0]),
                                               keys, values))
                results[index] = [next(scored) if row else 0.0 for row in ids]
        return [row or [] for row in results]

    def _score_rows(self, rows: list[list[int]], first_log_probs: Any, prefix_mask: Any, start: int, keys: Any,
                    values: Any) -> list[float]:
        import numpy as np

        if not rows:
            return []
        scores = [float(first_log_probs[row[0]]) for row in rows]
        longest = max(len(row) for row in rows)
        if longest == 1:
            return scores
        count = len(rows)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        ids = np.array([row + [pad] * (longest - len(row)) for row in rows], dtype=np.int64)
        mask = np.concatenate([np.repeat(prefix_mask, count, axis=0),
                               np.array([[1] * len(row) + [0] * (longest - len(row)) for row in rows], dtype=np.int64)],
                              axis=1)
        positions = np.tile(np.arange(start, start + longest, dtype=np.int64), (count, 1))
        logits, _, _ = self._step(ids, mask, positions, np.repeat(keys, count, axis=1), np.repeat(values, count, axis=1))
        for index, row in enumerate(rows):
            for position in range(len(row) - 1):
                scores[index] += float(_log_softmax(logits[index, position])[row[position + 1]])
        return scores

    # -- inspection -------------------------------------------------------------------------------

    def next_token_logits(self, prompts: Sequence[str]) -> Any:
        """Last-position logits of each prompt (one at a time: no padding in the comparison)."""
        import numpy as np

        return np.stack([self._prefill([self.encode(prompt)])[0][0] for prompt in prompts])

    def close(self) -> None:
        """Drop the onnxruntime session."""
        self.session = None


def _log_softmax(logits: Any) -> Any:
    import numpy as np

    shifted = logits.astype(np.float64) - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


def _generation_config_stops(model_dir: Path) -> list[int]:
    try:
        configured = json.loads((model_dir / "generation_config.json").read_text()).get("eos_token_id")
    except (OSError, ValueError):
        return []
    return [configured] if isinstance(configured, int) else [int(x) for x in configured or []]


def _default_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

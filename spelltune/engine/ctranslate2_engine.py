"""The `ctranslate2` engine: CTranslate2's C++ runtime for transformer decoders (CPU and CUDA).

The model is converted once from its merged Hugging Face weights and cached under the spec's content
fingerprint (a retrained adapter converts again). A directory that already is a CTranslate2 model (an
export) loads as it is. The Hugging Face tokenizer renders and splits text exactly as for `torch`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from spelltune.atomic import atomic_directory
from spelltune.engine.base import Engine, budgets
from spelltune.engine.bounds import ScoreBound, bounds_from_rows
from spelltune.errors import EngineError

# Written beside a conversion: what spelltune knows about the source model.
MANIFEST = "spelltune_engine.json"

# Weights stay float32 on disk; int8 and friends are applied when the model is loaded.
COMPUTE_TYPES = ("default", "auto", "float32", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                 "int16", "float16", "bfloat16")


def is_ctranslate2_dir(path: str | Path) -> bool:
    """Whether `path` is a CTranslate2 model directory (model.bin + config.json written by its converter)."""
    directory = Path(path)
    return (directory / "model.bin").is_file() and (directory / "config.json").is_file() and (
        (directory / "vocabulary.json").is_file() or (directory / "vocabulary.txt").is_file()
    )


def converted_model_dir(spec: str, trust_remote_code: bool = False) -> Path:
    """The CTranslate2 conversion of `spec`, made on first use and cached by the spec's content fingerprint.

    `trust_remote_code` lets a model that ships its own Python code run it while it is converted.
    """
    from spelltune.models.cache import cache_root
    from spelltune.models.fingerprint import model_fingerprint
    from spelltune.models.merged import merged_model_dir

    target = cache_root() / "ctranslate2" / model_fingerprint(spec)
    if is_ctranslate2_dir(target) and (target / "tokenizer.json").is_file():
        return target
    source = merged_model_dir(spec, trust_remote_code)
    convert_to_ctranslate2(source, target, trust_remote_code=trust_remote_code)
    return target


def convert_to_ctranslate2(source: Path, target: Path, quantization: str | None = None, *,
                           trust_remote_code: bool = False) -> Path:
    """Convert a Hugging Face model directory into a CTranslate2 one at `target` (atomically: all or nothing)."""
    from ctranslate2.converters import TransformersConverter

    architectures = _architectures(source)
    copy = [name for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                              "generation_config.json", "chat_template.jinja") if (source / name).is_file()]
    with atomic_directory(target) as staging:
        try:
            # force: the converter refuses to write into a folder that exists, even the empty staging one.
            TransformersConverter(str(source), copy_files=copy, trust_remote_code=trust_remote_code).convert(
                str(staging), quantization=quantization, force=True)
        except Exception as error:  # the converter is third-party code: any failure means "not this model"
            raise EngineError(
                f"cannot convert {source} ({', '.join(architectures) or 'unknown architecture'}) to CTranslate2: "
                f"{(str(error).splitlines() or [type(error).__name__])[0][:200]}; use --engine torch"
            ) from None
        (staging / MANIFEST).write_text(json.dumps({"parameters": safetensors_parameter_count(source),
                                                    "architectures": architectures}, indent=2))
    return target


MIN_STATIC_PREFIX_TOKENS = 8
# Tokens per forward_batch / score_batch call: CTranslate2 computes the logits of every position of a
# batch at once ([batch, length, vocabulary] floats: 128 tokens of a 49k vocabulary are 25 MB); small
# batches cost no speed here and keep `spelltune fix` under 1.2 GB.
FORWARD_TOKENS = 96
SCORE_TOKENS = 128


def _common_prefix_length(rows: Sequence[Sequence[str]]) -> int:
    length = min(len(row) for row in rows)
    for index in range(length):
        if any(row[index] != rows[0][index] for row in rows[1:]):
            return index
    return length


def safetensors_parameter_count(directory: Path) -> int | None:
    """Parameters in a directory's safetensors files, read from their headers (no weights loaded)."""
    from safetensors import safe_open

    total = 0
    files = sorted(directory.glob("*.safetensors"))
    for path in files:
        with safe_open(str(path), framework="numpy") as handle:
            for name in handle.keys():
                count = 1
                for size in handle.get_slice(name).get_shape():
                    count *= size
                total += count
    return total or None


def _architectures(source: Path) -> list[str]:
    try:
        return list(json.loads((source / "config.json").read_text()).get("architectures") or [])
    except (OSError, ValueError):
        return []


class CTranslate2Engine(Engine):
    """Greedy generation with `Generator.generate_batch`, scoring with `forward_batch` and `score_batch`.

    Everything runs on the one CTranslate2 model: there is no second copy of the weights.
    """

    backend = "ctranslate2"

    def __init__(self, model_dir: Path, tokenizer: Any, spec: str, name: str, device: str = "cpu",
                 compute_type: str = "default", threads: int = 0):
        import ctranslate2

        super().__init__(spec, name, tokenizer)
        if compute_type not in COMPUTE_TYPES:
            raise EngineError(f"unknown compute type '{compute_type}': use one of {', '.join(COMPUTE_TYPES)}")
        self.model_dir = Path(model_dir)
        self.compute_type = compute_type
        self.generator = ctranslate2.Generator(str(model_dir), device=device, compute_type=compute_type,
                                               intra_threads=threads or _default_threads())
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        # The token start every prompt has shared so far (the system prompt): CTranslate2 keeps its keys
        # and values as a static prompt instead of recomputing them per batch (~10% at batch 16, same
        # answers). It only ever shrinks, so the runtime caches a handful of prefixes at most.
        self._static_prefix: list[str] | None = None

    def parameter_count(self) -> int | None:
        """Parameters of the source model, as recorded at conversion."""
        try:
            return json.loads((self.model_dir / MANIFEST).read_text()).get("parameters")
        except (OSError, ValueError):
            return None

    def _tokens(self, ids: list[int]) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(ids)

    def generate(self, prompts: Sequence[str], max_new_tokens: int | Sequence[int], *, batch_size: int = 16,
                 on_progress: Callable[[int], None] | None = None) -> list[str]:
        """Greedy continuations, batch by batch; each is cut to its own budget."""
        limits = budgets(max_new_tokens, len(prompts))
        stops = self.stop_token_ids()
        outputs: list[str] = []
        for first in range(0, len(prompts), max(1, batch_size)):
            batch = [self._tokens(self.encode(prompt)) for prompt in prompts[first : first + batch_size]]
            batch_limits = limits[first : first + len(batch)]
            static, batch = self._split_static_prefix(batch)
            results = self.generator.generate_batch(
                batch, max_length=max(1, max(batch_limits)), sampling_topk=1, beam_size=1,
                include_prompt_in_result=False, end_token=stops, **({"static_prompt": static} if static else {}),
            )
            for result, limit in zip(results, batch_limits):
                ids = [token for token in result.sequences_ids[0] if token not in stops][:limit]
                outputs.append(self.tokenizer.decode(ids, skip_special_tokens=True))
            if on_progress:
                on_progress(len(batch))
        return outputs

    def _split_static_prefix(self, batch: list[list[str]]) -> tuple[list[str] | None, list[list[str]]]:
        known = self._static_prefix
        if known is None and len(batch) < 2:
            return None, batch
        candidates = batch if known is None else [known, *batch]
        shared = _common_prefix_length(candidates)
        # Each prompt keeps at least one token of its own; a prefix too short to pay is not used.
        shared = min(shared, min(len(tokens) for tokens in batch) - 1)
        if shared < MIN_STATIC_PREFIX_TOKENS:
            return None, batch
        self._static_prefix = candidates[0][:shared]
        return self._static_prefix, [tokens[shared:] for tokens in batch]

    def score_many(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """Exact scores with `score_batch` (CTranslate2 keeps no keys and values between calls, so each
        continuation runs with its prefix; callers bound first with `score_bounds`)."""
        return self.score_batch(requests)

    def score_bounds(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[ScoreBound]]:
        """Bounds on each continuation's score (see Engine.score_bounds) from one `forward_batch` over
        prefix + first continuation; a first continuation that starts another request's (a word's sentence
        cut a few words after it) is read from the longer one's pass."""
        results: list[list[ScoreBound] | None] = [None] * len(requests)
        pending: dict[tuple[int, ...], list[tuple[int, list[list[int]], int]]] = {}
        for index, (prefix, continuations) in enumerate(requests):
            prefix_ids = self.encode(prefix)
            if not prefix_ids:
                raise ValueError("scoring needs a non-empty prefix (nothing predicts the first token)")
            ids = [self.encode(continuation) for continuation in continuations]
            if ids:
                pending.setdefault(tuple(prefix_ids + ids[0]), []).append((index, ids, len(prefix_ids)))
            else:
                results[index] = []
        # Sequences sorted by length run a few at a time: the log-probabilities of every position are
        # [batch, length, vocabulary] floats.
        longest = sorted(pending, key=len, reverse=True)
        runs: dict[tuple[int, ...], list[tuple[int, list[list[int]], int]]] = {}
        for sequence in longest:
            host = next((run for run in runs if run[: len(sequence)] == sequence), sequence)
            runs.setdefault(host, []).extend(pending[sequence])
        for chunk in _chunks_by_tokens(sorted(runs, key=len), FORWARD_TOKENS):
            log_probs = _to_numpy(self.generator.forward_batch([list(sequence) for sequence in chunk],
                                                              return_log_probs=True))
            for row, sequence in enumerate(chunk):
                for index, ids, start in runs[sequence]:  # start: the first continuation's first position
                    table = log_probs[row, start - 1 : len(sequence)]
                    results[index] = bounds_from_rows(sequence[start:], lambda i, token, t=table: float(t[i, token]),
                                                      ids)
        return [row if row is not None else [] for row in results]

    def score_batch(self, requests: Sequence[tuple[str, Sequence[str]]]) -> list[list[float]]:
        """Every continuation of every request scored as one whole sequence in one `score_batch` call."""
        sequences: list[list[str]] = []
        spans: list[tuple[int, int]] = []  # per sequence: (first scored position, end)
        shapes: list[list[bool]] = []
        for prefix, continuations in requests:
            prefix_ids = self.encode(prefix)
            if not prefix_ids:
                raise ValueError("scoring needs a non-empty prefix (nothing predicts the first token)")
            present = []
            for continuation in continuations:
                ids = self.encode(continuation)
                present.append(bool(ids))
                if ids:
                    sequences.append(self._tokens(prefix_ids + ids))
                    spans.append((len(prefix_ids), len(prefix_ids) + len(ids)))
            shapes.append(present)
        # Batches of at most SCORE_TOKENS tokens, sorted by length (see FORWARD_TOKENS).
        results = self.generator.score_batch(sequences, max_batch_size=SCORE_TOKENS, batch_type="tokens") \
            if sequences else []
        # log_probs[i] is the log-probability of token i + 1 given tokens 0..i.
        totals = iter(sum(result.log_probs[start - 1 : end - 1]) for result, (start, end) in zip(results, spans))
        return [[float(next(totals)) if has_tokens else 0.0 for has_tokens in present] for present in shapes]

    def next_token_logits(self, prompts: Sequence[str]) -> Any:
        """Last-position logits of each prompt, from `forward_batch`."""
        return np.stack([_to_numpy(self.generator.forward_batch([self.encode(prompt)]))[0, -1] for prompt in prompts])


def _to_numpy(storage: Any) -> np.ndarray:
    """A CTranslate2 StorageView as a float32 numpy array (a view of CPU storage; copied from a GPU)."""
    import ctranslate2

    if storage.device != "cpu":
        storage = storage.to_device(ctranslate2.Device.cpu)
    return np.asarray(storage, dtype=np.float32)  # CPU storage: the array interface, no copy


def _chunks_by_tokens(sequences: list, budget: int) -> list[list]:
    """Consecutive groups of sequences (sorted by length) whose padded size stays within `budget` tokens."""
    chunks: list[list] = []
    for sequence in sequences:
        if chunks and len(sequence) * (len(chunks[-1]) + 1) <= budget:
            chunks[-1].append(sequence)
        else:
            chunks.append([sequence])
    return chunks


def _default_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

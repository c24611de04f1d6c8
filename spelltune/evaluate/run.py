"""Run a corrector over a suite in batches, timing it, and score the outputs into an EvalReport."""

from __future__ import annotations

import re
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

from spelltune.correct.config import CorrectorConfig
from spelltune.correct.corrector import Corrector
from spelltune.evaluate.error_kinds import score_by_kind
from spelltune.evaluate.metrics import score_sentences
from spelltune.evaluate.report import CaseResult, EvalReport, write_report
from spelltune.evaluate.suites import EvalCase, Suite, load_suite


def correct_in_batches(
    corrector: Corrector, lines: list[str], *, batch_size: int = 16, progress: bool = True,
    rejected: list[list[dict]] | None = None,
) -> tuple[list[str], list[float]]:
    """The corrector's output for each line, and the wall time of each batch (seconds).

    `rejected`, when given, receives for each line the changes the corrector refused (as dicts).
    """
    from tqdm.auto import tqdm

    outputs: list[str] = []
    batch_seconds: list[float] = []
    with tqdm(total=len(lines), desc=f"eval {corrector.name}", unit="sent", disable=not progress or None) as bar:
        for start in range(0, len(lines), batch_size):
            batch = lines[start : start + batch_size]
            began = time.perf_counter()
            corrections = corrector.correct_lines(batch)
            batch_seconds.append(time.perf_counter() - began)
            if len(corrections) != len(batch):
                raise RuntimeError(
                    f"corrector {corrector.name} returned {len(corrections)} corrections for {len(batch)} lines"
                )
            outputs.extend(correction.output for correction in corrections)
            if rejected is not None:
                rejected.extend([{"original": r.original, "proposed": r.proposed, "reason": r.reason}
                                 for r in correction.rejected] for correction in corrections)
            bar.update(len(batch))
    return outputs, batch_seconds


def evaluate_corrector(
    corrector: Corrector,
    suite: Suite,
    limit: int | None = None,
    *,
    batch_size: int = 16,
    progress: bool = True,
    model_size: dict | None = None,
) -> EvalReport:
    """Correct every case of `suite` (the first `limit`), time it, and score it overall, by category and by
    error kind (`error_kinds.score_by_kind`)."""
    cases = suite.cases[:limit] if limit else suite.cases
    rejected: list[list[dict]] = []
    outputs, batch_seconds = correct_in_batches(
        corrector, [case.input for case in cases], batch_size=batch_size, progress=progress, rejected=rejected
    )
    by_category = _score_groups(cases, outputs, key=lambda case: case.category)
    by_subcategory = _score_groups(
        cases, outputs, key=lambda case: f"{case.category}/{case.subcategory}" if case.subcategory else case.category
    )
    return EvalReport(
        model=corrector.name,
        suite=suite.name,
        suite_source=suite.source,
        model_size=model_size or describe_size(corrector),
        overall=score_sentences([c.input for c in cases], [c.expected for c in cases], outputs),
        by_category=by_category,
        by_subcategory=by_subcategory,
        timing=_timing(batch_seconds, cases, batch_size),
        by_error_kind={name: score.to_json_dict() for name, score in
                       score_by_kind((c.input, c.expected, o) for c, o in zip(cases, outputs)).items()},
        cases=[
            CaseResult(
                id=case.id,
                category=case.category,
                subcategory=case.subcategory,
                split=case.split,
                input=case.input,
                expected=case.expected,
                output=output,
                exact=output == case.expected,
                error_types=list(case.error_types),
                rejected=refused,
            )
            for case, output, refused in zip(cases, outputs, rejected)
        ],
        limit=limit,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        spelltune_version=_version(),
    )


def run_eval(
    model: str,
    suite: str,
    out_dir: Path,
    *,
    limit: int | None = None,
    batch_size: int | None = None,
    device: str | None = None,
    dtype: str | None = None,
    progress: bool = True,
    rescore: bool | None = None,
    engine: str | None = None,
    config: CorrectorConfig | None = None,
) -> EvalReport:
    """`spelltune eval`: load the corrector for `model` and the suite, evaluate, write report.json/.md.

    `config` holds the corrector settings; the keyword arguments left None keep the config's values."""
    from spelltune.correct.config import CorrectorConfig
    from spelltune.correct.load import classic_corrector_names, load_corrector, with_overrides

    if batch_size is not None and batch_size < 1:
        from spelltune.errors import InputError

        raise InputError(f"--batch-size must be at least 1, got {batch_size}")
    settings = with_overrides(config or CorrectorConfig(), batch_size=batch_size, device=device, dtype=dtype,
                              rescore=rescore, engine=engine)
    loaded_suite = load_suite(suite, limit=limit)
    corrector = load_corrector(model, settings)
    report = evaluate_corrector(corrector, loaded_suite, limit, batch_size=settings.engine.batch_size, progress=progress,
                                model_size=describe_size(corrector, model))
    # The spec the user gave is the name they recognise.
    rescored = settings.rescore.enabled or model in classic_corrector_names()
    report.model = model if rescored else f"{model} --no-rescore"
    engine_used = getattr(corrector, "engine", None)
    if engine_used is not None:
        compute = getattr(engine_used, "compute_type", None)
        report.timing["engine"] = engine_used.backend + (f" ({compute})" if compute not in (None, "default") else "")
    write_report(report, Path(out_dir))
    return report


def describe_size(corrector: Corrector, spec: str | None = None) -> dict:
    """The corrector's size: `parameters` (a count; dictionary entries for classic ones) and a label."""
    parameters = getattr(corrector, "size_parameters", None)
    if parameters is not None:
        return {"parameters": int(parameters), "label": getattr(corrector, "size_label", f"{parameters:,}")}
    engine = getattr(corrector, "engine", None)
    count = engine.parameter_count() if engine is not None else None
    if count:
        return {"parameters": count, "label": f"{count / 1e6:.1f}M parameters"}
    if spec:
        from spelltune.models.presets import PRESETS

        preset = PRESETS.get(spec)
        if preset:
            return {"parameters": _parse_count(preset.parameters), "label": f"{preset.parameters} parameters"}
    return {"parameters": None, "label": "unknown"}


def _parse_count(text: str) -> int | None:
    match = re.fullmatch(r"([\d.]+)\s*([KMB]?)", text.strip())
    if not match:
        return None
    return int(float(match.group(1)) * {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}[match.group(2)])


def _score_groups(cases: list[EvalCase], outputs: list[str], key) -> dict[str, dict]:
    groups: dict[str, list[int]] = {}
    for index, case in enumerate(cases):
        groups.setdefault(key(case), []).append(index)
    return {
        name: score_sentences(
            [cases[i].input for i in indices], [cases[i].expected for i in indices], [outputs[i] for i in indices]
        )
        for name, indices in groups.items()
    }


def _timing(batch_seconds: list[float], cases: list[EvalCase], batch_size: int) -> dict:
    total = sum(batch_seconds)
    per_sentence_ms = []
    for index, seconds in enumerate(batch_seconds):
        size = min(batch_size, len(cases) - index * batch_size)
        per_sentence_ms += [1000 * seconds / size] * size
    per_sentence_ms.sort()
    return {
        "seconds": total,
        "sentences_per_second": len(cases) / max(total, 1e-9),
        "latency_ms_mean": statistics.fmean(per_sentence_ms) if per_sentence_ms else 0.0,
        "latency_ms_p50": per_sentence_ms[len(per_sentence_ms) // 2] if per_sentence_ms else 0.0,
        "latency_ms_p95": per_sentence_ms[min(len(per_sentence_ms) - 1, int(0.95 * len(per_sentence_ms)))]
        if per_sentence_ms
        else 0.0,
        "batch_size": batch_size,
        "note": "latency is each batch's wall time shared equally by its sentences",
    }


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("spelltune")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        return "unknown"

"""`spelltune adapt`: one writer's corrector, trained on what they accepted, kept only if it does better.

From a feedback log (FeedbackLog's JSONL) or a writer's feedback in the server's database: each sentence the writer decided on becomes a pair, the
sentence -> the sentence with the suggestions they accepted applied (one with only rejections teaches
to leave it as it is). A seeded share of the sentences is held out. The training pairs, plus a seeded
replay of general pairs (a `spelltune data build` folder) so the model does not forget everything else,
train a small LoRA continuing from the writer's current model (`train_model` with configs/train/adapt.yaml).
Then both models correct the held-out sentences: the new one is kept only if it reproduces more of the
accepted fixes less the rejected suggestions it shows again, and (with `general_check_pairs`) does
not lose sentence exact match on general validation pairs. `decision.json` says which and why; with a writer of the server's database (`--writer`), a kept model becomes
theirs there (`record_writer_decision`: writers.model_spec), and the server corrects their text with it.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spelltune.correct.corrector import Corrector, Edit
from spelltune.correct.edits import apply_edits
from spelltune.data.sources.feedback import FeedbackEvent, read_feedback_event
from spelltune.errors import InputError
from spelltune.jsonl import read_jsonl_objects
from spelltune.train.config import TrainConfig

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "train" / "adapt.yaml"


@dataclass(frozen=True)
class AdaptSettings:
    """How feedback becomes training data and how the new model is judged."""

    held_out_share: float = 0.25  # share of the writer's sentences kept out of training, to judge on
    replay_ratio: float = 3.0  # general pairs replayed per writer pair
    min_train_pairs: int = 8  # fewer sentences to train on: nothing is trained
    general_check_pairs: int = 32  # general validation pairs both models correct (0: no check)
    seed: int = 0


@dataclass
class SentenceFeedback:
    """Every decision made on one sentence."""

    sentence: str
    accepted: list[FeedbackEvent] = field(default_factory=list)
    rejected: list[FeedbackEvent] = field(default_factory=list)

    def corrected(self) -> str:
        """The sentence with the accepted changes applied (an overlapping later one is left out)."""
        edits: list[Edit] = []
        for event in self.accepted:
            if all(event.end <= edit.start or event.start >= edit.end for edit in edits):
                edits.append(Edit(event.start, event.end, event.original, event.replacement))
        return apply_edits(self.sentence, edits)


@dataclass
class FeedbackScore:
    """A corrector on held-out feedback: accepted fixes it makes, ones it misses, rejected ones it shows again."""

    fixed: int = 0
    missed: int = 0
    wrong_again: int = 0
    general_exact: float | None = None  # sentence exact match on general pairs, when checked

    @property
    def margin(self) -> int:
        """Fixes made less rejected suggestions shown again: what the writer gains."""
        return self.fixed - self.wrong_again


@dataclass
class AdaptResult:
    """What `adapt_writer` decided, and the model the writer should use from now on."""

    kept: bool
    reason: str
    model: str  # the spec to correct this writer's text with: the new run, or the model as before
    old: FeedbackScore
    new: FeedbackScore | None
    train_pairs: int
    replay_pairs: int
    held_out_sentences: int
    train_minutes: float | None = None

    def to_json_dict(self) -> dict:
        """The decision as written to decision.json."""
        return asdict(self)


def feedback_sentences(records: Iterable[Mapping]) -> tuple[list[SentenceFeedback], int]:
    """The writer's decisions grouped by sentence (first seen first), and how many records were unreadable."""
    grouped: dict[str, SentenceFeedback] = {}
    skipped = 0
    for record in records:
        try:
            event = read_feedback_event(record)
        except InputError:
            skipped += 1
            continue
        entry = grouped.setdefault(event.sentence, SentenceFeedback(event.sentence))
        (entry.accepted if event.decision == "accepted" else entry.rejected).append(event)
    return list(grouped.values()), skipped


def read_feedback_file(path: Path) -> list[dict]:
    """The records of a FeedbackLog JSONL file (InputError when it is missing; DataFormatError names a bad line)."""
    if not Path(path).is_file():
        raise InputError(f"no feedback file at {path}")
    return [record for _, record in read_jsonl_objects(Path(path), "give the feedback.jsonl `spelltune serve` writes")]


def read_writer_feedback(name: str, database_url: str | None = None) -> list[dict]:
    """The feedback records of the writer `name` in a `spelltune serve` database (default: the one `spelltune
    serve` opens), the same shape as a feedback file's; AccountError for an unknown writer, DatabaseError for a
    database that cannot be opened."""
    from spelltune.serve.store import open_store
    from spelltune.serve.store.accounts import find_writer
    from spelltune.serve.store.feedback import feedback_records

    store = open_store(database_url)
    try:
        return feedback_records(store, find_writer(store, name).id)
    finally:
        store.close()


def writer_current_model(name: str, database_url: str | None = None) -> str | None:
    """The model spec the server corrects the writer `name` with (their kept adapter), None for the server's
    own model; AccountError for an unknown writer."""
    from spelltune.serve.store import open_store
    from spelltune.serve.store.writer_model import writer_model

    store = open_store(database_url)
    try:
        return writer_model(store, name)
    finally:
        store.close()


def record_writer_decision(result: AdaptResult, name: str, database_url: str | None = None) -> str | None:
    """When `result` kept a new model, make it the model the server corrects the writer `name` with (the kept
    run folder's absolute path, so any working directory finds it) and return that spec; when it did not,
    leave the writer's model as it is and return None."""
    if not result.kept:
        return None
    from spelltune.serve.store import open_store
    from spelltune.serve.store.writer_model import set_writer_model

    spec = str(Path(result.model).resolve())
    store = open_store(database_url)
    try:
        set_writer_model(store, name, spec)
    finally:
        store.close()
    return spec


def split_held_out(sentences: list[SentenceFeedback], share: float, seed: int) -> tuple[list, list]:
    """(train, held out): a seeded `share` of the sentences held out, at least one when there are two or more."""
    if not 0.0 < share < 1.0:
        raise InputError(f"the held-out share must be between 0 and 1, not {share}")
    order = list(range(len(sentences)))
    random.Random(f"held-out-{seed}").shuffle(order)
    count = max(1, round(share * len(sentences))) if len(sentences) >= 2 else 0
    held = set(order[:count])
    return ([s for i, s in enumerate(sentences) if i not in held], [s for i, s in enumerate(sentences) if i in held])


def replay_rows(replay_dir: Path, count: int, seed: int, split: str = "train") -> list[dict]:
    """A seeded sample of `count` general pairs from a dataset folder's split (all of them when fewer)."""
    path = Path(replay_dir) / f"{split}.jsonl"
    if not path.is_file():
        raise InputError(f"no {split}.jsonl in {replay_dir}: give a folder written by `spelltune data build`")
    rows = [{"input": row["input"], "output": row["output"], "category": "replay"}
            for _, row in read_jsonl_objects(path, "build it with `spelltune data build`")
            if isinstance(row.get("input"), str) and isinstance(row.get("output"), str)]
    random.Random(f"replay-{seed}-{split}").shuffle(rows)
    return rows[:count]


def score_on_feedback(corrector: Corrector, sentences: list[SentenceFeedback],
                      general: list[dict] | None = None) -> FeedbackScore:
    """How `corrector` does on held-out feedback: an accepted change is fixed when an edit at its place makes
    the same replacement; a rejected one is shown again when an edit makes it. With `general` pairs, also
    the share it corrects exactly."""
    score = FeedbackScore()
    corrections = corrector.correct_lines([entry.sentence for entry in sentences]) if sentences else []
    for entry, correction in zip(sentences, corrections):
        made = {(edit.start, edit.end, edit.replacement) for edit in correction.edits}
        for event in entry.accepted:
            if (event.start, event.end, event.replacement) in made:
                score.fixed += 1
            else:
                score.missed += 1
        score.wrong_again += sum((e.start, e.end, e.replacement) in made for e in entry.rejected)
    if general:
        outputs = corrector.correct_lines([row["input"] for row in general])
        score.general_exact = sum(c.output == row["output"] for c, row in zip(outputs, general)) / len(general)
    return score


def keep_new(old: FeedbackScore, new: FeedbackScore) -> tuple[bool, str]:
    """Whether the new model is better for this writer, and why (ties keep the old one)."""
    if new.margin <= old.margin:
        return False, f"not better on the held-out feedback (fixes less repeated rejections: {new.margin} vs {old.margin})"
    if old.general_exact is not None and new.general_exact is not None and new.general_exact < old.general_exact:
        return False, (f"better on the writer's feedback ({new.margin} vs {old.margin}) but worse on general data "
                       f"(exact match {new.general_exact:.1%} vs {old.general_exact:.1%})")
    return True, f"better on the held-out feedback ({new.margin} vs {old.margin}) and no loss on general data"


def write_pairs(path: Path, rows: list[dict]) -> None:
    """Rows as JSONL (the format `spelltune data build` writes and the trainer reads)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def adapt_writer(records: list[Mapping], model: str, replay_dir: Path, out_dir: Path, *,
                 config: TrainConfig | None = None, settings: AdaptSettings | None = None,
                 load=None) -> AdaptResult:
    """Train this writer's adapter from their feedback `records` on top of `model`, judge it against `model`
    on their held-out feedback, and write `out_dir/decision.json`. `load(spec)` gives a corrector (default:
    `spelltune.correct.load.load_corrector`)."""
    from spelltune.train.config import load_train_config
    from spelltune.train.run import train_model

    settings = settings or AdaptSettings()
    if load is None:
        from spelltune.correct.load import load_corrector as load
    out_dir = Path(out_dir)
    sentences, skipped = feedback_sentences(records)
    train, held = split_held_out(sentences, settings.held_out_share, settings.seed)
    if skipped:
        print(f"skipped {skipped} unreadable feedback records", file=sys.stderr)
    if len(train) < settings.min_train_pairs or not held:
        raise InputError(f"{len(sentences)} sentences with decisions: adapting needs at least "
                         f"{settings.min_train_pairs} to train on and one to judge with; keep writing and try later")
    own = [{"input": s.sentence, "output": s.corrected(), "category": "feedback"} for s in train]
    replay = replay_rows(replay_dir, round(settings.replay_ratio * len(own)), settings.seed)
    general = replay_rows(replay_dir, settings.general_check_pairs, settings.seed, split="validation") \
        if settings.general_check_pairs else []
    data_dir = out_dir / "data"
    rows = own + replay
    random.Random(f"mix-{settings.seed}").shuffle(rows)
    write_pairs(data_dir / "train.jsonl", rows)
    write_pairs(data_dir / "validation.jsonl",
                [{"input": s.sentence, "output": s.corrected(), "category": "feedback"} for s in held])

    config = config or load_train_config(DEFAULT_CONFIG)
    config.model, config.data.path, config.data.overrides = model, str(data_dir), []
    old = score_on_feedback(load(model), held, general)
    trained = train_model(config, out_dir / "run")
    new_spec = str(trained.run_dir)
    new = score_on_feedback(load(new_spec), held, general)
    kept, reason = keep_new(old, new)
    result = AdaptResult(kept, reason, new_spec if kept else model, old, new, len(own), len(replay), len(held),
                         trained.summary.get("train_minutes"))
    (out_dir / "decision.json").write_text(json.dumps(result.to_json_dict(), indent=2) + "\n", encoding="utf-8")
    return result


def adapt_hook_for_bench(replay: Path, work_dir: Path, model: str, settings: AdaptSettings | None = None):
    """A hook for bench/simulated_writers.py's `adapt` mode: adapt the writer on their feedback so far, and
    return the corrector they use next (the new one only when `adapt_writer` kept it)."""
    from spelltune.correct.load import load_corrector

    if replay is None:
        raise InputError("the adapt mode needs --replay DIR (general pairs from `spelltune data build`)")
    current: dict[str, str] = {}

    def hook(writer, feedback: list[dict], corrector: Corrector) -> Corrector:
        spec = current.get(writer.name, model)
        try:
            result = adapt_writer(feedback, spec, replay, Path(work_dir) / writer.name / f"after-{len(feedback)}",
                                  settings=settings)
        except InputError as error:
            print(f"{writer.name}: not adapted: {error}", file=sys.stderr)
            return corrector
        print(f"{writer.name}: {'kept' if result.kept else 'not kept'}: {result.reason}", file=sys.stderr)
        if not result.kept:
            return corrector
        current[writer.name] = result.model
        return load_corrector(result.model)

    return hook

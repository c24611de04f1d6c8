"""The single-user files (dictionary.txt, feedback.jsonl), imported into the built-in local writer.

The server keeps these files as a copy of the local writer's data (it rewrites dictionary.txt and appends
to feedback.jsonl), so `spelltune fix` and the `feedback` data source keep working. Hence:
- dictionary.txt is merged in at every start: a word added by hand while the server was stopped is
  added; nothing is ever removed by it (remove words in the editor or with DELETE /v1/dictionary).
- feedback.jsonl is imported once per path: a `local_imports` row records it in the same transaction
  as its events, so a crash imports all or nothing and later starts import nothing. A path with no file
  yet is recorded too: what the server appends to it afterwards is already in the database.
The files are never deleted. Nothing readable is dropped: every dictionary line `PersonalDictionary`
reads becomes a word, every feedback line that is a JSON object with a decision becomes an event; what
cannot be read (a line cut off by a crash, a line that is not JSON) is named in `skipped` and stays in
the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from spelltune.serve.store.accounts import local_writer
from spelltune.serve.store.database import Store
from spelltune.serve.store.feedback import DECISIONS, bump_feedback_revision, change_context
from spelltune.serve.store.models import WORD_LENGTH, DictionaryWord, FeedbackEvent, LocalImport, utc_now


@dataclass
class ImportReport:
    """What one start imported: words and events added, and the lines left out (file:line: why)."""

    words: int = 0
    events: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str | None:
        """One line for the server's start, or None when nothing happened."""
        parts = []
        if self.words or self.events:
            parts.append(f"imported {self.words} dictionary words and {self.events} feedback records "
                         "into the local writer")
        if self.skipped:
            parts.append(f"left out {len(self.skipped)} unreadable lines ({'; '.join(self.skipped[:3])})")
        return "; ".join(parts) or None


def _already_imported(store: Store, kind: str, source: str) -> bool:
    with store.session() as session:
        return session.scalar(select(LocalImport.id).where(LocalImport.kind == kind,
                                                           LocalImport.source == source)) is not None


def _read_text(path: Path, report: ImportReport) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        report.skipped.append(f"{path}: cannot read it ({error}); it will be tried again at the next start")
        return None


def _import_dictionary(store: Store, writer_id: int, path: Path, report: ImportReport) -> None:
    text = _read_text(path, report)
    if text is None:
        return
    words: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if len(word) > WORD_LENGTH:
            report.skipped.append(f"{path}:{number}: longer than {WORD_LENGTH} characters")
            continue
        words[word.casefold()] = word  # the last spelling wins, as PersonalDictionary read it
    try:
        with store.session() as session:
            have = set(session.scalars(select(DictionaryWord.word_key).where(DictionaryWord.writer_id == writer_id)))
            new = [DictionaryWord(writer_id=writer_id, word=word, word_key=key)
                   for key, word in words.items() if key not in have]
            session.add_all(new)
        report.words += len(new)
    except IntegrityError:  # another process added one of them meanwhile: merged at the next start
        pass


def _time_of(record: dict, fallback: datetime) -> datetime:
    value = record.get("time")
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return fallback


def _event(writer_id: int, record: dict, fallback_time: datetime) -> FeedbackEvent:
    sentence = record.get("sentence")
    sentence = sentence if isinstance(sentence, str) else ""
    suggestion = record.get("suggestion")
    suggestion = suggestion if isinstance(suggestion, dict) else {"value": suggestion}
    original, replacement = suggestion.get("original"), suggestion.get("replacement")
    return FeedbackEvent(
        writer_id=writer_id, time=_time_of(record, fallback_time), decision=record["decision"], sentence=sentence,
        suggestion=suggestion, original=original if isinstance(original, str) else "",
        replacement=replacement if isinstance(replacement, str) else "",
        context=change_context(sentence, suggestion.get("offset"), suggestion.get("length")),
    )


def _import_feedback(store: Store, writer_id: int, path: Path, report: ImportReport) -> None:
    if _already_imported(store, "feedback", str(path)):
        return
    text = _read_text(path, report) if path.exists() else ""
    if text is None:
        return
    modified = datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc) if path.exists() else None
    events = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            report.skipped.append(f"{path}:{number}: not JSON")
            continue
        if not isinstance(record, dict) or record.get("decision") not in DECISIONS:
            report.skipped.append(f"{path}:{number}: not a decision record")
            continue
        events.append(_event(writer_id, record, modified or utc_now()))
    try:
        with store.session() as session:
            bump_feedback_revision(session, writer_id)
            session.add_all(events)
            session.add(LocalImport(kind="feedback", source=str(path), items=len(events)))
        report.events += len(events)
    except IntegrityError:
        pass


def import_local_files(store: Store, dictionary_path: Path | None, feedback_path: Path | None) -> ImportReport:
    """Merge the dictionary file and import the feedback log (once) into the local writer; see the module."""
    report = ImportReport()
    writer_id = local_writer(store).id
    if dictionary_path is not None and Path(dictionary_path).is_file():
        _import_dictionary(store, writer_id, Path(dictionary_path).resolve(), report)
    if feedback_path is not None and not Path(feedback_path).is_dir():
        _import_feedback(store, writer_id, Path(feedback_path).resolve(), report)
    return report

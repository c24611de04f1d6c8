"""The single-user files of earlier versions (dictionary.txt, feedback.jsonl), imported into the local writer.

Each file is imported once (a `local_imports` row records it, in the same transaction as its rows, so a
crash imports all or nothing and a second start imports nothing). The files stay where they are.
Nothing readable is dropped: every dictionary line `PersonalDictionary` would read becomes a word, and
every feedback line that is a JSON object with a decision becomes an event; what cannot be read (a
truncated last line, a line that is not JSON) is counted and named in `skipped`, and stays in the file.
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
from spelltune.serve.store.feedback import DECISIONS, change_context
from spelltune.serve.store.models import WORD_LENGTH, DictionaryWord, FeedbackEvent, LocalImport


@dataclass
class ImportReport:
    """What one start imported: words and events added, and the lines left out (file:line: why)."""

    words: int = 0
    events: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str | None:
        """One line for the server's start, or None when nothing happened."""
        if not (self.words or self.events or self.skipped):
            return None
        line = f"imported {self.words} dictionary words and {self.events} feedback records into the local writer"
        if self.skipped:
            line += f"; left out {len(self.skipped)} unreadable lines ({'; '.join(self.skipped[:3])})"
        return line


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
            session.add(LocalImport(kind="dictionary", source=str(path), items=len(new)))
        report.words += len(new)
    except IntegrityError:  # another replica imported it meanwhile
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
    text = _read_text(path, report)
    if text is None:
        return
    modified = datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc)
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
        events.append(_event(writer_id, record, modified))
    try:
        with store.session() as session:
            session.add_all(events)
            session.add(LocalImport(kind="feedback", source=str(path), items=len(events)))
        report.events += len(events)
    except IntegrityError:
        pass


def import_local_files(store: Store, dictionary_path: Path | None, feedback_path: Path | None) -> ImportReport:
    """Import the files not imported yet into the local writer (a file that does not exist is left for later)."""
    report = ImportReport()
    writer_id = local_writer(store).id
    for kind, path, load in (("dictionary", dictionary_path, _import_dictionary),
                             ("feedback", feedback_path, _import_feedback)):
        if path is None or not Path(path).is_file():
            continue
        path = Path(path).resolve()
        if not _already_imported(store, kind, str(path)):
            load(store, writer_id, path, report)
    return report

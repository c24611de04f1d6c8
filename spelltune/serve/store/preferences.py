"""What was learned about one writer (see serve/learning.py): changes they reject, replacements they prefer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from spelltune.errors import InputError
from spelltune.serve.store.database import Store
from spelltune.serve.store.models import PREFERENCE_TEXT_LENGTH, Preference, utc_now

PREFERENCE_KINDS = ("rejected", "preferred")


@dataclass(frozen=True)
class PreferenceSpec:
    """One preference to store: `kind` is "rejected" (never suggest original → replacement) or "preferred"."""

    kind: str
    original: str
    replacement: str
    context: str = ""
    count: int = 1


def _checked(spec: PreferenceSpec) -> PreferenceSpec:
    if spec.kind not in PREFERENCE_KINDS:
        raise InputError(f"preference kind must be one of {', '.join(PREFERENCE_KINDS)}, not {spec.kind!r}")
    for field in ("original", "replacement", "context"):
        if len(getattr(spec, field)) > PREFERENCE_TEXT_LENGTH:
            raise InputError(f"a preference's {field} is longer than {PREFERENCE_TEXT_LENGTH} characters")
    if spec.count < 1:
        raise InputError("a preference's count must be at least 1")
    return spec


def preferences(store: Store, writer_id: int, kind: str | None = None) -> list[Preference]:
    """The writer's preferences (of one `kind` if given), oldest first."""
    query = select(Preference).where(Preference.writer_id == writer_id)
    if kind is not None:
        query = query.where(Preference.kind == kind)
    with store.session() as session:
        return list(session.scalars(query.order_by(Preference.id)))


def add_preference(store: Store, writer_id: int, spec: PreferenceSpec) -> Preference:
    """Store a preference; when the writer has it already, its count grows by `spec.count`."""
    spec = _checked(spec)
    with store.session() as session:
        existing = session.scalar(select(Preference).where(
            Preference.writer_id == writer_id, Preference.kind == spec.kind, Preference.original == spec.original,
            Preference.replacement == spec.replacement, Preference.context == spec.context).with_for_update())
        if existing is not None:
            existing.count += spec.count
            existing.updated = utc_now()
            return existing
        preference = Preference(writer_id=writer_id, kind=spec.kind, original=spec.original,
                                replacement=spec.replacement, context=spec.context, count=spec.count)
        session.add(preference)
        return preference


def replace_preferences(store: Store, writer_id: int, specs: Iterable[PreferenceSpec]) -> int:
    """Make `specs` the writer's whole set of preferences, in one transaction; returns how many there are."""
    merged: dict[tuple[str, str, str, str], int] = {}
    for spec in map(_checked, specs):
        key = (spec.kind, spec.original, spec.replacement, spec.context)
        merged[key] = merged.get(key, 0) + spec.count
    with store.session() as session:
        session.execute(delete(Preference).where(Preference.writer_id == writer_id))
        session.add_all(Preference(writer_id=writer_id, kind=kind, original=original, replacement=replacement,
                                   context=context, count=count)
                        for (kind, original, replacement, context), count in merged.items())
    return len(merged)


def delete_preference(store: Store, writer_id: int, preference_id: int) -> bool:
    """Delete one of the writer's preferences; False when they have none with that id."""
    with store.session() as session:
        deleted = session.execute(delete(Preference).where(Preference.writer_id == writer_id,
                                                           Preference.id == preference_id))
        return deleted.rowcount > 0


def preference_dict(preference: Preference) -> dict:
    """A preference as JSON."""
    return {"id": preference.id, "kind": preference.kind, "original": preference.original,
            "replacement": preference.replacement, "context": preference.context, "count": preference.count,
            "updated": preference.updated.strftime("%Y-%m-%dT%H:%M:%SZ")}

"""One writer's personal dictionary: words never flagged, unique without regard to case."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from spelltune.serve.personal import normalize_word
from spelltune.serve.store.database import Store
from spelltune.serve.store.models import DictionaryWord


def dictionary_words(store: Store, writer_id: int) -> list[str]:
    """The writer's words, sorted without regard to case."""
    with store.session() as session:
        words = session.scalars(select(DictionaryWord.word).where(DictionaryWord.writer_id == writer_id)).all()
    return sorted(words, key=str.casefold)


def add_dictionary_word(store: Store, writer_id: int, word: str, *, checked: bool = True) -> str:
    """Add a word (InputError when `checked` and it is not one word); returns it as stored (the first spelling)."""
    word = normalize_word(word) if checked else word.strip()
    key = word.casefold()
    query = select(DictionaryWord.word).where(DictionaryWord.writer_id == writer_id, DictionaryWord.word_key == key)
    with store.session() as session:
        existing = session.scalar(query)
        if existing is not None:
            return existing
    try:
        with store.session() as session:
            session.add(DictionaryWord(writer_id=writer_id, word=word, word_key=key))
    except IntegrityError:  # added by a concurrent request
        pass
    return word


def remove_dictionary_word(store: Store, writer_id: int, word: str) -> bool:
    """Remove a word of this writer; False when they do not have it."""
    with store.session() as session:
        removed = session.execute(delete(DictionaryWord).where(DictionaryWord.writer_id == writer_id,
                                                               DictionaryWord.word_key == word.strip().casefold()))
        return removed.rowcount > 0

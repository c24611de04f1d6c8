"""Clean sentences: the user's text files and folders, JSONL, a saved or hub `datasets` dataset,
and the corpus embedded in the package."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from spelltune.data.sources.files import read_lines
from spelltune.data.types import CleanSentence
from spelltune.data.words import words_in
from spelltune.errors import DataFormatError, InputError
from spelltune.jsonl import read_jsonl_objects

EMBEDDED_CORPORA: dict[str, tuple[str, str]] = {
    # name -> (file in spelltune/data/corpus, license)
    "everyday-en": ("everyday_en.txt", "Apache-2.0 (written for spelltune)"),
}

MIN_WORDS = 4
MAX_WORDS = 40
MAX_CHARS = 300

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]\u201d\u2019]*\s+(?=[\"'(\u201c\u2018]?[A-Z])")
_REJECT = re.compile(r"[_*#\[\]{}<>|\\@~^=+]|https?:|www\.|\.\.\.|--")


def is_clean_sentence(text: str) -> bool:
    """Whether `text` looks like one ordinary written sentence: 4-40 words, a capital (or quote or
    digit) first, end punctuation last, no markup, URLs or all-capitals headings."""
    words = words_in(text)
    if not (MIN_WORDS <= len(words) <= MAX_WORDS) or len(text.split()) < MIN_WORDS or len(text) > MAX_CHARS:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'\u201c\u2018"):
        return False
    if text.rstrip("\"')\u201d\u2019")[-1:] not in (".", "!", "?"):
        return False
    if _REJECT.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.6 * len(text.replace(" ", "")):
        return False
    upper = sum(ch.isupper() for ch in text)
    return upper <= 0.3 * letters


def split_into_sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (whitespace collapsed) that pass `is_clean_sentence`."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    parts = (_balance_quotes(part.strip()) for part in _SENTENCE_END.split(text))
    return [s for s in parts if s and is_clean_sentence(s)]


def _balance_quotes(sentence: str) -> str:
    """The sentence without a lone double quote left at either end by splitting a quotation."""
    if sentence.count('"') % 2 == 1:
        if sentence.startswith('"'):
            return sentence[1:].lstrip()
        if sentence.endswith('"'):
            return sentence[:-1].rstrip()
    return sentence


def _paragraphs(path: Path) -> Iterator[str]:
    block: list[str] = []
    for _, line in read_lines(path):
        if line.strip():
            block.append(line)
        elif block:
            yield " ".join(block)
            block = []
    if block:
        yield " ".join(block)


def _from_text_file(path: Path, source: str) -> Iterator[CleanSentence]:
    for paragraph in _paragraphs(path):
        for sentence in split_into_sentences(paragraph):
            yield CleanSentence(sentence, source)


def _from_jsonl_file(path: Path, source: str, field: str) -> Iterator[CleanSentence]:
    for number, record in read_jsonl_objects(path):
        if not isinstance(record.get(field), str):
            raise DataFormatError(f"{path}:{number}: expected an object with a string field {field!r}")
        for sentence in split_into_sentences(record[field]):
            yield CleanSentence(sentence, source)


def load_clean_sentences(path: Path | str, source: str | None = None, field: str = "text") -> list[CleanSentence]:
    """The clean sentences in a `.txt` file (paragraphs split into sentences), a `.jsonl` file (the
    `field` of each object) or a folder of them (recursively, in sorted order)."""
    path = Path(path)
    name = source or path.stem
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".jsonl") and p.is_file())
        if not files:
            raise InputError(f"{path}: a folder with no .txt or .jsonl files")
    elif path.is_file():
        files = [path]
    else:
        raise InputError(f"{path}: no such file or folder")
    sentences: list[CleanSentence] = []
    for file in files:
        if file.suffix == ".jsonl":
            sentences.extend(_from_jsonl_file(file, name, field))
        elif file.suffix == ".txt":
            sentences.extend(_from_text_file(file, name))
        else:
            raise InputError(f"{file}: clean sentences must be a .txt or .jsonl file")
    return sentences


def load_embedded_sentences(name: str = "everyday-en") -> list[CleanSentence]:
    """The sentences of a corpus shipped inside the package, one per line."""
    if name not in EMBEDDED_CORPORA:
        raise InputError(f"unknown embedded corpus {name!r}; known: {', '.join(sorted(EMBEDDED_CORPORA))}")
    filename, _ = EMBEDDED_CORPORA[name]
    text = resources.files("spelltune.data.corpus").joinpath(filename).read_text(encoding="utf-8")
    return [CleanSentence(line, name) for line in text.splitlines() if line.strip()]


def _column_texts(dataset: object, column: str, where: str) -> Iterable[str]:
    names = getattr(dataset, "column_names", None) or []
    if column not in names:
        raise DataFormatError(f"{where}: no column {column!r} (columns: {', '.join(names)})")
    return dataset[column]  # type: ignore[index]


def load_hf_sentences(
    name_or_path: str, split: str = "train", column: str = "text", from_disk: bool = False
) -> list[CleanSentence]:
    """The clean sentences in one text column of a `datasets` dataset: saved with `save_to_disk`
    (`from_disk=True`) or named on the Hugging Face hub."""
    import datasets

    try:
        if from_disk:
            if not Path(name_or_path).exists():
                raise InputError(f"{name_or_path}: no such saved dataset")
            loaded = datasets.load_from_disk(name_or_path)
            if isinstance(loaded, datasets.DatasetDict):
                if split not in loaded:
                    raise InputError(f"{name_or_path}: no split {split!r} (splits: {', '.join(loaded)})")
                loaded = loaded[split]
        else:
            loaded = datasets.load_dataset(name_or_path, split=split)
    except (FileNotFoundError, ConnectionError, ValueError, OSError) as error:
        raise InputError(f"{name_or_path}: cannot load the dataset ({error})") from error
    source = Path(name_or_path).name if from_disk else name_or_path
    sentences: list[CleanSentence] = []
    for text in _column_texts(loaded, column, name_or_path):
        if isinstance(text, str):
            sentences.extend(CleanSentence(s, source) for s in split_into_sentences(text))
    return sentences

"""One loader per source format; each raises DataFormatError naming the file and line it rejects."""

from spelltune.data.sources.codespell import load_codespell_dictionary
from spelltune.data.sources.mitton import load_mitton_dat
from spelltune.data.sources.norvig import load_norvig_testset
from spelltune.data.sources.sentences import (
    load_clean_sentences,
    load_embedded_sentences,
    load_hf_sentences,
    split_into_sentences,
)
from spelltune.data.sources.toefl import load_toefl_spell

__all__ = [
    "load_clean_sentences",
    "load_codespell_dictionary",
    "load_embedded_sentences",
    "load_hf_sentences",
    "load_mitton_dat",
    "load_norvig_testset",
    "load_toefl_spell",
    "split_into_sentences",
]

"""Spelling-example templates: two orders x five styles x six separators, used round-robin so none dominates.

Order says which comes first in an example: word-first names the word in the prompt and spells it in the
completion; spelling-first gives the letters in the prompt and the word in the completion. The
"structured" style never uses the word "spell", so the model cannot lean on one cue word.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATORS: dict[str, str] = {
    "spaces": " ",
    "commas": ", ",
    "dashes": "-",
    "dots": ".",
    "arrows": " -> ",
    "none": "",
}
ORDERS = ("word-first", "spelling-first")
STYLES = ("simple", "narrative", "formal", "emphatic", "structured")


@dataclass(frozen=True)
class Template:
    """One prompt/completion pattern with `{word}` and `{spelling}` placeholders."""

    order: str
    style: str
    prompt: str
    completion: str


TEMPLATES: tuple[Template, ...] = (
    Template("word-first", "simple", "Spell '{word}'.", "{spelling}"),
    Template("spelling-first", "simple", "Which word is spelled {spelling}?", "{word}"),
    Template("word-first", "narrative",
             "A child asked her teacher how to write '{word}'. What did the teacher spell out?",
             "The teacher spelled it out: {spelling}."),
    Template("spelling-first", "narrative",
             "At the spelling bee, a contestant said the letters {spelling}. Which word was that?",
             "The contestant spelled '{word}'."),
    Template("word-first", "formal", "Please provide the correct spelling of the word '{word}', letter by letter.",
             "The word '{word}' is spelled {spelling}."),
    Template("spelling-first", "formal", "Kindly state the word whose spelling is {spelling}.",
             "The letters {spelling} spell the word '{word}'."),
    Template("word-first", "emphatic", "Spell '{word}' - every single letter!", "{spelling}! That is '{word}'!"),
    Template("spelling-first", "emphatic", "{spelling}! What word is that?!", "That is '{word}'!"),
    Template("word-first", "structured", "word: {word}\nletters:", "{spelling}"),
    Template("spelling-first", "structured", "letters: {spelling}\nword:", "{word}"),
)


@dataclass(frozen=True)
class Variant:
    """A template with a separator: one of the len(TEMPLATES) x len(SEPARATORS) kinds of example."""

    template: Template
    separator: str

    @property
    def name(self) -> str:
        """`order/style/separator`, the category written with each training row."""
        return f"{self.template.order}/{self.template.style}/{self.separator}"


VARIANTS: tuple[Variant, ...] = tuple(Variant(t, s) for t in TEMPLATES for s in SEPARATORS)


def spell_out(word: str, separator_name: str) -> str:
    """The letters of `word` joined by the named separator: `spell_out("berry", "dashes")` -> `b-e-r-r-y`."""
    return SEPARATORS[separator_name].join(word)


def render(variant: Variant, word: str) -> tuple[str, str]:
    """The (prompt text, completion text) of one spelling example of `word`."""
    spelling = spell_out(word, variant.separator)
    fill = {"word": word, "spelling": spelling}
    return variant.template.prompt.format(**fill), variant.template.completion.format(**fill)

"""Second pass for misspellings the generator left: dictionary candidates, chosen by the model in context.

A small model often sees a misspelling but cannot produce its fix greedily: it wanders into another
word ("tought" -> "told", refused by the guard, so the misspelling stays; or "carring" -> "car",
which passes). Here every misspelled word of the input (in neither word list; not a name, URL, number
or code) is decided again among the word the model wrote, the word as written, and the dictionary
neighbours within two edits (SymSpell's dictionary). The correction model itself scores each variant of the whole
sentence: the log-probability of writing it as the correction of the input, less a penalty per edit
away from the writer's word and for leaving a word no list knows. Context decides between "which"
and "wish" for "wich".

Correctly spelled words get the same second look when they belong to a confusion set
(correct/confusion.py: their/there/they're, its/it's, dont/don't, male/mail, form/from): their partners
are candidates, and one replaces the written word only when the model prefers it by more than
`confusion_margin` nats, so a correct sentence stays as written. Every candidate must pass the guard.
A misspelling whose only fault is its accents ("fínger", with `accent_typos`) is decided the same way,
between the word as written and its plain form. Those are scored by the model as a plain language model
(the sentence after `fluency_prefix`), not as the correction of the input: a correction model learned to
copy its input, so it favours the written word whichever it is, while as a language model it hears that
"the mail came late" reads right.

Most variants cannot win, so they are not scored in full (`prune`): one pass over the sentence as the
correction has it scores that variant exactly and bounds every other by its tokens up to where it
differs (engine/bounds.py); only variants whose bound, less their penalty, still reaches the best
exact score are scored, best bound first. The choices are those of scoring every variant.

A writer's own fixes (correct/preferences.py) come per sentence: for a misspelling the writer fixed
before, the word they accepted is a candidate too, and pays `preference_bonus` nats less than its
spelling distance alone would make it pay. The guard judges it like every other candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spelltune.correct.confusion import MIRROR_LETTERS, confusion_partners, contractions
from spelltune.correct.dictionary import (dictionary_neighbours, is_accented_word, known_words, match_case,
                                          short_words, without_accents)
from spelltune.correct.edge_punctuation import strip_edge_punctuation
from spelltune.correct.preferences import SpellingPreferences
from spelltune.correct.protected import next_starts_sentence, protected_kind
from spelltune.engine.base import Engine
from spelltune.prompt import build_prompt, build_training_example

_PLAIN_WORD = re.compile(r"^[A-Za-z]+$")
_LETTERS = re.compile(r"^[^\W\d_]+$")  # letters of any alphabet
_WORD_WITH_APOSTROPHE = re.compile(r"^[A-Za-z]+(?:['’][A-Za-z]+)?$")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class RescoreSettings:
    """Which words get a second look and how much evidence a replacement needs."""

    enabled: bool = True
    max_candidates: int = 8  # dictionary words per misspelling, closest and most frequent first
    max_edit_distance: int = 2
    # Log-probability (nats) a candidate pays per edit: the closer spelling wins unless context says otherwise.
    distance_penalty: float = 1.0
    # Edits a b/d, p/q, m/w or n/u substitution counts as (dyslexic mirror letters: "dook" is nearer
    # "book" than "door"), and edits forgiven to a candidate that sounds like the writer's word (the
    # same Metaphone key: "nxet" -> "next" rather than "new"). 1.0 and 0.0 turn them off; the values
    # shipped are the dev sweep's pick (scripts/pick_rescore_settings.py).
    mirror_letter_cost: float = 1.0
    sound_alike_discount: float = 0.5
    # Nats that keeping a word the dictionary does not know pays. The model learned to copy most of its
    # input, so it favours writing a misspelling again; a missed error costs the writer more than a
    # suggestion they reject. Names in capitals are never candidates (see find_misspellings).
    unknown_word_penalty: float = 3.0
    min_word_length: int = 3  # shorter non-words ("u", "ur") are chat style or abbreviations
    # Two-letter words no strict list knows ("bz", "ir": dictionary.short_words) are decided too, with
    # stronger evidence than longer ones: candidates one edit away only, and keeping the word pays
    # `short_word_unknown_penalty` instead of `unknown_word_penalty`.
    short_words: bool = True
    short_word_unknown_penalty: float = 0.0
    # A misspelling that is two dictionary words run together ("inspite", "alot") gets the split as a
    # candidate, one edit away (the space).
    split_words: bool = False
    # Edits a candidate of a long word (`long_word_length` letters or more) may be away: 3 reaches the far
    # misspellings of long words ("sommony" -> "commonly") that 2 leaves to a wrong near word.
    long_word_distance: int = 2
    long_word_length: int = 8
    # Misspellings next to each other ("yusic cido") are decided once more, each with its neighbours'
    # decisions in place of their misspelled forms, so one wrong neighbour does not spoil the other's context.
    adjacent_misspellings: bool = True
    # Every misspelling of a sentence where another misspelling changed is decided once more, with the other
    # decisions in place: each word is first scored beside the others as written, and in a sentence with many
    # errors those make copying the writer's words look likely ("thej" kept beside "rhan" and "worc").
    sentence_misspellings: bool = True
    # Rounds of deciding again, each with the decisions of the round before, while a decision changes.
    redecide_rounds: int = 2
    # Before those rounds, in a sentence where a misspelling was kept as written, every misspelling is decided
    # once more with each other misspelling at its likeliest known spelling (the model's best-scoring dictionary
    # variant), not as written: when every word is first decided beside the others as written, a line with many
    # errors can keep all of them, each one's copy propped up by the others' ("yoi" beside "zaif"). On: dev
    # halves (README "Where errors are dense").
    known_context: bool = True
    # Short dictionary words that are rare ("ont", "cit", "wen": `rare_word_length` letters or fewer, rarer than
    # `rare_word_count` in SymSpell's counts, lowercase) are often a typo of a common word one edit away; they are
    # decided too, and a more frequent word one edit away replaces one only when the model prefers it by
    # `rare_word_margin` nats beyond its edit's penalty.
    rare_words: bool = False
    rare_word_length: int = 4
    rare_word_count: int = 3_000_000
    rare_word_margin: float = 2.0
    # A misspelling that starts a sentence, in a text whose other sentences start with a capital, gets its
    # correction capitalised ("... mouthful. chewinb an he spoke" -> "Chewing"); text that does not write
    # sentence case (learners' all-lowercase lines) keeps its lowercase starts. On: dev halves (README).
    sentence_case: bool = True
    # Words with letters outside A-Z ("approvád", "õears") are misspellings too, unless they are real
    # words written with accents ("café", "naïve": dictionary.is_accented_word).
    non_ascii_words: bool = True
    # Such a word whose only fault is its accents ("fínger", "tő": without them a word list knows it) is decided
    # between the word as written and its plain form by the model as a plain language model, like a confusable
    # word: the correction model learned that a writer's accents stay (on real accented words), so it copies
    # stray ones too ("fínger" scored 8 nats above "finger" as the correction of its sentence). On: dev halves.
    accent_typos: bool = True
    # Words of the sentence after a decided word that its variants are scored with (0: the whole rest and
    # the end of turn). The rest of a long sentence adds cost but rarely changes which variant wins.
    context_words_after: int = 0
    # The same for a confusable word's variants, scored as plain text (0: the whole rest of the sentence).
    # 5 is the smallest window that decided every dev sentence as the whole rest does (README "Speed").
    confusion_context_words_after: int = 5
    # Score only the variants that can still win: one pass over the word as the correction has it bounds
    # every other variant's score (its tokens up to where it differs, read from that pass), and a variant
    # whose bound cannot beat it is dropped. The same choices as scoring every variant, for a fraction.
    prune: bool = True
    # Correctly spelled words in a confusion set (their/there, its/it's, form/from) are decided too.
    confusion_sets: bool = True
    # Nats by which the model must prefer a confusion partner over the word as written: the margin that
    # keeps a correct sentence as written. Chosen on dev data only (scripts/rescore_sweep.py).
    confusion_margin: float = 2.0
    # Confusion variants are scored as text after this prefix (the model as a plain language model).
    fluency_prefix: str = "Text:"
    # Nats a misspelling's variant is forgiven when it is the word this writer accepted for that
    # misspelling before (per-call `preferences`); other candidates still win when the model is that sure.
    preference_bonus: float = 5.0


@dataclass(frozen=True)
class Misspelling:
    """A word of the text (characters `start:end`) that the dictionary does not know."""

    start: int
    end: int
    word: str


def find_misspellings(text: str, settings: RescoreSettings) -> list[Misspelling]:
    """Plain alphabetic words of `text` missing from the dictionary, skipping names, acronyms and code."""
    found: list[Misspelling] = []
    sentence_start = True
    for match in _TOKEN.finditer(text):
        token = match.group()
        core = strip_edge_punctuation(token)
        starts_here = sentence_start
        sentence_start = next_starts_sentence(token, starts_here)
        short = settings.short_words and len(core) == 2 and settings.min_word_length > 2
        if (len(core) < settings.min_word_length and not short) or not _may_be_misspelled(core, settings):
            continue
        if protected_kind(token, starts_here) is not None or _is_known(core, short):
            continue
        offset = match.start() + token.index(core)
        found.append(Misspelling(offset, offset + len(core), core))
    return found


def _is_known(core: str, short: bool) -> bool:
    """Whether a word list knows the word: the strict two-letter list for a short word, else known_words()."""
    return core.lower() in short_words() if short else core.lower() in known_words()


def _may_be_misspelled(core: str, settings: RescoreSettings) -> bool:
    """Whether a word's letters are ones the dictionary can judge: A-Z, or (with `non_ascii_words`) Latin
    letters with accents that make no real word (`is_accented_word`; another script is not judged)."""
    if _PLAIN_WORD.match(core):
        return True
    if not settings.non_ascii_words or not _LETTERS.match(core):
        return False
    return bool(_PLAIN_WORD.match(without_accents(core))) and not is_accented_word(core)


def dictionary_candidates(word: str, settings: RescoreSettings) -> list[tuple[str, int]]:
    """Dictionary words within `max_edit_distance` of `word` (one edit for a two-letter word), in its case,
    with their distance."""
    reach = 1 if len(word) <= 2 else settings.max_edit_distance
    if len(word) >= settings.long_word_length:
        reach = max(reach, settings.long_word_distance)
    ranked = dictionary_neighbours(word, reach)[: settings.max_candidates]
    found = [(match_case(word, term), distance) for term, distance, _ in ranked]
    if settings.split_words:
        found += [(match_case(word, split), 1) for split in word_splits(word)]
    return found


def word_splits(word: str, limit: int = 2) -> list[str]:
    """`word` cut into two dictionary words ("inspite" -> "in spite"), the commonest pairs first; each part
    two letters or more, or "a"/"i"."""
    from spelltune.correct.dictionary import word_frequencies

    lower, frequencies = word.lower(), word_frequencies()
    pairs = []
    for cut in range(1, len(lower)):
        left, right = lower[:cut], lower[cut:]
        if all((len(part) >= 2 or part in ("a", "i")) and part in frequencies for part in (left, right)):
            pairs.append((min(frequencies[left], frequencies[right]), f"{left} {right}"))
    return [split for _, split in sorted(pairs, reverse=True)[:limit]]


@dataclass(frozen=True)
class Slot:
    """A word of the correction (characters `start:end`) to decide, and the spellings it may take.

    `variants[0]` is the word as the correction has it. Each variant has its edit distance from the
    writer's word and whether a word list knows it: what it pays before the model's score decides.
    """

    start: int
    end: int
    variants: list[str]
    distances: list[float]
    known: list[bool]
    # "misspelling" (a word no list knows), "rare" (a rare short dictionary word: `RescoreSettings.rare_words`)
    # "confusion" (a correct word in a confusion set) or "accent" (a misspelling whose only fault is its
    # accents: `RescoreSettings.accent_typos`).
    kind: str = "misspelling"
    written: str = ""
    # The variant this writer chose for this misspelling before (it pays `preference_bonus` less); "" if none.
    favoured: str = ""
    sentence_start: bool = False  # the word starts a sentence

    @property
    def as_plain_text(self) -> bool:
        """Whether the model decides this slot as a plain language model (confusable and accent-only words)."""
        return self.kind in ("confusion", "accent")

    def penalties(self, settings: RescoreSettings) -> list[float]:
        """Nats each variant pays. A misspelling's: per edit away from the writer's word, and for being no
        known word, less `preference_bonus` for the writer's favoured word. A confusion's: the margin, for
        every variant but the word as written."""
        if self.as_plain_text:
            return [0.0 if variant.lower() == self.written.lower() else settings.confusion_margin
                    for variant in self.variants]
        if self.kind == "rare":
            return [0.0 if variant.lower() == self.written.lower()
                    else settings.distance_penalty * distance + settings.rare_word_margin
                    for variant, distance in zip(self.variants, self.distances)]
        unknown = settings.short_word_unknown_penalty if len(self.written) <= 2 else settings.unknown_word_penalty
        return [settings.distance_penalty * distance + (0.0 if known else unknown)
                - (settings.preference_bonus if self.favoured and variant == self.favoured else 0.0)
                for variant, distance, known in zip(self.variants, self.distances, self.known)]

    def choose(self, log_probs: list[float], settings: RescoreSettings) -> str:
        """The variant with the best log-probability after its penalty (the current word on a tie)."""
        scores = [lp - penalty for lp, penalty in zip(log_probs, self.penalties(settings))]
        return self.variants[max(range(len(scores)), key=lambda i: (scores[i], -i))]


def find_slots(source: str, corrected: str, settings: RescoreSettings, guard=None,
               preferences: SpellingPreferences | None = None) -> list[Slot]:
    """The words of `corrected` to decide again: each misspelling of `source`, whatever the model made of it
    (kept, or replaced by its own guess), any unknown word the correction itself contains, and (with
    `confusion_sets`) each word of a confusion set.

    Words pair up by position when the correction kept the word count; otherwise only the correction's
    own words are looked at. With a `guard` (GuardConfig), a variant the guard would refuse as an edit of
    the writer's word is no candidate. With the writer's `preferences`, a misspelling they fixed before
    has the word they chose among its variants, favoured.
    """
    source_tokens, corrected_tokens = list(_TOKEN.finditer(source)), list(_TOKEN.finditer(corrected))
    if len(source_tokens) != len(corrected_tokens):
        source, source_tokens = corrected, corrected_tokens
    source_misspellings = {m.start: m for m in find_misspellings(source, settings)}
    own = {m.start: m for m in find_misspellings(corrected, settings)}
    slots: list[Slot] = []
    sentence_start = True
    for source_token, corrected_token in zip(source_tokens, corrected_tokens):
        starts_here = sentence_start
        sentence_start = next_starts_sentence(source_token.group(), starts_here)
        core = strip_edge_punctuation(corrected_token.group())
        written_core = strip_edge_punctuation(source_token.group())
        if not core:
            continue
        start = corrected_token.start() + corrected_token.group().index(core)
        written_start = source_token.start() + source_token.group().index(written_core) if written_core else 0
        written = next((m.word for m in source_misspellings.values()
                        if source_token.start() <= m.start < source_token.end()), None)
        if written is None and start in own:
            written = core
        plain = accent_typo_plain_form(written, settings) if written is not None else None
        if plain is not None and _LETTERS.match(core):
            slot = replace(_confusion_slot(start, core, written, [plain]), kind="accent")
        elif written is not None and (_PLAIN_WORD.match(core) or _LETTERS.match(core)):
            slot = _slot(start, core, written, settings, preferences)
        elif settings.confusion_sets and _is_confusable_token(source_token.group(), written_core, core, starts_here):
            slot = _confusion_slot(start, core, written_core, sorted(confusion_partners(written_core)))
        elif settings.rare_words and core == written_core and is_rare_word(source_token.group(), starts_here, settings):
            slot = _rare_slot(start, core, settings)
        else:
            continue
        if guard is not None:
            slot = _guarded(slot, source, written_start, guard)
        slots.append(replace(slot, sentence_start=starts_here))
    return [slot for slot in slots if len(slot.variants) > 1]


def is_rare_word(token: str, sentence_start: bool, settings: RescoreSettings) -> bool:
    """Whether `token` is a rare short dictionary word in lowercase (`RescoreSettings.rare_words`): "ont", "cit"."""
    from spelltune.correct.dictionary import word_frequencies

    core = strip_edge_punctuation(token)
    if not 3 <= len(core) <= settings.rare_word_length or not core.isascii() or not core.isalpha() or not core.islower():
        return False
    if protected_kind(token, sentence_start) is not None or core not in known_words():
        return False
    return word_frequencies().get(core, 0) < settings.rare_word_count


def _rare_slot(start: int, word: str, settings: RescoreSettings) -> Slot:
    from spelltune.correct.dictionary import word_frequencies

    frequencies = word_frequencies()
    floor = max(settings.rare_word_count, frequencies.get(word, 0))
    neighbours = [term for term, distance, _ in dictionary_neighbours(word, 1)
                  if distance == 1 and frequencies.get(term, 0) > floor][: settings.max_candidates]
    variants = [word] + neighbours
    return Slot(start, start + len(word), variants, [spelling_distance(word, v, settings) for v in variants],
                [True] * len(variants), kind="rare", written=word)


def _is_confusable_token(token: str, written: str, current: str, sentence_start: bool) -> bool:
    if not _WORD_WITH_APOSTROPHE.match(written) or not _WORD_WITH_APOSTROPHE.match(current):
        return False
    if len(written) < 2 or protected_kind(token, sentence_start) is not None:
        return False  # names ("Hope", "Mill" inside a sentence), acronyms, code: as written
    return bool(confusion_partners(written))


def accent_typo_plain_form(word: str, settings: RescoreSettings) -> str | None:
    """With `accent_typos`, the plain form of a misspelling whose only fault is its accents ("fínger" ->
    "finger", "tő" -> "to": a word list knows it without them); None for any other word."""
    if not settings.accent_typos or word.isascii() or is_accented_word(word):
        return None
    plain = without_accents(word)
    if plain == word or not _PLAIN_WORD.match(plain):
        return None
    return plain if _is_known(plain, settings.short_words and len(plain) == 2) else None


def _confusion_slot(start: int, current: str, written: str, partners: list[str]) -> Slot:
    from rapidfuzz.distance import OSA

    variants = list(dict.fromkeys([current, written] + [_in_case_of(written, partner) for partner in partners]))
    return Slot(start, start + len(current), variants,
                [OSA.distance(written.lower(), variant.lower()) for variant in variants],
                [True] * len(variants), kind="confusion", written=written)


def _in_case_of(written: str, partner: str) -> str:
    if partner == "i" or partner.startswith("i'"):
        return "I" + partner[1:]  # "im" -> "I'm"; all-lowercase text is lowercased again by the guard
    if "’" in written:
        partner = partner.replace("'", "’")
    return match_case(written, partner)


def _guarded(slot: Slot, source: str, written_start: int, guard) -> Slot:
    """`slot` without the variants the guard would refuse as an edit of the writer's word (the current
    word always stays: the guard has passed it already)."""
    from spelltune.correct.corrector import Edit
    from spelltune.correct.guard import refuse_edit_reason

    written = slot.written or source[written_start:].split(maxsplit=1)[0]
    end = written_start + len(written)
    keep = [index for index, variant in enumerate(slot.variants)
            if index == 0 or variant == written
            or refuse_edit_reason(source, Edit(written_start, end, written, variant), guard) is None]
    favoured = slot.favoured if slot.favoured in (slot.variants[i] for i in keep) else ""
    return replace(slot, variants=[slot.variants[i] for i in keep], distances=[slot.distances[i] for i in keep],
                   known=[slot.known[i] for i in keep], favoured=favoured)


def spelling_distance(written: str, variant: str, settings: RescoreSettings) -> float:
    """Edits from `written` to `variant` (optimal string alignment: a swap of neighbours is one), where a
    mirror-letter substitution costs `mirror_letter_cost` and a variant with the writer's sound (same
    Metaphone key) is forgiven `sound_alike_discount` edits, never below half an edit."""
    import jellyfish
    from rapidfuzz.distance import OSA

    a, b = written.lower(), variant.lower()
    if a == b:
        return 0.0
    distance = float(OSA.distance(a, b))
    if len(a) == len(b):
        substitutions = [(x, y) for x, y in zip(a, b) if x != y]
        distance = min(distance, sum(settings.mirror_letter_cost if MIRROR_LETTERS.get(x) == y else 1.0
                                     for x, y in substitutions))
    if settings.sound_alike_discount and jellyfish.metaphone(a) == jellyfish.metaphone(b):
        distance = max(0.5, distance - settings.sound_alike_discount)
    return distance


def _slot(start: int, current: str, written: str, settings: RescoreSettings,
          preferences: SpellingPreferences | None = None) -> Slot:
    expansions = [_in_case_of(written, contractions()[written.lower()])] if written.lower() in contractions() else []
    favoured = (preferences.preferred(written) if preferences else None) or ""
    variants = list(dict.fromkeys([current, written] + expansions + ([favoured] if favoured else [])
                                  + [word for word, _ in dictionary_candidates(written, settings)]))
    return Slot(
        start,
        start + len(current),
        variants,
        [spelling_distance(written, variant, settings) for variant in variants],
        [all(_is_known(part, settings.short_words and len(part) == 2) for part in variant.split())
         or variant.lower() in contractions().values() for variant in variants],
        written=written,
        favoured=favoured,
    )


def likeliest_known(slot: Slot, estimates: list[float], chosen: str, settings: RescoreSettings) -> str:
    """What `slot` stands as in its neighbours' context with `known_context`: `chosen` when a word list knows
    it (or it is a confusable word), else the known variant whose score `estimates` (exact, or a bound where
    pruning skipped it), less its penalty, is best; `chosen` when no variant is known."""
    index = slot.variants.index(chosen)
    if slot.kind != "misspelling" or slot.known[index]:
        return chosen
    penalties = slot.penalties(settings)
    known = [i for i, is_known in enumerate(slot.known) if is_known]
    if not known:
        return chosen
    return slot.variants[max(known, key=lambda i: (estimates[i] - penalties[i], -i))]


def capitalised_sentence_starts(text: str, slots: list[Slot], choices: list[str]) -> list[str]:
    """`choices` with each changed misspelling that starts a sentence of `text` in lowercase capitalised, when
    every other sentence of `text` starts with a capital (and there is one): the writer uses sentence case."""
    starts = sentence_start_letters(text)
    capitalised = list(choices)
    for index, (slot, chosen) in enumerate(zip(slots, choices)):
        if slot.kind not in ("misspelling", "accent") or not slot.sentence_start or chosen == slot.written:
            continue
        if not (chosen[:1].islower() and slot.written[:1].islower()):
            continue
        others = [letter for start, letter in starts if start != slot.start]
        if others and all(letter.isupper() for letter in others):
            capitalised[index] = chosen[0].upper() + chosen[1:]
    return capitalised


def sentence_start_letters(text: str) -> list[tuple[int, str]]:
    """The first letter of each sentence of `text` (that starts with a letter), with its offset."""
    found, starts_here = [], True
    for match in _TOKEN.finditer(text):
        token = match.group()
        core = strip_edge_punctuation(token)
        if starts_here and core[:1].isalpha():
            found.append((match.start() + token.index(core), core[0]))
        starts_here = next_starts_sentence(token, starts_here)
    return found


def _adjacent(text: str, first: Slot, second: Slot) -> bool:
    """Whether nothing but spaces and punctuation lies between two slots (no other word)."""
    return not any(character.isalnum() for character in text[first.end : second.start])


def _apply(text: str, slots: list[Slot], choices: list[str]) -> str:
    # Last word first, so the offsets of the words before it stay valid.
    for slot, chosen in reversed(list(zip(slots, choices))):
        text = text[: slot.start] + chosen + text[slot.end :]
    return text


def context_after(text: str, end: int, words: int) -> tuple[str, bool]:
    """The text after position `end` up to the end of its `words`-th word, and whether that is all of it.

    `words` 0 means the whole rest of the text.
    """
    if words <= 0:
        return text[end:], True
    matches = list(_TOKEN.finditer(text, end))
    # A token that starts right at `end` is the rest of the decided word itself (its punctuation).
    counted = [m for m in matches if m.start() > end]
    if len(counted) <= words:
        return text[end:], True
    return text[end : counted[words - 1].end()], False


# Nats of float noise between an engine's bound and its exact score (different passes and batch shapes):
# a variant is dropped only when its bound is this much below the best exact score.
PRUNE_SLACK = 0.05
# Rounds of exact scoring when pruning: the best-bounded variant of each word in all but the last, then
# every variant still in reach (each round is one engine call for all words of all sentences).
PRUNE_ROUNDS = 3


class CandidateRescorer:
    """Decides each misspelled word of a correction among dictionary spellings with the model's scores."""

    def __init__(self, engine: Engine, settings: RescoreSettings | None = None, guard=None):
        self.engine = engine
        self.settings = settings or RescoreSettings()
        self.guard = guard  # a GuardConfig: candidates it would refuse are never offered
        self._prompts: dict[str, str] = {}
        self._end_of_turn: str | None = None

    def rescore_many(self, pairs: list[tuple[str, str]],
                     preferences: list[SpellingPreferences | None] | None = None) -> list[str]:
        """Each `corrected` (the guarded correction of its `source`) with each misspelling decided again, every
        variant of every word of every pair scored in shared batches.

        Each word is decided with the rest of its sentence as the correction has it (independently of the
        other words' decisions), which lets all of them be scored at once. `preferences[i]`, when given, are
        the spelling preferences of the writer of pair i.
        """
        if not self.settings.enabled:
            return [corrected for _, corrected in pairs]
        if preferences is not None and len(preferences) != len(pairs):
            raise ValueError(f"{len(preferences)} preferences for {len(pairs)} sentences: give one per sentence")
        per_pair = preferences if preferences is not None else [None] * len(pairs)
        slots = [find_slots(source, corrected, self.settings, self.guard, wanted)
                 for (source, corrected), wanted in zip(pairs, per_pair)]
        requests, penalties = [], []
        for (source, corrected), sentence_slots in zip(pairs, slots):
            for slot in sentence_slots:
                requests.append(self.slot_request(source, corrected, slot))
                penalties.append(slot.penalties(self.settings))
        found, estimates = self._scores_and_estimates(requests, penalties)
        scores = iter(found)
        all_choices = [[slot.choose(next(scores), self.settings) for slot in sentence_slots] for sentence_slots in slots]
        if self.settings.adjacent_misspellings or self.settings.sentence_misspellings:
            seen = [[list(slot.variants[0] for slot in sentence_slots) for _ in sentence_slots] for sentence_slots in slots]
            if self.settings.known_context:
                rows = iter(estimates)
                context = [[likeliest_known(slot, next(rows), chosen, self.settings)
                            for slot, chosen in zip(sentence_slots, choices)]
                           for sentence_slots, choices in zip(slots, all_choices)]
                self._redecide(pairs, slots, all_choices, seen, context)
            for _ in range(max(1, self.settings.redecide_rounds)):
                if not self._redecide(pairs, slots, all_choices, seen):
                    break
        self._recheck_confusions([corrected for _, corrected in pairs], slots, all_choices)
        if self.settings.sentence_case:
            for (_, corrected), sentence_slots, choices in zip(pairs, slots, all_choices):
                choices[:] = capitalised_sentence_starts(corrected, sentence_slots, choices)
        return [_apply(corrected, sentence_slots, choices)
                for (_, corrected), sentence_slots, choices in zip(pairs, slots, all_choices)]

    def slot_request(self, source: str, corrected: str, slot: Slot) -> tuple[str, list[str]]:
        """What the engine scores to decide `slot`: a prefix and one continuation per variant, the word
        as the correction has it first. A misspelling's variants are the correction of `source` (the model
        as corrector); a confusable word's are plain text after `fluency_prefix` (the model as language
        model). Each takes the words after the slot that its `*context_words_after` setting allows."""
        if slot.as_plain_text:
            after, _ = context_after(corrected, slot.end, self.settings.confusion_context_words_after)
            return self.fluency_request([corrected[: slot.start] + variant + after for variant in slot.variants])
        after, reaches_end = context_after(corrected, slot.end, self.settings.context_words_after)
        return self.correction_request(source, [corrected[: slot.start] + variant + after for variant in slot.variants],
                                       complete=reaches_end)

    def decisive_scores(self, requests: list[tuple[str, list[str]]], penalties: list[list[float]]) -> list[list[float]]:
        """Scores that decide each request's choice (log-probability less penalty, best wins).

        With `prune`, the engine's bounds (one pass over the word as the correction has it, or what the
        model just generated) come first; a variant whose bound, less its penalty, cannot reach the best
        exact score is not scored (-inf), and only the rest are scored exactly. The choice is the one
        scoring every variant gives (up to float noise).
        """
        return self._scores_and_estimates(requests, penalties)[0]

    def _scores_and_estimates(self, requests: list[tuple[str, list[str]]], penalties: list[list[float]]
                              ) -> tuple[list[list[float]], list[list[float]]]:
        """`decisive_scores`, and each variant's exact score or, where pruning left it unscored, its bound."""
        if not requests:
            return [], []
        if not self.settings.prune:
            scores = self.engine.score_many(requests)
            return scores, scores
        found = self.engine.score_bounds(requests)
        bounds = [[bound.value for bound in row] for row in found]
        scores = [[bound.value if bound.exact else float("-inf") for bound in row] for row in found]
        best = [max((value - cost for value, cost in zip(row, penalty) if value > float("-inf")), default=float("-inf"))
                for row, penalty in zip(scores, penalties)]
        pending = [[i for i, bound in enumerate(row) if not bound.exact] for row in found]
        # Branch and bound, every request at once: each round scores exactly the variant with the best
        # bound of each request (all that are left in the last round); a better exact score then drops
        # the variants whose bound no longer reaches it.
        for round_number in range(PRUNE_ROUNDS):
            picks: list[tuple[int, list[int]]] = []
            for index, (bound, penalty) in enumerate(zip(bounds, penalties)):
                alive = [i for i in pending[index] if bound[i] - penalty[i] >= best[index] - PRUNE_SLACK]
                alive.sort(key=lambda i: bound[i] - penalty[i], reverse=True)
                pending[index] = alive
                if alive:
                    chosen = alive if round_number == PRUNE_ROUNDS - 1 else alive[:1]
                    picks.append((index, chosen))
                    pending[index] = alive[len(chosen):]
            if not picks:
                break
            exact = self.engine.score_many([(requests[index][0], [requests[index][1][i] for i in chosen])
                                            for index, chosen in picks])
            for (index, chosen), values in zip(picks, exact):
                for i, value in zip(chosen, values):
                    scores[index][i] = value
                    best[index] = max(best[index], value - penalties[index][i])
        estimates = [[value if value > float("-inf") else bound for value, bound in zip(row, bound_row)]
                     for row, bound_row in zip(scores, bounds)]
        return scores, estimates

    def _redecide(self, pairs: list[tuple[str, str]], slots: list[list[Slot]], choices: list[list[str]],
                  seen: list[list[list[str]]], context: list[list[str]] | None = None) -> bool:
        """One round: each misspelling whose related misspellings (its neighbours, or with
        `sentence_misspellings` every other one of its sentence) are decided otherwise than when it was
        last decided (`seen[sentence][slot]`, the choices it was scored beside) is decided again (in place),
        with every other word's decision applied (or, given a `context`, the words it names); all such
        words of all sentences in one batch. Whether any decision changed."""
        context = context if context is not None else choices
        jobs, requests, penalties = [], [], []
        for index, ((source, corrected), sentence_slots) in enumerate(zip(pairs, slots)):
            for i, slot in enumerate(sentence_slots):
                if slot.as_plain_text:
                    continue
                related = [j for j in range(len(sentence_slots)) if j != i and not sentence_slots[j].as_plain_text
                           and (self.settings.sentence_misspellings or (abs(i - j) == 1 and _adjacent(
                               corrected, sentence_slots[min(i, j)], sentence_slots[max(i, j)])))]
                if all(context[index][j] == seen[index][i][j] for j in related):
                    continue
                others = [k for k in range(len(sentence_slots)) if k != i]
                text = _apply(corrected, [sentence_slots[k] for k in others], [context[index][k] for k in others])
                shift = sum(len(context[index][k]) - (sentence_slots[k].end - sentence_slots[k].start)
                            for k in others if k < i)
                moved = replace(slot, start=slot.start + shift, end=slot.end + shift)
                jobs.append((index, i))
                requests.append(self.slot_request(source, text, moved))
                penalties.append(slot.penalties(self.settings))
        for index, i in jobs:
            seen[index][i] = list(context[index])
        changed = False
        for (index, i), scores in zip(jobs, self.decisive_scores(requests, penalties)):
            chosen = slots[index][i].choose(scores, self.settings)
            changed |= chosen != choices[index][i]
            choices[index][i] = chosen
        return changed

    def _recheck_confusions(self, texts: list[str], slots: list[list[Slot]], choices: list[list[str]]) -> None:
        """Words are decided independently, so two changes can prop each other up ("tow hour" -> "two our":
        "our" won beside "tow"). Where a sentence changed several words, its confusion changes are checked
        again left to right, each with the changes before it that stood and the words after it as they
        were; a change that no longer beats the written word by the margin is undone (in place)."""
        base = [[slot.variants[0] for slot in sentence_slots] for sentence_slots in slots]
        changed = [[i for i, (slot, word) in enumerate(zip(sentence_slots, chosen)) if word != slot.variants[0]]
                   for sentence_slots, chosen in zip(slots, choices)]
        queues = [[i for i in positions if slots[index][i].as_plain_text] if len(positions) > 1 else []
                  for index, positions in enumerate(changed)]
        current = [list(chosen) for chosen in choices]
        # Words not yet checked again are taken as they were written.
        for index, queue in enumerate(queues):
            for i in queue:
                current[index][i] = base[index][i]
        while any(queues):
            checks, groups = [], []
            for index, queue in enumerate(queues):
                if not queue:
                    continue
                i = queue.pop(0)
                variants = [slots[index][i].written, choices[index][i]]
                groups.append([self._windowed(texts[index], slots[index], current[index], i, v) for v in variants])
                checks.append((index, i))
            for (index, i), scores in zip(checks, self.fluency_log_probs(groups)):
                keep = scores[1] - scores[0] > self.settings.confusion_margin
                current[index][i] = choices[index][i] if keep else slots[index][i].written
        for index, chosen in enumerate(current):
            choices[index][:] = chosen

    def _windowed(self, text: str, slots: list[Slot], words: list[str], index: int, variant: str) -> str:
        """`text` with `words` in its slots and `variant` in slot `index`, cut after the confusion window."""
        chosen = words[:index] + [variant] + words[index + 1 :]
        shift = sum(len(word) - (slot.end - slot.start) for slot, word in zip(slots[:index], chosen[:index]))
        changed = _apply(text, slots, chosen)
        end = slots[index].end + shift + len(variant) - (slots[index].end - slots[index].start)
        after, _ = context_after(changed, end, self.settings.confusion_context_words_after)
        return changed[:end] + after

    def fluency_request(self, texts: list[str]) -> tuple[str, list[str]]:
        """The request scoring each of `texts` as plain text after `fluency_prefix`."""
        return self.settings.fluency_prefix, [" " + text for text in texts]

    def fluency_log_probs(self, variants: list[list[str]]) -> list[list[float]]:
        """Log-probability of each text of each group as plain text after `fluency_prefix`."""
        requests = [self.fluency_request(group) for group in variants]
        return self.engine.score_many(requests) if requests else []

    def correction_request(self, source: str, completions: list[str], complete: bool = True) -> tuple[str, list[str]]:
        """The request scoring each of `completions` as the model's correction of `source`; with `complete`,
        followed by the end of turn (else they are the start of a correction)."""
        tokenizer = self.engine.tokenizer
        prompt = self.prompt_for(source)
        if complete:
            completions = [text + self._end_marker() if self._end_marker() is not None
                           else build_training_example(tokenizer, source, text).completion for text in completions]
        return prompt, completions

    def prompt_for(self, source: str) -> str:
        """The correction prompt for `source`, rendered once (generation and both scoring passes use it)."""
        prompt = self._prompts.get(source)
        if prompt is None:
            if len(self._prompts) >= 4096:
                self._prompts.clear()
            prompt = self._prompts[source] = build_prompt(self.engine.tokenizer, source)
        return prompt

    def _end_marker(self) -> str | None:
        """What the prompt format puts after a correction (`<|im_end|>` for ChatML), rendered once; None
        when it is not a plain suffix (then each completion is rendered whole)."""
        if self._end_of_turn is None:
            tokenizer = self.engine.tokenizer
            probe = build_training_example(tokenizer, "probe", "sample text").completion
            self._end_of_turn = probe[len("sample text"):] if probe.startswith("sample text") else ""
        return self._end_of_turn or None

    def batched_log_probs(self, requests: list[tuple[str, list[str]]],
                          complete: list[bool] | None = None) -> list[list[float]]:
        """Log-probability of writing each request's completions (and the end of turn) as the correction of its
        source, every request scored by the engine together.

        `complete[i]` False means request i's completions are the start of a correction only: they are
        scored without the end of turn.
        """
        prepared = [self.correction_request(source, completions, complete is None or complete[index])
                    for index, (source, completions) in enumerate(requests)]
        return self.engine.score_many(prepared) if prepared else []

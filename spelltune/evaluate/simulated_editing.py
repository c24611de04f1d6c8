"""A simulated writer at the editor: check, accept right suggestions, reject wrong ones, add their names.

Lines go the way `spelltune serve` takes them (`lines_for_the_corrector`, `correct_lines`,
`corrections_from_answers`, the personal dictionary's filter, `suggestion_dicts`), so what the writer is
shown is what the editor would show. Each decision is a record in FeedbackLog's format; with learning,
it is learned at once (serve/learning.py), so the next check already uses it.

Modes: `none` (only the personal dictionary), `immediate` (learning.py: rejected changes filtered,
accepted fixes passed to the corrector as spelling preferences), `adapt` (immediate, plus an `AdaptHook`
between sessions that may return a new corrector for this writer, e.g. one `spelltune adapt` trained).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from spelltune.correct.corrector import Correction, Corrector
from spelltune.errors import InputError
from spelltune.evaluate.simulated_writers import SimulatedWriter, WrittenSentence, judge_suggestion
from spelltune.serve.fix import InputLine, corrections_from_answers, lines_for_the_corrector
from spelltune.serve.learning import LearnedPreferences, LearningRules
from spelltune.serve.personal import PersonalDictionary
from spelltune.serve.suggestions import LinePlacement, suggestion_dicts

MODES = ("none", "immediate", "adapt")

# (writer, their feedback records so far, their current corrector) -> the corrector for their next session.
AdaptHook = Callable[[SimulatedWriter, list[dict], Corrector], Corrector]


@dataclass
class SessionResult:
    """What one writer saw in one session under one learning mode."""

    writer: str
    mode: str
    session: int  # 1-based
    sentences: int = 0
    errors: int = 0  # tokens the writer got wrong
    habit_errors: int = 0
    corrected: int = 0  # errors fixed by a suggestion the writer accepted
    corrected_habit: int = 0
    wrong: int = 0  # suggestions shown that were wrong (rejected)
    wrong_on_names: int = 0  # of those, the ones on the writer's own names
    missed: int = 0  # errors no right suggestion fixed

    def to_json_dict(self) -> dict:
        """A plain dict for the report."""
        return asdict(self)


class EditorSimulation:
    """One writer's sessions under one mode: their personal dictionary, what they taught, their corrector."""

    def __init__(self, writer: SimulatedWriter, corrector: Corrector, mode: str, data_dir: Path, *,
                 rules: LearningRules | None = None, adapt: AdaptHook | None = None, lines_per_check: int = 1):
        if mode not in MODES:
            raise InputError(f"unknown learning mode {mode!r}; known: {', '.join(MODES)}")
        if mode == "adapt" and adapt is None:
            raise InputError("the adapt mode needs an adapt hook (a way to train this writer's corrector)")
        if lines_per_check < 1:
            raise InputError("check at least one line at a time")
        self.writer, self.corrector, self.mode = writer, corrector, mode
        self.dictionary = PersonalDictionary(Path(data_dir) / f"{writer.name}-{mode}-dictionary.txt")
        self.learned = LearnedPreferences(rules)
        self.feedback: list[dict] = []
        self.adapt, self.lines_per_check = adapt, lines_per_check

    @property
    def learns(self) -> bool:
        """Whether decisions are learned at once (every mode but `none`)."""
        return self.mode != "none"

    def run_session(self, number: int, sentences: list[WrittenSentence]) -> SessionResult:
        """Write, check and decide every sentence of one session; then, in `adapt` mode, adapt."""
        result = SessionResult(self.writer.name, self.mode, number, sentences=len(sentences))
        for first in range(0, len(sentences), self.lines_per_check):
            group = sentences[first : first + self.lines_per_check]
            for sentence, correction in zip(group, self.check([s.written for s in group])):
                self._decide(sentence, correction, result)
        if self.mode == "adapt":
            self.corrector = self.adapt(self.writer, list(self.feedback), self.corrector)
        return result

    def check(self, texts: list[str]) -> list[Correction]:
        """Each line corrected the way the server corrects it for this writer."""
        lines = [InputLine(text, "") for text in texts]
        asked = lines_for_the_corrector(lines)
        questions = [lines[index].text for index in asked]
        if self.learns and getattr(self.corrector, "takes_preferences", False):
            preferences = self.learned.spelling_preferences()
            answers = self.corrector.correct_lines(questions, preferences=[preferences] * len(questions))
        else:
            answers = self.corrector.correct_lines(questions)
        corrections = [self.dictionary.filter(c) for c in corrections_from_answers(lines, asked, answers)]
        return [self.learned.filter(c) for c in corrections] if self.learns else corrections

    def _decide(self, sentence: WrittenSentence, correction: Correction, result: SessionResult) -> None:
        result.errors += len(sentence.errors)
        result.habit_errors += sum(error.kind == "habit" for error in sentence.errors)
        fixed: set[int] = set()
        suggestions, _ = suggestion_dicts([LinePlacement(0, correction)])
        for suggestion in suggestions:
            judgement = judge_suggestion(sentence, suggestion["offset"], suggestion["length"], suggestion["replacement"])
            decision = "accepted" if judgement.right else "rejected"
            if judgement.right:
                fixed.update(judgement.fixed)
            else:
                result.wrong += 1
                if judgement.name is not None:
                    result.wrong_on_names += 1
                    self.dictionary.add(judgement.name)
            self._record(sentence.written, suggestion, decision)
        by_index = {error.index: error for error in sentence.errors}
        result.corrected += len(fixed)
        result.corrected_habit += sum(by_index[i].kind == "habit" for i in fixed)
        result.missed += len(sentence.errors) - len(fixed)

    def _record(self, line: str, suggestion: dict, decision: str) -> None:
        """The decision as FeedbackLog writes it (times are made up, one minute apart, so runs repeat)."""
        moment = datetime.datetime(2025, 1, 1) + datetime.timedelta(minutes=len(self.feedback))
        record = {"time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "decision": decision, "sentence": line,
                  "suggestion": {key: suggestion[key] for key in
                                 ("offset", "length", "original", "replacement", "kind", "confidence")}}
        self.feedback.append(record)
        if self.learns:
            self.learned.learn(record)


def session_totals(results: list[SessionResult]) -> list[dict]:
    """Per mode and session, every writer's counts added up (sorted by mode, then session)."""
    totals: dict[tuple[str, int], dict] = {}
    counted = ("sentences", "errors", "habit_errors", "corrected", "corrected_habit", "wrong", "wrong_on_names", "missed")
    for result in results:
        row = totals.setdefault((result.mode, result.session),
                                {"mode": result.mode, "session": result.session, "writers": 0,
                                 **{key: 0 for key in counted}})
        row["writers"] += 1
        for key in counted:
            row[key] += getattr(result, key)
    order = {mode: index for index, mode in enumerate(MODES)}
    return [totals[key] for key in sorted(totals, key=lambda key: (order.get(key[0], 99), key[1]))]

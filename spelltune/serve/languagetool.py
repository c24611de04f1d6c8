"""LanguageTool's HTTP API (`/v2/check`, `/v2/languages`) on top of spelltune's corrections.

Clients that already speak to a LanguageTool server (browser extensions, editor plugins, ltex-ls)
send form fields `text` or `data` and `language`. `data` is LanguageTool's annotated text,
`{"annotation": [{"text": …}, {"markup": …, "interpretAs": …}]}`: markup is not checked, but every
offset in the answer counts it, as LanguageTool's do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from spelltune.errors import InputError

SOFTWARE = {
    "name": "spelltune (LanguageTool-compatible API)",
    "version": "6.6",
    "buildDate": "",
    "apiVersion": 1,
    "premium": False,
    "status": "",
}

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "English (New Zealand)", "code": "en", "longCode": "en-NZ"},
    {"name": "English (South African)", "code": "en", "longCode": "en-ZA"},
]

# kind -> (rule id, rule description, issueType, category id, category name, message, short message, type)
_RULES = {
    "spelling": ("SPELLTUNE_SPELLING", "Possible spelling mistake", "misspelling", "TYPOS", "Possible Typo",
                 "Possible spelling mistake found.", "Spelling mistake", "UnknownWord"),
    "real-word": ("SPELLTUNE_CONFUSED_WORD", "A real word that is probably the wrong one", "misspelling",
                  "CONFUSED_WORDS", "Commonly Confused Words", "This word may be the wrong one here.",
                  "Wrong word", "Other"),
    "apostrophe": ("SPELLTUNE_APOSTROPHE", "Missing or misplaced apostrophe", "typographical", "PUNCTUATION",
                   "Punctuation", "An apostrophe may be missing or misplaced.", "Apostrophe", "Other"),
    "split-merge": ("SPELLTUNE_SPLIT_MERGE", "Words written together or apart", "misspelling", "TYPOS",
                    "Possible Typo", "These words may be written together or apart by mistake.",
                    "Spacing", "Other"),
    "case": ("SPELLTUNE_CASE", "Capitalization", "typographical", "CASING", "Capitalization",
             "This word may need a capital or lowercase letter.", "Capitalization", "Other"),
}
CONTEXT_CHARS = 40


def language_entry(code: str | None) -> dict | None:
    """The language answered for `code` (`auto`, `en`, `en-US`, …); None when it is not English."""
    code = (code or "auto").strip()
    if code.lower() in ("auto", "en", ""):
        return {"name": "English (US)", "code": "en-US"}
    for entry in LANGUAGES:
        if entry["longCode"].lower() == code.lower():
            return {"name": entry["name"], "code": entry["longCode"]}
    return None


@dataclass
class PlainText:
    """The text to check and, per character, its offset in the document the client sent."""

    text: str
    origin: list[int]  # origin[i] = offset in the client's document of text[i]; -1 for interpretAs text
    document_length: int

    def to_document(self, start: int, end: int) -> tuple[int, int] | None:
        """(offset, length) in the client's document of text[start:end]; None if it touches markup."""
        if start >= end or any(self.origin[i] < 0 for i in range(start, end)):
            return None
        first, last = self.origin[start], self.origin[end - 1]
        return first, last + 1 - first


def plain_text_from_form(text: str | None, data: str | None) -> tuple[PlainText, str]:
    """(the text to check, the client's whole document) from the `text` or `data` form field."""
    if data is not None and data != "":
        return _from_annotation(data)
    if text is None:
        raise InputError("missing parameter: give 'text' or 'data'")
    return PlainText(text, list(range(len(text))), len(text)), text


def _from_annotation(data: str) -> tuple[PlainText, str]:
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as error:
        raise InputError(f"'data' is not valid JSON: {error.msg} at character {error.pos}") from None
    parts = parsed.get("annotation") if isinstance(parsed, dict) else None
    if not isinstance(parts, list):
        raise InputError("'data' must be a JSON object with an 'annotation' list")
    chars: list[str] = []
    origin: list[int] = []
    document: list[str] = []
    offset = 0
    for number, part in enumerate(parts):
        if not isinstance(part, dict):
            raise InputError(f"'data' annotation item {number} is not an object")
        if "text" in part:
            value = part["text"]
            if not isinstance(value, str):
                raise InputError(f"'data' annotation item {number}: 'text' must be a string")
            chars.extend(value)
            origin.extend(range(offset, offset + len(value)))
        elif "markup" in part:
            value = part["markup"]
            interpret = part.get("interpretAs", "")
            if not isinstance(value, str) or not isinstance(interpret, str):
                raise InputError(f"'data' annotation item {number}: 'markup' and 'interpretAs' must be strings")
            chars.extend(interpret)
            origin.extend([-1] * len(interpret))
        else:
            raise InputError(f"'data' annotation item {number} has neither 'text' nor 'markup'")
        document.append(value)
        offset += len(value)
    whole = "".join(document)
    return PlainText("".join(chars), origin, len(whole)), whole


def match_for(suggestion: dict, plain: PlainText, document: str) -> dict | None:
    """One LanguageTool match for a spelltune suggestion (offsets in the client's document)."""
    placed = plain.to_document(suggestion["offset"], suggestion["offset"] + suggestion["length"])
    if placed is None:
        return None
    offset, length = placed
    rule_id, description, issue_type, category_id, category_name, message, short, type_name = _RULES[suggestion["kind"]]
    context_start = max(0, offset - CONTEXT_CHARS)
    context_end = min(len(document), offset + length + CONTEXT_CHARS)
    return {
        "message": message,
        "shortMessage": short,
        "replacements": [{"value": suggestion["replacement"]}],
        "offset": offset,
        "length": length,
        "context": {
            "text": document[context_start:context_end],
            "offset": offset - context_start,
            "length": length,
        },
        "sentence": _sentence_around(document, offset, length),
        "type": {"typeName": type_name},
        "rule": {
            "id": rule_id,
            "description": description,
            "issueType": issue_type,
            "category": {"id": category_id, "name": category_name},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def _sentence_around(document: str, offset: int, length: int) -> str:
    """The sentence (or line) holding document[offset:offset+length], found by simple punctuation rules."""
    start, end = 0, len(document)
    for mark in ("\n", ". ", "! ", "? "):
        found = document.rfind(mark, 0, offset)
        if found >= 0:
            start = max(start, found + len(mark))
        found = document.find(mark, offset + length)
        if found >= 0:
            end = min(end, found + (0 if mark == "\n" else 1))
    return document[start:end].strip()


def check_response(matches: list[dict], language: dict) -> dict:
    """The whole /v2/check answer, in LanguageTool's shape."""
    return {
        "software": SOFTWARE,
        "warnings": {"incompleteResults": False},
        "language": {**language, "detectedLanguage": {**language, "confidence": 1.0}},
        "matches": matches,
    }

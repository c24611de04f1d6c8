"""Templates: both orders, five styles, six separators, used evenly; the structured style never says "spell"."""

from collections import Counter

from spelltune.spelling.build import train_rows
from spelltune.spelling.templates import ORDERS, SEPARATORS, STYLES, TEMPLATES, VARIANTS, render, spell_out
from spelltune.spelling.tokens import LetterToken


def test_every_order_and_style_has_a_template():
    assert {(t.order, t.style) for t in TEMPLATES} == {(o, s) for o in ORDERS for s in STYLES}
    assert len(VARIANTS) == len(TEMPLATES) * len(SEPARATORS)


def test_separators():
    assert [spell_out("berry", name) for name in ("spaces", "commas", "dashes", "dots", "arrows", "none")] == [
        "b e r r y", "b, e, r, r, y", "b-e-r-r-y", "b.e.r.r.y", "b -> e -> r -> r -> y", "berry"]


def test_structured_style_never_uses_the_word_spell():
    for variant in VARIANTS:
        if variant.template.style == "structured":
            prompt, completion = render(variant, "berry")
            assert "spell" not in (prompt + completion).lower()


def test_orders_put_the_spelling_where_they_say():
    word_first = next(v for v in VARIANTS if v.template.order == "word-first" and v.separator == "dashes")
    spelling_first = next(v for v in VARIANTS if v.template.order == "spelling-first" and v.separator == "dashes")
    prompt, completion = render(word_first, "berry")
    assert "b-e-r-r-y" in completion and "b-e-r-r-y" not in prompt
    prompt, completion = render(spelling_first, "berry")
    assert "b-e-r-r-y" in prompt and "b-e-r-r-y" not in completion


def test_no_template_is_over_represented(small_config, smollm2_tokenizer):
    tokens = [LetterToken(i, f"w{i}", "".join(chr(97 + (i * 7 + k) % 26) for k in range(2 + i % 5)), 2 + i % 5, False)
              for i in range(1000)]
    rows = train_rows(tokens, small_config, smollm2_tokenizer)
    counts = Counter(r["category"] for r in rows)
    assert len(counts) == len(VARIANTS)
    assert max(counts.values()) - min(counts.values()) <= 1
    by_style = Counter(r["category"].split("/")[1] for r in rows)
    by_separator = Counter(r["category"].split("/")[2] for r in rows)
    assert max(by_style.values()) - min(by_style.values()) <= len(VARIANTS) // len(STYLES)
    assert max(by_separator.values()) - min(by_separator.values()) <= len(VARIANTS) // len(SEPARATORS)

"""The web editor end to end in a real browser: Debian's Chromium driven by Playwright.

Playwright's own browser download does not work here; the test uses the system Chromium
(`apt-get install chromium`, which .ci/run does) and skips with one line when it is missing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

CHROMIUM = next((path for path in ("/usr/bin/chromium", shutil.which("chromium") or "",
                                   shutil.which("chromium-browser") or "") if path and Path(path).exists()), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium (apt-get install chromium)")

SENTENCE = "I beleive teh cat met Jhon alot today."


@pytest.fixture
def browser_page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        yield page
        browser.close()


def test_a_person_checks_accepts_rejects_and_adds_a_word(serve, scripted, browser_page, tmp_path):
    scripted.table["Jhon"] = "John"
    server = serve(scripted)
    page = browser_page
    expect = sync_api.expect
    page.goto(server.url + "/")
    expect(page.locator("#status")).to_have_text("Ready.")

    # Type with errors; the check runs by itself after a pause and underlines them.
    page.locator("#text").press_sequentially(SENTENCE, delay=5)
    marks = page.locator("#backdrop mark")
    expect(marks).to_have_count(4, timeout=20_000)
    assert page.locator("#backdrop mark.kind-split-merge").inner_text() == "alot"
    page.screenshot(path=str(tmp_path / "editor-suggestions.png"))

    # Click the underlined word: its card opens; accept it there.
    box = page.locator('#backdrop mark', has_text="beleive").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card = page.locator("#card")
    expect(card).to_be_visible()
    expect(card.locator(".original")).to_have_text("beleive")
    card.get_by_role("button", name="Accept").click()
    expect(page.locator("#text")).to_have_value("I believe teh cat met Jhon alot today.")

    # Keyboard only: the next suggestion is selected; Alt+A accepts it, Alt+Z undoes that.
    page.locator("#text").focus()
    page.keyboard.press("Alt+A")
    expect(page.locator("#text")).to_have_value("I believe the cat met Jhon alot today.")
    page.keyboard.press("Alt+Z")
    expect(page.locator("#text")).to_have_value("I believe teh cat met Jhon alot today.")
    page.locator("#suggestions li", has_text="teh").get_by_role("button", name="Accept").click()
    expect(page.locator("#text")).to_have_value("I believe the cat met Jhon alot today.")

    # Reject one, never flag another.
    page.locator("#suggestions li", has_text="alot").get_by_role("button", name="Reject").click()
    page.locator("#suggestions li", has_text="Jhon").get_by_role("button", name="Never flag").click()
    expect(page.locator("#dictionary li")).to_have_text(["JhonRemove"])
    expect(marks).to_have_count(0)

    # A fresh check keeps honouring both decisions.
    page.locator("#check").click()
    expect(page.locator("#status")).to_have_text("No suggestions: nothing to change.", timeout=20_000)
    assert page.locator("#text").input_value() == "I believe the cat met Jhon alot today."

    # No small print: every explanation and suggestion note reads at 16 px or more.
    sizes = page.eval_on_selector_all(".small, .tagline, .suggestions .meta",
                                      "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))")
    assert sizes and min(sizes) >= 16, sizes

    # Reading settings apply to the text.
    page.locator("#settings summary").click()
    page.select_option("#font-size", "30px")
    page.select_option("#line-height", "2.2")
    assert page.eval_on_selector("#text", "el => getComputedStyle(el).fontSize") == "30px"
    assert page.eval_on_selector("#text", "el => getComputedStyle(el).lineHeight") == "66px"
    page.screenshot(path=str(tmp_path / "editor-done.png"))

    assert (tmp_path / "dictionary.txt").read_text() == "Jhon\n"
    records = [json.loads(line) for line in (tmp_path / "feedback.jsonl").read_text().splitlines()]
    decisions = [(r["decision"], r["suggestion"]["original"], r["suggestion"]["replacement"]) for r in records]
    assert decisions == [("accepted", "beleive", "believe"), ("accepted", "teh", "the"),
                         ("accepted", "teh", "the"), ("rejected", "alot", "a lot")]
    first = records[0]
    assert first["sentence"] == SENTENCE
    assert first["sentence"][first["suggestion"]["offset"]:][:7] == "beleive"
    assert (tmp_path / "editor-suggestions.png").stat().st_size > 10_000


def _server_with_writer_ann(serve, scripted, page) -> str:
    """A server with accounts (the writer ann) open in `page`; ann's token."""
    from spelltune.serve.store import accounts, open_store

    store = open_store()  # the database the server below opens (in this test's data folder)
    try:
        _, token = accounts.add_writer(store, "ann")
    finally:
        store.close()
    page.goto(serve(scripted).url + "/")
    return token


def test_a_writer_signs_in_with_their_token_where_the_server_has_accounts(serve, scripted, browser_page, tmp_path):
    from spelltune.serve.store import accounts, open_store
    from spelltune.serve.store.dictionary import dictionary_words

    page = browser_page
    expect = sync_api.expect
    token = _server_with_writer_ann(serve, scripted, page)
    expect(page.locator("#sign-in")).to_be_visible()
    page.locator("#token-input").fill("st_000000000000_not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#sign-in-error")).to_contain_text("not known")
    expect(page.locator("#token-input")).to_be_focused()  # ready for the right token
    expect(page.locator("#text")).to_be_hidden()  # no editor that would only fail until signed in
    expect(page.locator("#check")).to_be_hidden()
    page.screenshot(path=str(tmp_path / "editor-sign-in.png"), full_page=True)

    page.locator("#token-input").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#account-name")).to_have_text("ann")
    expect(page.locator("#sign-in")).to_be_hidden()
    expect(page.locator("#text")).to_be_visible()
    page.locator("#text").fill("Meet Jhon")
    scripted.table["Jhon"] = "John"
    page.locator("#check").click()
    page.locator("#suggestions li", has_text="Jhon").get_by_role("button", name="Never flag").click()
    expect(page.locator("#dictionary li")).to_have_text(["JhonRemove"])

    page.reload()  # remembered in this browser
    expect(page.locator("#account-name")).to_have_text("ann")
    expect(page.locator("#dictionary li")).to_have_text(["JhonRemove"])
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#sign-in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('spelltune.token')") is None

    store = open_store()
    try:
        assert dictionary_words(store, accounts.find_writer(store, "ann").id) == ["Jhon"]
        assert dictionary_words(store, accounts.local_writer(store).id) == []
    finally:
        store.close()


def test_a_signed_in_writer_sees_what_was_learned_and_undoes_it_for_good(serve, scripted, browser_page, tmp_path):
    page = browser_page
    expect = sync_api.expect
    token = _server_with_writer_ann(serve, scripted, page)
    page.locator("#token-input").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#account-name")).to_have_text("ann")
    learned = page.locator("#learned li")
    expect(learned).to_have_text(["Nothing yet."])

    page.locator("#auto-check").uncheck()
    page.locator("#text").fill("I beleive it is alot")
    page.locator("#check").click()
    expect(page.locator("#suggestions li")).to_have_count(2, timeout=20_000)
    page.locator("#suggestions li", has_text="beleive").get_by_role("button", name="Accept").click()
    page.locator("#suggestions li", has_text="alot").get_by_role("button", name="Reject").click()
    expect(learned).to_have_count(2)  # shown as soon as the server has the decisions

    page.reload()
    expect(page.locator("#account-name")).to_have_text("ann")
    expect(learned).to_have_count(2)
    preferred = learned.filter(has_text="beleive")
    expect(preferred).to_contain_text("Your fix: offered first next time")
    expect(learned.filter(has_text="alot")).to_contain_text("Not offered again in “is alot”")
    page.locator("#learned").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "editor-learned.png"), full_page=True)

    # The rejection is forgotten: undone here, and still undone after a reload.
    learned.filter(has_text="alot").get_by_role("button", name="Undo").focus()
    page.keyboard.press("Enter")  # by keyboard: focus moves on to the next Undo, not to the page's start
    expect(learned).to_have_count(1)
    expect(learned.first.get_by_role("button", name="Undo")).to_be_focused()
    page.reload()
    expect(page.locator("#account-name")).to_have_text("ann")
    expect(learned).to_have_count(1)
    expect(learned.first).to_contain_text("beleive")
    # And the server offers the change again in that very place.
    page.locator("#text").fill("it is alot")
    page.locator("#check").click()
    expect(page.locator("#suggestions li", has_text="alot")).to_have_count(1, timeout=20_000)

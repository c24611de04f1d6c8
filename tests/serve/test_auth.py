"""Who may call what, on real databases: every route of the app has a rule in ROUTES (a new route without one
fails here), and every rule is tried with no token, a wrong one, a revoked one and another writer's."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.routing import APIRoute  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from starlette.routing import Mount, Route  # noqa: E402

from spelltune.serve.app import ServeSettings, create_app  # noqa: E402
from spelltune.serve.store import accounts  # noqa: E402
from spelltune.serve.store.dictionary import add_dictionary_word, dictionary_words  # noqa: E402
from spelltune.serve.store.feedback import add_feedback_event, feedback_events  # noqa: E402
from tests.serve.conftest import ScriptedCorrector  # noqa: E402

PUBLIC = "public"  # anyone, no token needed (sent credentials are still checked where a route reads them)
WRITER = "writer"  # `Authorization: Bearer <token>`; acts for that writer only
LANGUAGETOOL = "languagetool"  # LanguageTool's `username` + `apiKey`; acts for that writer only

# Every route of the app, (method, path as declared) -> its rule.
ROUTES = {
    ("GET", "/"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/v2/languages"): PUBLIC,
    ("GET", "/v1/session"): PUBLIC,
    ("POST", "/v1/correct"): WRITER,
    ("GET", "/v1/models"): WRITER,
    ("GET", "/v1/dictionary"): WRITER,
    ("POST", "/v1/dictionary"): WRITER,
    ("DELETE", "/v1/dictionary/{word}"): WRITER,
    ("POST", "/v1/feedback"): WRITER,
    ("GET", "/v1/feedback"): WRITER,
    ("DELETE", "/v1/feedback/{event_id}"): WRITER,
    ("GET", "/v1/learned"): WRITER,
    ("DELETE", "/v1/learned/{item_id:path}"): WRITER,
    ("GET", "/v1/export"): WRITER,
    ("DELETE", "/v1/data"): WRITER,
    ("POST", "/v2/check"): LANGUAGETOOL,
    ("GET", "/v2/check"): LANGUAGETOOL,
}
ANN_WORD = "Annsword"  # only in ann's dictionary: no other writer may see it or lose it
SUGGESTION = {"offset": 0, "length": 3, "original": "teh", "replacement": "the", "kind": "spelling"}


def app_routes(routes, prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every route and mount in `routes`, into included routers (FastAPI >= 0.120 keeps an
    included router as one entry holding the original router)."""
    found = set()
    for route in routes:
        if isinstance(route, Mount):
            found.add(("GET", prefix + route.path))
        elif isinstance(route, (APIRoute, Route)):
            found.update((method, prefix + route.path) for method in route.methods or () if method != "HEAD")
        elif hasattr(route, "original_router"):
            inner_prefix = getattr(getattr(route, "include_context", None), "prefix", "")
            found |= app_routes(route.original_router.routes, prefix + inner_prefix)
        else:
            raise AssertionError(f"a kind of route this test cannot read: {route!r}; teach app_routes about it")
    return found


@dataclass
class World:
    """An app on a store with writers ann and bob (active) and carol (revoked), and their tokens."""

    client: TestClient
    store: object
    tokens: dict[str, str]
    ann_id: int

    def seed_ann(self) -> int:
        """Give ann her word back and one more feedback event; returns the event's id."""
        add_dictionary_word(self.store, self.ann_id, ANN_WORD)
        return add_feedback_event(self.store, self.ann_id, "teh Annsword", SUGGESTION, "accepted").id


@pytest.fixture
def world(store, tmp_path):
    tokens = {name: accounts.add_writer(store, name)[1] for name in ("ann", "bob", "carol")}
    accounts.revoke_writer(store, "carol")
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl", rate_limit=0)
    app = create_app(ScriptedCorrector({"teh": "the", ANN_WORD: "Answer"}), settings, store=store)
    with TestClient(app) as client:
        yield World(client, store, tokens, accounts.find_writer(store, "ann").id)


def call(world: World, method: str, path: str, credentials: dict) -> object:
    """One request to the route (method, path) with `credentials`: {"bearer": t} or {"username", "apiKey"}."""
    event_id = world.seed_ann()
    url = path.replace("{word}", ANN_WORD).replace("{event_id}", str(event_id))
    url = url.replace("{item_id:path}", "preferred:teh")  # what the seeded feedback taught ann
    if path == "/static":
        url = "/static/editor.js"
    headers = {"Authorization": f"Bearer {credentials['bearer']}"} if "bearer" in credentials else {}
    if "raw_header" in credentials:
        headers = {"Authorization": credentials["raw_header"]}
    lt = {key: credentials[key] for key in ("username", "apiKey") if key in credentials}
    if (method, path) == ("POST", "/v2/check"):
        return world.client.post(url, data={"text": f"teh {ANN_WORD}", "language": "en", **lt}, headers=headers)
    if (method, path) == ("GET", "/v2/check"):
        return world.client.get(url, params={"text": f"teh {ANN_WORD}", "language": "en", **lt}, headers=headers)
    body = {
        ("POST", "/v1/correct"): {"text": f"teh {ANN_WORD}"},
        ("POST", "/v1/dictionary"): {"word": "bobsword"},
        ("POST", "/v1/feedback"): {"sentence": "teh", "suggestion": SUGGESTION, "decision": "rejected"},
    }.get((method, path))
    return world.client.request(method, url, json=body, headers=headers)


def test_every_route_has_an_auth_rule(world):
    declared = app_routes(world.client.app.routes)
    assert declared - ROUTES.keys() == set(), "routes without a rule in ROUTES: add one (and test it)"
    assert ROUTES.keys() - declared == set(), "rules for routes that are gone"


def _bad_credentials(world: World, rule: str) -> dict[str, dict]:
    if rule == LANGUAGETOOL:
        return {
            "none": {},
            "username only": {"username": "ann"},
            "wrong key": {"username": "ann", "apiKey": "st_000000000000_wrong"},
            "garbage key": {"username": "ann", "apiKey": "x"},
            "revoked": {"username": "carol", "apiKey": world.tokens["carol"]},
            "another writer's key": {"username": "ann", "apiKey": world.tokens["bob"]},
            "wrong bearer": {"bearer": "st_000000000000_wrong"},
        }
    return {
        "none": {},
        "wrong": {"bearer": "st_000000000000_wrong"},
        "garbage": {"bearer": "garbage"},
        "empty": {"bearer": ""},
        "not bearer": {"raw_header": f"Basic {world.tokens['ann']}"},
        "revoked": {"bearer": world.tokens["carol"]},
    }


@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_route_refuses_missing_wrong_and_revoked_credentials(world, route):
    method, path = route
    rule = ROUTES[route]
    if rule == PUBLIC:
        answer = call(world, method, path, {})
        assert answer.status_code == 200, answer.text
        return
    for label, credentials in _bad_credentials(world, rule).items():
        answer = call(world, method, path, credentials)
        assert answer.status_code == 401, (label, answer.status_code, answer.text)
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert "error" in answer.json()
        for token in world.tokens.values():
            assert token not in answer.text
    good = {"username": "ann", "apiKey": world.tokens["ann"]} if rule == LANGUAGETOOL else {"bearer": world.tokens["ann"]}
    answer = call(world, method, path, good)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("route", sorted(r for r, rule in ROUTES.items() if rule != PUBLIC),
                         ids=lambda r: f"{r[0]} {r[1]}")
def test_another_writers_token_never_reaches_anns_data(world, route):
    method, path = route
    world.seed_ann()
    ann_before = (dictionary_words(world.store, world.ann_id), len(feedback_events(world.store, world.ann_id)))
    credentials = ({"username": "bob", "apiKey": world.tokens["bob"]} if ROUTES[route] == LANGUAGETOOL
                   else {"bearer": world.tokens["bob"]})
    answer = call(world, method, path, credentials)
    if "{" in path:  # one of ann's resources, named in the URL: not bob's, so not there
        assert answer.status_code == 404, answer.text
    else:
        assert answer.status_code == 200, answer.text
    assert ANN_WORD not in answer.text or path in ("/v1/correct", "/v2/check", "/v1/dictionary/{word}")  # sent
    if path in ("/v1/correct", "/v2/check"):  # ann's dictionary word is no exception for bob
        assert "Answer" in answer.text
    ann_words, ann_events = dictionary_words(world.store, world.ann_id), feedback_events(world.store, world.ann_id)
    assert ann_words == ann_before[0] == [ANN_WORD] and len(ann_events) == ann_before[1] + 1  # +1: call's seed


def test_anns_own_dictionary_applies_to_her_checks_only(world):
    world.seed_ann()
    ann = {"Authorization": f"Bearer {world.tokens['ann']}"}
    bob = {"Authorization": f"Bearer {world.tokens['bob']}"}
    assert world.client.post("/v1/correct", json={"text": f"teh {ANN_WORD}"}, headers=ann).json()["text"] == f"the {ANN_WORD}"
    assert world.client.post("/v1/correct", json={"text": f"teh {ANN_WORD}"}, headers=bob).json()["text"] == "the Answer"
    lt = world.client.post("/v2/check", data={"text": f"teh {ANN_WORD}", "language": "en", "username": "ANN",
                                              "apiKey": world.tokens["ann"]}).json()
    assert [m["offset"] for m in lt["matches"]] == [0]


def test_tokens_never_reach_the_logs(world, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # SQLAlchemy sets its own loggers to WARNING
    for route, rule in ROUTES.items():
        for credentials in [*_bad_credentials(world, rule).values(), {"bearer": world.tokens["ann"]},
                            {"username": "ann", "apiKey": world.tokens["ann"]}]:
            call(world, *route, credentials)
    captured = capsys.readouterr()
    server_side = [record for record in caplog.records if not record.name.startswith("httpx")]  # not the test's client
    assert any(record.name.startswith("sqlalchemy.engine") for record in server_side)  # every SQL statement seen
    logged = "\n".join(record.getMessage() for record in server_side) + captured.out + captured.err
    for token in world.tokens.values():
        assert token not in logged and token.split("_", 2)[2] not in logged


def test_session_says_whether_to_sign_in_and_as_whom(world):
    assert world.client.get("/v1/session").json() == {"accounts": True, "writer": None}
    signed_in = world.client.get("/v1/session", headers={"Authorization": f"Bearer {world.tokens['ann']}"})
    assert signed_in.json() == {"accounts": True, "writer": "ann"}
    assert world.client.get("/v1/session", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_export_and_erase_act_on_the_callers_data_only(world):
    world.seed_ann()
    ann = {"Authorization": f"Bearer {world.tokens['ann']}"}
    bob = {"Authorization": f"Bearer {world.tokens['bob']}"}
    world.client.post("/v1/dictionary", json={"word": "bobsword"}, headers=bob)
    exported = world.client.get("/v1/export", headers=ann).json()
    assert exported["writer"]["name"] == "ann" and exported["dictionary"] == [ANN_WORD]
    assert [e["original"] for e in exported["feedback"]] == ["teh"]
    assert world.client.delete("/v1/data", headers=bob).json()["erased"]["dictionary"] == 1
    assert dictionary_words(world.store, world.ann_id) == [ANN_WORD]
    assert world.client.delete("/v1/data", headers=ann).json()["erased"] == {"dictionary": 1, "feedback": 1}
    assert world.client.get("/v1/export", headers=ann).json()["dictionary"] == []
    assert world.client.get("/v1/session", headers=ann).json()["writer"] == "ann"  # the account stays


def test_revoking_a_writer_locks_them_out_at_once(world):
    ann = {"Authorization": f"Bearer {world.tokens['ann']}"}
    assert world.client.get("/v1/dictionary", headers=ann).status_code == 200
    accounts.revoke_writer(world.store, "ann")
    assert world.client.get("/v1/dictionary", headers=ann).status_code == 401


def test_a_writer_past_their_limit_gets_429_with_retry_after_and_others_do_not(store, tmp_path):
    ann_token = accounts.add_writer(store, "ann")[1]
    bob_token = accounts.add_writer(store, "bob")[1]
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl",
                             rate_limit=6, rate_burst=2)
    with TestClient(create_app(ScriptedCorrector(), settings, store=store)) as client:
        ann = {"Authorization": f"Bearer {ann_token}"}
        assert [client.get("/v1/dictionary", headers=ann).status_code for _ in range(2)] == [200, 200]
        limited = client.post("/v1/correct", json={"text": "teh"}, headers=ann)
        assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 10
        assert "retry in" in limited.json()["error"]
        lt = client.post("/v2/check", data={"text": "teh", "username": "ann", "apiKey": ann_token})
        assert lt.status_code == 429
        assert client.get("/v1/dictionary", headers={"Authorization": f"Bearer {bob_token}"}).status_code == 200
        assert client.get("/healthz").status_code == 200  # open routes are not limited


def test_single_user_mode_needs_no_token_until_a_writer_is_added(store, tmp_path):
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl",
                             rate_limit=60, rate_burst=1)
    with TestClient(create_app(ScriptedCorrector(), settings, store=store)) as client:
        assert client.get("/v1/session").json() == {"accounts": False, "writer": "local"}
        assert all(client.get("/v1/dictionary").status_code == 200 for _ in range(5))  # no limit for one person
        assert client.post("/v1/dictionary", json={"word": "mine"}).status_code == 200
        assert (tmp_path / "d.txt").read_text() == "mine\n"  # the local writer's copy for `spelltune fix`
        assert client.post("/v2/check", data={"text": "teh"}).status_code == 200
        for foreign in ({"username": "", "apiKey": ""}, {"username": "me@example.org", "apiKey": "lt-premium-key"}):
            assert client.post("/v2/check", data={"text": "teh", **foreign}).status_code == 200
        assert client.post("/v2/check", data={"text": "teh", "apiKey": "st_000000000000_x"}).status_code == 401
        assert client.get("/v1/dictionary", headers={"Authorization": "Bearer wrong"}).status_code == 401
        token = accounts.add_writer(store, "ann")[1]
        assert client.get("/v1/dictionary").status_code == 401  # accounts on: no more anonymous calls
        mine = client.get("/v1/dictionary", headers={"Authorization": f"Bearer {token}"}).json()
        assert mine == {"words": [], "writer": "ann"}  # the local writer's words are not ann's


def test_off_loopback_every_call_needs_a_token_even_with_no_writers(store, tmp_path):
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl", loopback=False)
    with TestClient(create_app(ScriptedCorrector(), settings, store=store)) as client:
        assert client.get("/v1/session").json() == {"accounts": True, "writer": None}
        for method, path in ROUTES:
            if ROUTES[(method, path)] != PUBLIC and "{" not in path:
                assert client.request(method, path).status_code == 401, path


def test_two_replicas_on_one_database_agree_on_every_writer_and_word(store, database_url, tmp_path):
    from spelltune.serve.store import open_store

    token = accounts.add_writer(store, "ann")[1]
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl", loopback=False)
    other_store = open_store(database_url)  # the second replica's own connection pool
    try:
        with TestClient(create_app(ScriptedCorrector(), settings, store=store)) as first, \
                TestClient(create_app(ScriptedCorrector(), settings, store=other_store)) as second:
            ann = {"Authorization": f"Bearer {token}"}
            first.post("/v1/dictionary", json={"word": "teh"}, headers=ann)
            assert second.post("/v1/correct", json={"text": "teh"}, headers=ann).json()["text"] == "teh"
            second.delete("/v1/dictionary/teh", headers=ann)
            assert first.post("/v1/correct", json={"text": "teh"}, headers=ann).json()["text"] == "the"
            accounts.revoke_writer(other_store, "ann")
            assert first.get("/v1/dictionary", headers=ann).status_code == 401
    finally:
        other_store.close()

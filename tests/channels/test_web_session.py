"""The web chat's pure parts: session tokens, allowed origins, bodies, the rate window,
the history shown again. No server, no Rasa."""
from __future__ import annotations

import base64
import json
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from bot.channels import web_request
from bot.channels.web_cors import Origins, origin_of
from bot.channels.web_history import history
from bot.channels.web_rate import SlidingWindow
from bot.channels.web_session import SALT, Sessions, conversation_id
from bot.settings import Settings

KEY = "k" * 40


def signed_days_ago(key: str, value: str, days: float) -> str:
    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - days * 86400)

    return URLSafeTimedSerializer(key, salt=SALT, signer=Earlier).dumps(value)


def test_a_new_session_has_144_random_bits_and_its_token_gives_it_back():
    sessions = Sessions(KEY, 30)
    session_id, token = sessions.mint()
    assert len(base64.urlsafe_b64decode(session_id + "==")) * 8 >= 128
    assert sessions.verify(token) == session_id
    assert conversation_id(session_id) == f"web:{session_id}"
    assert session_id not in {sessions.mint()[0] for _ in range(100)}
    again, fresh = sessions.mint(session_id)
    assert again == session_id and sessions.verify(fresh) == session_id


def test_tokens_we_did_not_sign_in_time_are_no_session():
    sessions = Sessions(KEY, 30)
    session_id, token = sessions.mint()
    other_key = Sessions("o" * 40, 30).mint(session_id)[1]
    other_salt = URLSafeTimedSerializer(KEY, salt="upload-link").dumps(session_id)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (None, "", 42, {"id": session_id}, session_id, f"rest:{session_id}", "abc",
                tampered, other_key, other_salt, token + "x" * 300,
                signed_days_ago(KEY, session_id, 31),
                sessions.mint("short")[1],  # an id we never mint, even signed
                URLSafeTimedSerializer(KEY, salt=SALT).dumps({"id": session_id})):
        assert sessions.verify(bad) is None, bad
    assert sessions.verify(signed_days_ago(KEY, session_id, 29)) == session_id
    assert Sessions(KEY, 1).verify(signed_days_ago(KEY, session_id, 2)) is None


def test_the_secret_is_the_web_one_or_the_portals():
    ours = Settings(portal_secret_key="p" * 40, web_session_secret="w" * 40)
    portal = Settings(portal_secret_key="p" * 40)
    token = Sessions.from_settings(ours).mint()[1]
    assert Sessions.from_settings(portal).verify(token) is None
    assert Sessions("w" * 40, 30).verify(token) is not None
    with pytest.raises(ValueError):
        Sessions("short", 30)


def test_settings_read_the_web_variables():
    s = Settings.from_env({"WEB_ALLOWED_ORIGINS": "https://a.org, https://b.org:8443",
                           "WEB_SESSION_DAYS": "7", "WEB_SESSION_SECRET": "x" * 32})
    assert s.web_allowed_origins == ("https://a.org", "https://b.org:8443")
    assert s.web_session_days == 7.0 and s.web_session_secret == "x" * 32
    assert "x" * 32 not in repr(s)
    default = Settings.from_env({})
    assert default.web_allowed_origins == () and default.web_session_days == 30.0


@pytest.mark.parametrize("url, origin", [
    ("https://Example.org:443/chat?x=1", "https://example.org"),
    ("http://localhost:8000", "http://localhost:8000"),
    ("http://127.0.0.1:80/", "http://127.0.0.1"),
    ("ftp://example.org", None), ("null", None), ("https://", None),
    ("https://example.org:port", None),
])
def test_origin_of(url, origin):
    assert origin_of(url) == origin


def test_only_listed_origins_get_cors_headers_and_no_origin_passes():
    origins = Origins.from_settings(Settings(public_base_url="https://intake.example.org",
                                             web_allowed_origins=("https://www.example.org",)))
    assert not origins.refused("https://www.example.org")
    assert origins.refused("https://intake.example.org")  # the list replaces the default
    for bad in ("https://evil.example", "https://www.example.org.evil.example", "null",
                "http://www.example.org", "https://www.example.org:8443", ""):
        assert origins.refused(bad) and origins.headers(bad, True) == {}
    assert not origins.refused(None) and origins.headers(None, False) == {}
    assert origins.headers("https://www.example.org", False) == {
        "Access-Control-Allow-Origin": "https://www.example.org", "Vary": "Origin"}
    preflight = origins.headers("https://www.example.org", True)
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Headers"] == "Content-Type"
    assert not any("credentials" in h.lower() for h in preflight)
    default = Origins.from_settings(Settings(public_base_url="http://localhost:8000"))
    assert not default.refused("http://localhost:8000") and default.refused("http://localhost")


def test_bodies():
    parse = web_request.parse_message
    assert parse(b'{"token": "t", "text": "hi"}') == web_request.WebMessage("t", "hi", False)
    assert parse(b'{"token": "t", "payload": "/affirm"}').from_button
    assert web_request.parse_session(b"") is None
    assert web_request.parse_session(b"{}") is None
    assert web_request.parse_session(b'{"token": "t"}') == "t"
    cases = {
        json.dumps({"token": "t", "text": "x" * 9000}).encode(): 413,
        b"not json": 400, b"[1]": 400, b'{"token": "t"}': 400, b'{"text": 5}': 400,
        b'{"token": "t", "text": "   "}': 400, b'{"token": "t", "text": "a", "payload": "b"}': 400,
        json.dumps({"text": "x" * 2001}).encode(): 400,
        json.dumps({"text": "a\x00b"}).encode(): 400, b'{"text": "\\ud800"}': 400,
        b"\xff\xfe": 400,
    }
    for body, status in cases.items():
        with pytest.raises(web_request.BadRequest) as refused:
            parse(body)
        assert refused.value.status == status, body[:40]
    assert parse(json.dumps({"text": "x" * 2000}).encode()).text == "x" * 2000


def test_the_window_allows_ten_then_refuses_until_it_slides():
    now = [0.0]
    window = SlidingWindow(10, 10.0, clock=lambda: now[0])
    assert all(window.allow("a") for _ in range(10))
    assert not window.allow("a") and window.allow("b")
    now[0] = 9.9
    assert not window.allow("a")
    now[0] = 10.01
    assert window.allow("a")


def test_history_shows_texts_in_order_and_pressed_buttons_by_title():
    buttons = [{"title": "Check if my child qualifies", "payload": "/check_eligibility"},
               {"title": "1. Yes", "payload": "yes"}]
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "text": "hi", "metadata": {"channel": "web"}},
        {"event": "bot", "text": "Hello", "data": {"buttons": buttons}},
        {"event": "user", "text": "/check_eligibility", "metadata": {"button": True}},
        {"event": "bot", "text": "Is it spine?", "data": {}},
        {"event": "user", "text": "yes", "metadata": {"channel": "web"}},  # typed, not pressed
        {"event": "user", "text": "yes", "metadata": {"button": True}},
        {"event": "slot", "name": "x", "value": 1},
    ]
    assert history(events) == [
        {"from": "user", "text": "hi"},
        {"from": "bot", "text": "Hello", "buttons": buttons},
        {"from": "user", "text": "Check if my child qualifies"},
        {"from": "bot", "text": "Is it spine?", "buttons": []},
        {"from": "user", "text": "yes"},
        {"from": "user", "text": "1. Yes"},
    ]


def test_one_conversation_runs_one_turn_at_a_time_in_arrival_order_and_forgets_its_lock():
    import asyncio

    from bot.channels.conversation_turns import ConversationLocks

    locks, log = ConversationLocks(), []

    async def turn(key: str, n: int, pause: float) -> None:
        async with locks.hold(key):
            log.append(("start", key, n))
            await asyncio.sleep(pause)
            log.append(("end", key, n))

    async def main() -> None:
        await asyncio.gather(turn("a", 1, 0.05), turn("a", 2, 0.0), turn("b", 1, 0.01))

    asyncio.run(main())
    a = [entry for entry in log if entry[1] == "a"]
    assert a == [("start", "a", 1), ("end", "a", 1), ("start", "a", 2), ("end", "a", 2)]
    assert log.index(("end", "b", 1)) < log.index(("end", "a", 1))  # b did not wait for a
    assert len(locks) == 0

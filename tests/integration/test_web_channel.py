"""The website chat channel (/webhooks/web/) against the running servers: real HTTP,
real Rasa with the trained model, the tracker read back through Rasa's API."""
from __future__ import annotations

import base64
import concurrent.futures
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Optional

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from bot.channels.web_session import SALT, Sessions
from bot.scrub import CARD_MARKER

OTHER_PAGE = "https://evil.example"


def call(servers, path: str, body=None, *, origin: Optional[str] = None, method: str = "POST",
         raw: Optional[bytes] = None, headers: Optional[dict] = None):
    """(status, headers, JSON or text) of a request to /webhooks/web/<path>."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    sent = {"Content-Type": "application/json", **(headers or {})}
    if origin:
        sent["Origin"] = origin
    req = urllib.request.Request(f"{servers.rasa_url}/webhooks/web/{path}", data=data,
                                 method=method, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, got, raw_answer = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        status, got, raw_answer = err.code, err.headers, err.read()
    try:
        answer = json.loads(raw_answer) if raw_answer else None
    except ValueError:
        answer = raw_answer.decode(errors="replace")
    return status, got, answer


def page(servers) -> str:
    """The default allowed origin: PUBLIC_BASE_URL's."""
    return servers.env["PUBLIC_BASE_URL"]


def keys(servers) -> Sessions:
    return Sessions(servers.env["PORTAL_SECRET_KEY"], 30)


def new_session(servers) -> str:
    status, _, answer = call(servers, "session", {}, origin=page(servers))
    assert status == 200 and answer["resumed"] is False and answer["messages"] == []
    return answer["token"]


def say(servers, token: str, text: str = None, payload: str = None) -> list[dict]:
    body = {"token": token, **({"text": text} if payload is None else {"payload": payload})}
    status, _, answer = call(servers, "message", body, origin=page(servers))
    assert status == 200, answer
    return answer["messages"]


def user_texts(servers, session_id: str) -> list[str]:
    events = servers.tracker(f"web:{session_id}")["events"]
    return [e.get("text") for e in events if e.get("event") == "user"]


def test_a_session_is_minted_its_token_alone_resumes_it_with_the_history_in_order(servers):
    token = new_session(servers)
    session_id = keys(servers).verify(token)
    assert session_id and len(base64.urlsafe_b64decode(session_id + "==")) * 8 >= 128
    first = say(servers, token, "hi")
    assert first and all(m["from"] == "bot" and m["text"] for m in first)
    second = say(servers, token, "how much does it cost?")
    assert any("$500" in m["text"] for m in second)
    assert user_texts(servers, session_id) == ["hi", "how much does it cost?"]
    events = servers.tracker(f"web:{session_id}")["events"]
    assert {e.get("input_channel") for e in events if e.get("event") == "user"} == {"web"}

    status, headers, again = call(servers, "session", {"token": token}, origin=page(servers))
    assert status == 200 and again["resumed"] is True
    assert again["messages"] == [{"from": "user", "text": "hi"}, *first,
                                 {"from": "user", "text": "how much does it cost?"}, *second]
    assert keys(servers).verify(again["token"]) == session_id  # a fresh token, same chat
    assert say(servers, again["token"], "thanks")
    assert user_texts(servers, session_id)[-1] == "thanks"


def test_tokens_we_did_not_sign_start_a_new_conversation_and_are_401_on_message(servers):
    token = new_session(servers)
    victim = keys(servers).verify(token)
    say(servers, token, "my daughter has scoliosis")

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - 31 * 86400)

    key = servers.env["PORTAL_SECRET_KEY"]
    bad_tokens = {
        "forged": token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
        "another key": Sessions("x" * 40, 30).mint(victim)[1],
        "expired": URLSafeTimedSerializer(key, salt=SALT, signer=Earlier).dumps(victim),
        "raw id": victim, "rest-style id": f"rest:{victim}", "conversation id": f"web:{victim}",
        "lone surrogate": "\ud800", "surrogate in a token": token[:-1] + "\udfff",
    }
    for name, bad in bad_tokens.items():
        status, _, answer = call(servers, "session", {"token": bad}, origin=page(servers))
        assert status == 200 and answer["resumed"] is False and answer["messages"] == [], name
        assert keys(servers).verify(answer["token"]) != victim, name
        status, _, answer = call(servers, "message", {"token": bad, "text": "hi"},
                                 origin=page(servers))
        assert (status, answer) == (401, {"error": "session"}), name
    assert user_texts(servers, victim) == ["my daughter has scoliosis"]


def test_two_sessions_never_see_each_others_history(servers):
    a, b = new_session(servers), new_session(servers)
    say(servers, a, "my son has hip dysplasia")
    say(servers, b, "how much does it cost?")
    seen_a = call(servers, "session", {"token": a}, origin=page(servers))[2]["messages"]
    seen_b = call(servers, "session", {"token": b}, origin=page(servers))[2]["messages"]
    said = lambda lines: [m["text"] for m in lines if m["from"] == "user"]  # noqa: E731
    assert said(seen_a) == ["my son has hip dysplasia"]
    assert said(seen_b) == ["how much does it cost?"]


def test_a_card_number_never_reaches_the_tracker_nor_the_history(servers):
    token = new_session(servers)
    session_id = keys(servers).verify(token)
    replies = say(servers, token, "can I pay now? card 4111 1111 1111 1111 exp 04/28")
    assert replies
    tracker = json.dumps(servers.tracker(f"web:{session_id}"))
    assert "4111" not in tracker and CARD_MARKER in tracker
    history = call(servers, "session", {"token": token}, origin=page(servers))[2]["messages"]
    assert "4111" not in json.dumps(history)
    # The parent's own bubble is replaced by the words as kept.
    answer = call(servers, "message", {"token": token, "text": "ssn 123-45-6789 ok?"},
                  origin=page(servers))[2]
    assert "123-45" not in answer["you"] and "ok?" in answer["you"]


def test_one_address_cannot_mint_conversations_without_end(servers):
    limit = int(servers.env["WEB_NEW_SESSIONS_PER_ADDRESS"])
    script = {"X-Forwarded-For": "203.0.113.7"}  # believed: 127.0.0.1 is a trusted proxy
    statuses = [call(servers, "session", {}, origin=page(servers), headers=script)[0]
                for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[limit] == 429
    assert call(servers, "session", {}, origin=page(servers),
                headers={"X-Forwarded-For": "203.0.113.8"})[0] == 200  # another family
    token = new_session(servers)  # resuming is never limited
    assert call(servers, "session", {"token": token}, origin=page(servers),
                headers=script)[0] == 200


def test_cors_allows_the_listed_page_refuses_others_and_lets_curl_through(servers):
    token = new_session(servers)
    session_id = keys(servers).verify(token)
    status, headers, _ = call(servers, "message", {"token": token, "text": "hi"},
                              origin=page(servers))
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == page(servers)
    assert "Origin" in headers.get("Vary", "")
    assert "Access-Control-Allow-Credentials" not in headers
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"

    for path in ("session", "message"):
        status, headers, answer = call(servers, path, {"token": token, "text": "hi again"},
                                       origin=OTHER_PAGE)
        assert (status, answer) == (403, {"error": "origin"})
        assert not any(h.lower().startswith("access-control-") for h in headers)
    assert user_texts(servers, session_id) == ["hi"]  # the refused message made no turn

    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    status, headers, _ = call(servers, "message", method="OPTIONS", origin=page(servers),
                              headers=preflight)
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == page(servers)
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in headers
    status, headers, _ = call(servers, "session", method="OPTIONS", origin=OTHER_PAGE,
                              headers=preflight)
    assert status == 403
    assert not any(h.lower().startswith("access-control-") for h in headers)

    status, headers, answer = call(servers, "message", {"token": token, "text": "thanks"})
    assert status == 200 and answer["messages"]  # no Origin: curl, a server
    assert not any(h.lower().startswith("access-control-") for h in headers)


def test_bodies_over_8kb_are_413_bad_ones_400(servers):
    token = new_session(servers)
    status, _, answer = call(servers, "message", {"token": token, "text": "x" * 9000},
                             origin=page(servers))
    assert status == 413 and "error" in answer
    for raw in (b"not json", b"[]", json.dumps({"token": token}).encode(),
                json.dumps({"token": token, "text": "x" * 2001}).encode(),
                json.dumps({"token": token, "text": "a\u0000b"}).encode()):
        status, _, answer = call(servers, "message", raw=raw, origin=page(servers))
        assert status == 400 and answer["error"], raw[:30]
    status, _, answer = call(servers, "session", raw=b"{bad", origin=page(servers))
    assert status == 400 and answer["error"]
    assert user_texts(servers, keys(servers).verify(token)) == []


def test_more_than_ten_messages_in_ten_seconds_get_429_and_the_rest_run_in_order(servers):
    token = new_session(servers)
    texts = [f"question {n}" for n in range(13)]

    def post(text):
        return call(servers, "message", {"token": token, "text": text}, origin=page(servers))

    with concurrent.futures.ThreadPoolExecutor(len(texts)) as pool:
        results = list(pool.map(post, texts))
    statuses = [status for status, _, _ in results]
    assert statuses.count(429) == 3 and statuses.count(200) == 10, statuses
    assert all(answer == {"error": "too many messages, wait a few seconds"}
               for status, _, answer in results if status == 429)
    stored = user_texts(servers, keys(servers).verify(token))
    assert len(stored) == 10 and set(stored) <= set(texts)


def test_button_payloads_and_numbered_choices_answer_like_rest(servers):
    token = new_session(servers)
    first = say(servers, token, "hi")
    button = next(b for m in first for b in m["buttons"] if b["payload"] == "/check_eligibility")
    rest_sender = f"web-compare-{uuid.uuid4().hex}"
    rest_first = servers.say(rest_sender, "hi")
    assert [m["text"] for m in first] == [m.get("text") for m in rest_first]
    assert [m["buttons"] for m in first] == [m.get("buttons", []) for m in rest_first]

    web = say(servers, token, payload=button["payload"])
    rest = servers.say(rest_sender, button["payload"])
    assert web and [m["text"] for m in web] == [m.get("text") for m in rest]
    numbered = [b for m in web for b in m["buttons"] if b["title"].startswith("1.")]
    assert numbered, web  # the condition question offers numbered choices
    web_one = say(servers, token, "1")
    assert [m["text"] for m in web_one] == [m.get("text") for m in servers.say(rest_sender, "1")]

    history = call(servers, "session", {"token": token}, origin=page(servers))[2]["messages"]
    assert [m["text"] for m in history if m["from"] == "user"] == ["hi", button["title"], "1"]


@pytest.mark.parametrize("path", ["session", "message"])
def test_get_is_not_a_route(servers, path):
    status, _, _ = call(servers, path, method="GET", origin=page(servers))
    assert status == 405

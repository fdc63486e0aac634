"""The action server (actions/server.py) in this process: the secret, the shape check,
short errors that never echo the tracker, and a call that must not stop the server."""
from __future__ import annotations

import json

import pytest

from actions import server as action_server
from bot.settings import Settings
from tests.sanic_server import InProcessServer

TOKEN = "t0ken-for-tests"
OK = {"X-Action-Token": TOKEN}


def call(text: str = "hi") -> bytes:
    return json.dumps({"next_action": "action_turn", "domain": {}, "tracker": {
        "sender_id": "rest:test-parent", "slots": {}, "events": [],
        "latest_message": {"text": text, "intent": {"name": "greet", "confidence": 1.0}}}}).encode()


@pytest.fixture()
def actions(database_url):
    server = InProcessServer(action_server.create_app(Settings(action_server_token=TOKEN)))
    yield server
    server.stop()


def test_the_secret_is_required_and_health_is_open(actions):
    assert actions.request("POST", "/webhook", call())[0] == 401
    assert actions.request("POST", "/webhook", call(), {"X-Action-Token": TOKEN + "x"})[0] == 401
    assert actions.request("GET", "/health") == (200, {"status": "ok"})
    status, answer = actions.request("POST", "/webhook", call(), OK)
    assert status == 200 and "help families" in answer["responses"][0]["text"]


@pytest.mark.parametrize("body, reason", [
    (b"{", "not JSON"), (b"[]", "JSON object"), (b'{"tracker": {}}', "next_action"),
    (b'{"next_action": "action_turn", "tracker": []}', "sender_id"),
    (b'{"next_action": "action_turn", "tracker": {"sender_id": "a", "slots": [1]}}',
     "tracker.slots"),
])
def test_a_malformed_call_is_a_400(actions, body, reason):
    status, answer = actions.request("POST", "/webhook", body, OK)
    assert status == 400 and reason in answer["error"]


def test_a_failing_action_answers_a_short_500_without_the_tracker(actions, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("could not read 'Emma Lopez 4/2/2012'")

    monkeypatch.setattr("actions.turn.turn", broken)
    status, answer = actions.request("POST", "/webhook", call("Emma Lopez 4/2/2012"), OK)
    assert (status, answer) == (500, {"error": "the action failed"})


def test_a_call_that_exits_does_not_stop_the_server(actions, monkeypatch):
    def exits(*args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr("actions.turn.turn", exits)
    assert actions.request("POST", "/webhook", call(), OK) == (500, {"error": "the action failed"})
    assert actions.thread.is_alive()
    assert actions.request("GET", "/health") == (200, {"status": "ok"})


def test_it_refuses_to_start_without_a_secret():
    with pytest.raises(SystemExit, match="ACTION_SERVER_TOKEN is not set"):
        action_server.create_app(Settings(action_server_token=None))

"""The REST channel over HTTP with a stand-in for Rasa's agent: the setting that turns it
off, refusals before the agent runs, and a failing message that must not stop the server."""
from __future__ import annotations

import json

import pytest

from bot import settings as settings_module
from bot.channels.rest import FilteredRestInput

WEBHOOK = "/webhooks/rest/webhook"


@pytest.fixture()
def rest(serve_blueprint, monkeypatch):
    """start(enabled, agent) -> server; agent is called with every UserMessage."""
    def start(enabled: bool = True, agent=None):
        monkeypatch.setenv("REST_CHANNEL_ENABLED", "true" if enabled else "false")
        settings_module.get_settings.cache_clear()
        calls = []

        async def on_new_message(message):
            calls.append(message)
            if agent:
                await agent(message)
            else:
                await message.output_channel.send_text_message(message.sender_id, "ok")

        server = serve_blueprint(FilteredRestInput().blueprint(on_new_message), "/webhooks/rest")
        server.calls = calls
        return server

    yield start
    settings_module.get_settings.cache_clear()


def post(server, body: dict) -> tuple[int, object]:
    return server.request("POST", WEBHOOK, json.dumps(body).encode())


def test_switched_off_every_route_answers_404_and_nothing_runs(rest):
    server = rest(enabled=False)
    assert post(server, {"sender": "parent-1", "message": "hi"})[0] == 404
    assert server.request("GET", "/webhooks/rest/")[0] == 404
    assert server.calls == []


def test_switched_on_the_message_reaches_the_agent_namespaced_and_filtered(rest):
    server = rest()
    status, body = post(server, {"sender": "parent-1", "message": "my card 4111 1111 1111 1111",
                                 "input_channel": "sms", "metadata": {"channel": "sms", "x": 1}})
    assert status == 200 and body == [{"recipient_id": "rest:parent-1", "text": "ok"}]
    [message] = server.calls
    assert message.sender_id == "rest:parent-1"
    assert message.input_channel == "rest"  # the client cannot pick another channel
    assert message.metadata == {"channel": "rest", "x": 1}
    assert "4111" not in message.text


@pytest.mark.parametrize("body, reason", [
    ({"message": "hi"}, "sender is missing"),
    ({"sender": "", "message": "hi"}, "sender is missing"),
    ({"sender": 1, "message": "hi"}, "sender must be a string"),
    ({"sender": "x" * 65, "message": "hi"}, "longer than 64"),
    ({"sender": "a b", "message": "hi"}, "sender may use only"),
    ({"sender": "../../x", "message": "hi"}, "sender may use only"),
    ({"sender": "\ud800", "message": "hi"}, "not allowed"),
])
def test_a_bad_sender_is_refused_before_rasa(rest, body, reason):
    server = rest()
    status, answer = post(server, body)
    assert status == 400 and reason in answer["error"]
    assert server.calls == []


def test_a_message_that_stops_the_process_is_contained(rest):
    """Rasa's SQL tracker store calls sys.exit on a ValueError: one request must not stop
    the server (with Rasa's own REST route this thread's loop died)."""
    async def exits(message):
        raise SystemExit(1)

    server = rest(agent=exits)
    status, answer = post(server, {"sender": "parent-1", "message": "hi"})
    assert status == 500 and answer == {"error": "the message could not be handled"}
    assert server.thread.is_alive()
    assert server.request("GET", "/webhooks/rest/") == (200, {"status": "ok"})

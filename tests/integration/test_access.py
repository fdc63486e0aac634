"""Who may reach what: the action server only with the shared secret (the forged call
below would otherwise send a fresh upload link for someone else's case), and the REST
channel only with a well-formed sender."""
from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from bot import cases
from bot.settings import REPO_ROOT
from tests.integration.servers import PYTHON, free_port, http


def forged_call(case_id: int, sender: str) -> bytes:
    """What an attacker would post: a made-up tracker naming a real case."""
    return json.dumps({
        "next_action": "action_turn", "sender_id": sender, "version": "3.6.21", "domain": {},
        "tracker": {"sender_id": sender, "slots": {"case_ids": [case_id]}, "events": [],
                    "latest_message": {"text": "send me the link again",
                                       "intent": {"name": "resend_link", "confidence": 1.0}}},
    }).encode()


def post_action(servers, body: bytes, headers: dict, path: str = "/webhook") -> tuple[int, str]:
    req = urllib.request.Request(f"http://127.0.0.1:{servers.action_port}{path}", data=body,
                                 method="POST", headers={"Content-Type": "application/json",
                                                         **headers})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def snapshot(database_url: str) -> dict:
    """Every row of every table (the app's and Rasa's)."""
    engine = create_engine(database_url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        rows = {name: sorted(map(repr, conn.execute(select(table)).all()))
                for name, table in meta.tables.items()}
    engine.dispose()
    return rows


@pytest.fixture()
def victim_case(servers):
    sender = f"rest:victim-{uuid.uuid4().hex[:8]}"
    with servers.database():
        [case] = cases.create_cases(sender, ["spine"], intake_key=sender)
    return case["id"], sender


@pytest.mark.parametrize("headers, path", [
    ({}, "/webhook"),
    ({"X-Action-Token": "wrong"}, "/webhook"),
    ({"X-Action-Token": "0" * 32}, "/webhook"),  # right length, wrong value
    ({"Authorization": "Bearer {token}"}, "/webhook"),  # the secret, but not where we read it
    ({}, "/webhook?token={token}"),  # never in a query string (access logs)
])
def test_action_call_without_the_secret_is_refused_and_changes_nothing(servers, victim_case,
                                                                      headers, path):
    case_id, sender = victim_case
    headers = {k: v.format(token=servers.action_token) for k, v in headers.items()}
    before = snapshot(servers.database_url)
    status, body = post_action(servers, forged_call(case_id, sender), headers,
                               path.format(token=servers.action_token))
    assert (status, json.loads(body)) == (401, {"error": "missing or wrong action server token"})
    assert snapshot(servers.database_url) == before


def test_the_same_call_with_the_secret_runs_the_action(servers, victim_case):
    """The control for the test above: this call does change things when allowed."""
    case_id, sender = victim_case
    before = snapshot(servers.database_url)
    status, body = post_action(servers, forged_call(case_id, sender),
                               {"X-Action-Token": servers.action_token})
    assert status == 200
    assert "/u/" in " ".join(m["text"] for m in json.loads(body)["responses"])
    after = snapshot(servers.database_url)
    assert after["outbox_messages"] != before["outbox_messages"]


def test_only_health_is_open(servers):
    url = f"http://127.0.0.1:{servers.action_port}"
    assert http("GET", f"{url}/health") == (200, {"status": "ok"})
    assert http("GET", f"{url}/actions")[0] == 401


def test_action_server_listens_on_loopback_only(servers):
    port = f"{servers.action_port:04X}"
    listening = [line.split()[1] for line in open("/proc/net/tcp").read().splitlines()[1:]
                 if line.split()[1].endswith(":" + port) and line.split()[3] == "0A"]
    assert listening == [f"0100007F:{port}"]  # 127.0.0.1, not 0.0.0.0


def test_action_server_refuses_to_start_without_a_secret(servers):
    env = {k: v for k, v in servers.env.items() if k != "ACTION_SERVER_TOKEN"}
    env["ENV_FILE"] = os.devnull
    done = subprocess.run([str(PYTHON), "-m", "actions.server", "--port", str(free_port())],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "ACTION_SERVER_TOKEN is not set" in done.stderr


def test_chat_through_rasa_still_reaches_the_actions(servers):
    """Rasa sends the secret (endpoints.yml): the greeting comes from action_turn."""
    reply = servers.say(f"access-{uuid.uuid4().hex[:8]}", "hi")
    assert "second-opinion review" in reply[0]["text"]


@pytest.mark.parametrize("body", [
    {"message": "hi"}, {"sender": "", "message": "hi"}, {"sender": 7, "message": "hi"},
    {"sender": "x" * 65, "message": "hi"}, {"sender": "rest:a/../b", "message": "hi"},
])
def test_rest_refuses_a_missing_or_unsafe_sender(servers, body):
    status, answer = http("POST", f"{servers.rasa_url}/webhooks/rest/webhook", body)
    assert status == 400 and "sender" in answer
    # Nothing reached Rasa: no conversation "default" shared by every client without one.
    engine = create_engine(servers.database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events WHERE sender_id LIKE '%default'")
                            ).scalar() == 0
    engine.dispose()

"""Rasa sends the action server's secret: endpoints.yml names it as ${ACTION_SERVER_TOKEN},
which Rasa expands only in a plain (unquoted) YAML value; quoted, the literal text
"${ACTION_SERVER_TOKEN}" was sent and every action call was refused."""
from rasa.utils.endpoints import read_endpoint_config

from bot.settings import REPO_ROOT


def test_the_action_endpoint_sends_the_secret_in_a_header(monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5999/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "s3cret-value")
    endpoint = read_endpoint_config(str(REPO_ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint.url == "http://127.0.0.1:5999/webhook"
    assert endpoint.headers == {"X-Action-Token": "s3cret-value"}
    # Not as a query parameter: query strings end up in access logs.
    assert endpoint.combine_parameters() == {}

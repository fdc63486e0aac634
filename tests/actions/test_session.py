from actions.session import ActionSessionStart
from tests.actions.helpers import run, slot_events, tracker


def test_session_start_keeps_answers_and_loads_contacts(monkeypatch):
    monkeypatch.setenv("COORDINATOR_PHONE", "404-555-0199")
    from bot.settings import get_settings
    get_settings.cache_clear()
    try:
        events, _ = run(ActionSessionStart(), tracker("", slots={"home_zip": "31201", "requested_slot": "child_age"}))
    finally:
        get_settings.cache_clear()
    assert events[0]["event"] == "session_started"
    slots = slot_events(events)
    assert slots["home_zip"] == "31201"
    assert slots["coordinator_phone"] == "404-555-0199"
    assert "requested_slot" not in slots

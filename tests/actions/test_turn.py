"""action_turn is a thin adapter: it hands the message and slots to bot.dialogue and
sends back its replies and changed slots."""
from actions.turn import ActionTurn
from tests.actions.helpers import run_messages, slot_events, tracker


def test_a_whole_story_is_read_and_only_the_missing_fact_asked(database_url):
    t = tracker("my daughter is 12 and has scoliosis, how much does it cost?", "ask_cost")
    events, messages = run_messages(ActionTurn(), t)
    text = "\n".join(messages)
    assert "$500" in text
    assert "ZIP" in text and "How old" not in text
    slots = slot_events(events)
    assert slots["child_age"] == 12
    assert slots["condition"]["programs"] == ["spine"]
    assert slots["dialogue"]["asked"] == "home_zip"


def test_unchanged_slots_are_not_set_again(database_url):
    events, messages = run_messages(ActionTurn(), tracker("thanks!", "thank"))
    assert messages and "welcome" in messages[0].lower()
    assert "condition" not in slot_events(events)


def test_buttons_are_passed_on(database_url):
    dispatcher_events, messages = run_messages(ActionTurn(), tracker("hi", "greet"))
    assert "help families" in messages[0]

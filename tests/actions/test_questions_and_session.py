from actions.questions import ActionAnswerQuestion
from actions.session import ActionSessionStart
from tests.actions.helpers import run, slot_events, tracker


def test_question_answered_then_screening_offered():
    events, responses = run(ActionAnswerQuestion(), tracker("how much is it", "ask_cost"))
    assert responses == ["utter_cost", "utter_offer_screening"]
    assert slot_events(events) == {"offer": "screening"}


def test_two_questions_two_answers_no_offer_after_screening():
    t = tracker("how long does it take and who reviews it", "ask_timeline",
                slots={"screening_route": "document_review"})
    events, responses = run(ActionAnswerQuestion(), t)
    assert responses == ["utter_timeline", "utter_reviewers"]
    assert events == []


def test_no_offer_in_the_middle_of_a_form():
    _, responses = run(ActionAnswerQuestion(), tracker("is it covered by insurance", "ask_insurance",
                                                       active_loop="screening_form"))
    assert responses == ["utter_insurance"]


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

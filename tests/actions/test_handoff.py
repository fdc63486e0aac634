from sqlalchemy import select

from actions.handoff import ActionCallbackSaved, ActionHumanHandoff, ValidateCallbackForm
from bot.db import CallbackRequest, session_scope
from tests.actions.helpers import run, slot_events, tracker


def test_handoff_records_a_request_and_the_number(database_url):
    _, responses = run(ActionHumanHandoff(), tracker("real person pls", "request_human"))
    assert responses == ["utter_handoff"]
    events, _ = run(ValidateCallbackForm(), tracker("call me at (478) 555-0199", "inform",
                                                    {"requested_slot": "callback_phone"}))
    phone = slot_events(events)["callback_phone"]
    assert phone == "+14785550199"
    _, responses = run(ActionCallbackSaved(), tracker("", slots={"callback_phone": phone}))
    assert responses == ["utter_callback_saved"]
    with session_scope() as session:
        row = session.execute(select(CallbackRequest)).scalar_one()
        assert (row.phone, row.channel, row.status) == ("+14785550199", "rest", "open")


def test_no_thanks_ends_the_form_without_a_number():
    events, _ = run(ValidateCallbackForm(), tracker("no thanks", "deny", {"requested_slot": "callback_phone"}))
    slots = slot_events(events)
    assert slots["callback_phone"] == "declined" and slots["requested_slot"] is None


def test_unreadable_number_is_re_asked():
    events, responses = run(ValidateCallbackForm(), tracker("tomorrow morning", "inform",
                                                            {"requested_slot": "callback_phone"}))
    assert responses == ["utter_callback_phone_unclear"]
    assert slot_events(events)["callback_phone"] is None


def test_a_question_while_waiting_for_the_number_is_answered():
    _, responses = run(ValidateCallbackForm(), tracker("how much is it", "ask_cost",
                                                       {"requested_slot": "callback_phone"}))
    assert responses == ["utter_cost"]


def test_unfinished_screening_is_offered_again(database_url):
    events, responses = run(ActionCallbackSaved(), tracker("", slots={"callback_phone": "declined",
                                                                      "condition": {"kind": "program"}}))
    assert responses == ["utter_callback_declined", "utter_offer_resume_screening"]
    assert slot_events(events)["offer"] == "screening"

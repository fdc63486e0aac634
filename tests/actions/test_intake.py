"""The questionnaire in the chat: start, answers, commands, pause, finish with a link."""
from __future__ import annotations

from actions.intake import (ActionAskIntakeComplete, ActionIntakeFinished, ActionResendLink,
                            ActionStartIntake, ValidateIntakeForm)
from bot import cases
from bot.notifier import outbox
from tests.actions.helpers import run, run_messages, slot_events, tracker

SENDER = "rest:intake-parent"


def start(programs=("spine",)):
    t = tracker("yes", "affirm", {"eligible_programs": list(programs), "home_zip": "31201",
                                  "child_birth_date": "2013-04-02"}, sender=SENDER)
    events, responses = run(ActionStartIntake(), t)
    return slot_events(events), responses


def answer(slots, text, intent="inform"):
    t = tracker(text, intent, {**slots, "requested_slot": "intake_complete"},
                active_loop="intake_form", sender=SENDER)
    events, messages = run_messages(ValidateIntakeForm(), t)
    return {**slots, **slot_events(events)}, messages


def test_start_creates_the_case_and_prefills_screening_answers(database_url):
    slots, responses = start()
    assert responses == ["utter_intake_intro"]
    [case] = [cases.case_summary(i) for i in slots["case_ids"]]
    assert case["status"] == "intake_started" and case["program"] == "spine"
    assert slots["intake_state"]["answers"]["home_zip"] == "31201"
    # The first question is not the ZIP or the birth date we already know.
    _, asked = run_messages(ActionAskIntakeComplete(), tracker("", slots=slots))
    assert len(asked) == 1 and "ZIP" not in asked[0] and "birth" not in asked[0].lower()


def test_two_programs_two_linked_cases(database_url):
    slots, _ = start(("spine", "hip"))
    spine, hip = (cases.case_summary(i) for i in slots["case_ids"])
    assert {spine["program"], hip["program"]} == {"spine", "hip"}
    assert spine["linked_case_id"] == hip["id"]


def test_answers_reach_the_case_and_back_works(database_url):
    slots, _ = start()
    slots, _ = answer(slots, "Emma")
    first = slots["intake_state"]["answers"]
    assert "Emma" in first.values()
    slots, _ = answer(slots, "back")
    assert "Emma" not in slots["intake_state"]["answers"].values()
    detail = cases.case_detail(slots["case_ids"][0])
    assert "Emma" not in detail["answers"].values()


def test_pause_keeps_the_form_open_and_silent_then_resumes(database_url):
    slots, _ = start()
    slots, _ = answer(slots, "Emma")
    slots, said = answer(slots, "later", intent="stop")
    assert slots["intake_state"]["paused"] and slots["intake_asked"] is True
    assert "requested_slot" not in slots or slots["requested_slot"] is not None
    assert len(said) == 1  # the pause message, no question after it
    slots, said = answer(slots, "ok im back")
    assert "pick up" in said[0] and not slots["intake_state"].get("paused")
    assert slots["intake_state"]["answers"]["child_first_name"] == "Emma"


def test_a_person_request_is_left_to_the_rules(database_url):
    slots, _ = start()
    t = tracker("can i talk to someone", "request_human", {**slots, "requested_slot": "intake_complete"},
                active_loop="intake_form", sender=SENDER)
    events, responses = run(ValidateIntakeForm(), t)
    assert events == [] and responses == []


def test_resend_link_without_a_case():
    _, responses = run(ActionResendLink(), tracker("send the link again", "resend_link"))
    assert responses == ["utter_no_case_yet"]


def test_finishing_sends_the_link_to_the_outbox(database_url):
    slots, _ = start()
    slots = {**slots, "intake_complete": True}
    events, responses = run(ActionIntakeFinished(), tracker("yes", "affirm", slots, sender=SENDER))
    assert responses == ["utter_upload_link"]
    case = cases.case_summary(slots["case_ids"][0])
    assert case["status"] == "awaiting_documents"
    sent = outbox(case_id=case["id"])
    assert sent and "/u/" in sent[0]["body"]


def test_choosing_the_web_form_sends_the_link_and_keeps_the_answers(database_url):
    slots, _ = start()
    slots, _ = answer(slots, "Emma")
    slots, _ = answer(slots, "can i finish this on the website")
    assert slots["requested_slot"] is None
    events, responses = run(ActionIntakeFinished(), tracker("", slots=slots, sender=SENDER))
    assert responses == ["utter_web_form_link"]
    case_id = slots["case_ids"][0]
    assert cases.case_summary(case_id)["status"] == "intake_started"
    assert cases.case_detail(case_id)["answers"]["child_first_name"] == "Emma"
    assert any("/u/" in m["body"] for m in outbox(case_id=case_id))


def test_resend_link_signs_a_fresh_link_and_voids_the_old_one(database_url):
    from bot.portal.links import LinkError, check_link
    from bot.settings import get_settings

    slots, _ = start()
    run(ActionIntakeFinished(), tracker("", slots={**slots, "intake_complete": True}, sender=SENDER))
    first = outbox(case_id=slots["case_ids"][0])[-1]["body"].split("/u/")[1].split()[0]
    _, responses = run(ActionResendLink(), tracker("send the link again", "resend_link", slots,
                                                   sender=SENDER))
    assert responses == ["utter_link_again"]
    bodies = [m["body"] for m in outbox(case_id=slots["case_ids"][0])]
    second = bodies[0].split("/u/")[1].split()[0] if bodies[0] != bodies[-1] else bodies[-1]
    assert first != second
    try:
        check_link(first, get_settings())
        raise AssertionError("the old link still works")
    except LinkError:
        pass

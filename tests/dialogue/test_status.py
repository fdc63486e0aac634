"""Found by a parent tester: the chat knows what was done on the web page (the case's
checklist), says that nothing is charged here, when and how the fee call comes, and
that it is an automated helper while the hospital's doctors do the review."""
from __future__ import annotations

import pytest

from bot import cases, checklist
from bot.dialogue import status
from tests.dialogue.test_turn_records import Chat, eligible_in_intake
from tests.readability import grade

NOT_SURE = "I'm not sure about that one"


def _on_the_web_page(case_id: int, *kinds: str) -> None:
    """What the upload page does: the fee agreement signed, files uploaded."""
    for kind in kinds:
        if kind == checklist.FINANCIAL_CONSENT:
            cases.record_consent(case_id, "Dana Parent", "v1", "0" * 64, signed_text="...")
        elif kind == checklist.QUESTIONNAIRE:
            cases.mark_received(case_id, kind)
        else:
            cases.add_document(case_id, kind, f"{kind}.pdf", f"stored-{kind}",
                               "application/pdf", 1000, "a" * 64)


@pytest.fixture()
def chat(database_url):
    chat = Chat("rest:status-test")
    eligible_in_intake(chat)
    return chat


def _reference(case_id: int) -> str:
    return cases.case_summary(case_id)["reference"]


def test_what_is_left_is_read_from_the_case(chat):
    [case_id] = chat.slots["case_ids"]
    _on_the_web_page(case_id, checklist.QUESTIONNAIRE, checklist.FINANCIAL_CONSENT)
    for message in ("i already signed it!! what else is left", "whats still missing on my request?"):
        reply = chat.say(message)
        assert NOT_SURE not in reply
        assert _reference(case_id) in reply
        assert "We have:\n- Health questions.\n- Fee agreement.\nStill needed:" in reply
        assert ("Still needed:\n- Referral from your child's doctor.\n- Medical records.\n"
                "- Images (X-ray, MRI, CT or ultrasound).") in reply
        assert "first name" in reply  # and the questionnaire goes on


def test_did_you_get_my_xrays_is_answered_from_the_documents(chat):
    [case_id] = chat.slots["case_ids"]
    before = chat.say("did you get my xrays?")
    assert before.startswith("Not yet") and NOT_SURE not in before
    _on_the_web_page(case_id, checklist.IMAGING)
    after = chat.say("did you get my xrays?")
    assert after.startswith("Yes, we have that.")
    assert "We have:\n- Images (X-ray, MRI, CT or ultrasound)." in after


def test_everything_received_says_what_comes_next(chat):
    [case_id] = chat.slots["case_ids"]
    _on_the_web_page(case_id, *checklist.KINDS)
    reply = chat.say("is anything else missing?")
    assert "Still needed" not in reply
    assert "We have everything we need" in reply and "7 to 10 days" in reply


def test_each_case_of_a_child_with_two_reviews_has_its_status(database_url):
    chat = Chat("rest:status-two")
    chat.say("my daughter is 13 and has scoliosis and hip dysplasia, we live in 31201")
    chat.say("yes")
    spine, hip = chat.slots["case_ids"]
    _on_the_web_page(spine, checklist.IMAGING)
    reply = chat.say("what else is left?")
    assert _reference(spine) in reply and _reference(hip) in reply
    assert reply.startswith(f"Here is where your request {_reference(spine)} stands.")
    assert "Not yet" in chat.say("did you get the x-rays?")  # not for both requests


def test_no_case_yet_gives_the_steps(database_url):
    reply = Chat("rest:status-none").say("what else is left?")
    assert NOT_SURE not in reply
    assert "I don't see a request from this chat yet" in reply
    assert "fee agreement" in reply and "referral" in reply


def test_the_status_message_is_short_and_plain(chat):
    """Nothing received: the longest status, one label each."""
    [case_id] = chat.slots["case_ids"]
    [reply] = [r for r in status.answer(status.CASE_STATUS, [case_id], "what is left")
               if r.name == "utter_status_intro"]
    assert len(reply.text) <= 320 and grade(reply.text) <= 8


@pytest.mark.parametrize("message,expected", [
    ("did my card go through?", "Nothing is charged in this chat"),
    ("was I charged?", "Nothing is charged in this chat"),
    ("when will the coordinator call me about the 500", "call you to take the fee by phone"),
    ("can the coordinator call after 6?", "you can ask if another time could work"),
    ("is this a real doctor or AI?", "automated helper, not a doctor"),
])
def test_payment_calls_and_who_answers(chat, message, expected):
    reply = chat.say(message)
    assert expected in reply and NOT_SURE not in reply
    assert "8 a.m. to 5 p.m." in reply or "Program leader" in reply or "fee by phone" in reply
    assert "first name" in reply  # the question we were at comes again
    assert "child_first_name" not in chat.slots["intake_state"].get("answers", {})


def test_the_chat_and_the_page_share_one_list_of_labels():
    from bot.portal import views

    assert views.KIND_LABELS is checklist.LABELS


def test_the_way_to_a_new_link_it_names_works(chat):
    reply = chat.say("what else is left?")
    assert "type: send me the link" in reply
    assert "secure link" in chat.say("send me the link")


def test_a_locked_page_is_not_sent_to_the_link(chat, database_url):
    from bot.portal import gate
    from bot.settings import get_settings

    [case_id] = chat.slots["case_ids"]
    settings = get_settings()
    for _ in range(settings.dob_max_tries):
        gate.record_try(case_id, False, settings.dob_max_tries, database_url)
    reply = chat.say("whats still missing on my request?")
    assert "Still needed:" in reply and "locked" in reply
    assert "send me the link" not in reply and settings.coordinator_phone in reply

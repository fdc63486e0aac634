"""A second review asked for once the cases exist: no case is invented in chat; the
coordinator gets a call-back request and a flag on the case, and the form goes on."""
from __future__ import annotations

from sqlalchemy import select

from bot.db import CallbackRequest, Case, session_scope
from bot.programs import fee_values
from tests.dialogue.test_turn_records import Chat


def test_hip_review_asked_mid_questionnaire_goes_to_the_coordinator(database_url):
    chat = Chat("rest:second-review")
    assert "spine review" in chat.say("my son is 9 with scoliosis, we live in 31201")
    assert "first name" in chat.say("yes")
    reply = chat.say("can he have the hip review too?")
    fees = fee_values()
    assert "coordinator" in reply and fees["hip_fee"] in reply and fees["both_fee"] in reply
    assert reply.rstrip().endswith("We use it to match your child's records.")  # the form goes on
    with session_scope() as s:
        [case] = s.execute(select(Case)).scalars().all()  # still one case: none invented
        assert "second_review_requested" in case.flags
        [callback] = s.execute(select(CallbackRequest)).scalars().all()
        assert "hip" in callback.reason and callback.status == "open"
    assert "last name" in chat.say("Sam")


def test_family_history_answer_in_the_form_is_not_a_review_request(database_url):
    chat = Chat("rest:second-review-history")
    chat.say("my son is 9 with scoliosis, we live in 31201")
    chat.say("yes")
    chat.say("can we do both reviews")
    with session_scope() as s:
        assert len(s.execute(select(CallbackRequest)).scalars().all()) == 1
    chat.say("yes, his dad had hip dysplasia too")  # an answer, never a second request
    with session_scope() as s:
        assert len(s.execute(select(CallbackRequest)).scalars().all()) == 1

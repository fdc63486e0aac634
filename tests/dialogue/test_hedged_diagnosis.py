"""A parent who has a diagnosis but words it loosely is not turned away.

"they called it hip dysplasia" is a doctor's name for it; a weak hedge ("scoliosis I
think") gets one question, "Has a doctor told you...?" (never naming the condition
over SMS); strong signs (no doctor seen, looks crooked, a school screening) still go
to the see-a-doctor-first path; "a problem with her hip" counts as the menu's "Hip
problem" when a doctor is in the message or we asked; "I want to see if my grandson
can do it" starts the screening."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.db import Screening, session_scope
from bot.dialogue.turn import turn
from bot.diagnosis_words import doctor_answer, doubt_about
from bot.sms.menus import render
from bot.understanding import understand

TODAY = dt.date(2026, 11, 30)
QUESTION = "Has a doctor told you"


class Chat:
    def __init__(self, cid: str = "rest:hedge-test"):
        self.cid, self.slots, self.replies = cid, {}, []

    def say(self, text: str) -> str:
        result = turn(dict(self.slots), text, self.cid, None, 0.0, TODAY)
        self.slots.update(result.slots)
        self.replies = result.replies
        return "\n".join(r.text for r in result.replies)


def condition(text: str, expecting: str | None = None) -> dict:
    return understand(text, today=TODAY, expecting=expecting).condition or {}


@pytest.mark.parametrize("text", [
    "Her hip like I said. Hip dysplasia I think they called it", "hip dysplasia is what they called it",
    "they said she has scoliosis", "the doctor said it's kyphosis i think", "we were told it's perthes",
    "I think the ortho called it spondylolisthesis", "he said it's scoliosis",
])
def test_a_name_a_doctor_gave_is_a_diagnosis(text):
    assert condition(text, "condition")["kind"] == "program"


@pytest.mark.parametrize("text", [
    "scoliosis i think", "maybe scoliosis", "probably hip dysplasia", "pretty sure its scoliosis",
    "scoliosis, not sure of the name", "hip dysplasia or something", "i think there is a problem with his hip",
    "i think my daughter has scoliosis, one shoulder is higher. she's 12",
    "they said it was probably scoliosis",
])
def test_a_weak_hedge_is_a_question(text):
    value = condition(text, "condition")
    assert value["kind"] == "undiagnosed" and value["unconfirmed"] and value["hedged_programs"]


@pytest.mark.parametrize("text", [
    "her back looks crooked, i think its scoliosis", "we haven't seen a doctor, maybe scoliosis",
    "school screening said maybe scoliosis", "the school nurse said she probably has scoliosis",
    "i think its scoliosis tho, we havent seen a doctor yet", "I suspect scoliosis",
    "pediatrician thinks she might have scoliosis and ordered an x-ray for next week",
    "maybe scoliosis, she's not been diagnosed yet",
])
def test_strong_signs_of_no_doctor_are_no_diagnosis(text):
    value = condition(text)
    assert value["kind"] == "undiagnosed" and "unconfirmed" not in value
    assert doubt_about(text) == "strong"


@pytest.mark.parametrize("text,answer", [
    ("yes", True), ("1", True), ("yes they did", True), ("the ortho did", True), ("our doctor did", True),
    ("the doctor said so", True), ("they told us its scoliosis", True),
    ("no", False), ("2", False), ("not yet", False), ("no one has", False), ("idk", False),
    ("we havent seen anyone yet", False), ("not sure", False),
    ("sorta", None), ("how much will it be once she is diagnosed", None), ("do we need a diagnosis first", None),
])
def test_the_answer_to_has_a_doctor_told_you(text, answer):
    assert understand(text, today=TODAY).doctor_said is answer
    assert doctor_answer(text) is answer or answer is None


@pytest.mark.parametrize("text,program", [
    ("My granddaughter has a problem with her hip the doctor said", "hip"),
    ("the doctor says there's something wrong with his back", "spine"),
    ("the x-ray showed an issue with her spine", "spine"),
    ("they found a problem with their hips", "hip"),
])
def test_a_loose_problem_named_by_a_doctor(text, program):
    assert condition(text)["programs"] == [program]


@pytest.mark.parametrize("text,program", [
    ("a problem with her hip", "hip"), ("an issue with his spine", "spine"),
    ("something wrong with her back bone", "spine"), ("trouble with the hip", "hip"),
])
def test_a_loose_problem_answering_the_condition_question(text, program):
    assert condition(text, "condition")["programs"] == [program]


@pytest.mark.parametrize("text", ["something wrong with her back", "she has a problem with her hip",
                                  "my son has hip pain, something wrong with his hip"])
def test_a_loose_problem_alone_is_no_diagnosis(text):
    assert condition(text).get("kind") != "program"


@pytest.mark.parametrize("text", [
    "I dont understand the numbers. I want to see if my grandson can do it",
    "I want to see if she can get the review", "we'd like to check if our son qualifies",
    "I wanna see if my granddaughter could do this",
])
def test_a_request_to_check_the_child_starts_the_screening(text):
    assert understand(text, today=TODAY).intent == "check_eligibility"


@pytest.mark.parametrize("text", ["I dont understand the numbers", "what do the numbers mean",
                                  "im confused by the options", "what number do i press"])
def test_a_parent_lost_in_the_numbers(text):
    assert understand(text, today=TODAY).numbers_confused


def test_sms_asks_without_naming_the_condition_with_numbered_choices(database_url):
    chat = Chat("sms:+14785550143")
    reply = chat.say("my son has hip dysplasia maybe? hes 5, we live in 31201")
    assert QUESTION in reply and "dysplasia" not in reply.lower() and "31201" not in reply
    [question] = [r for r in chat.replies if QUESTION in r.text]
    text, menu = render(question.text, question.buttons)
    assert text.endswith("Reply 1 for Yes, 2 for Not yet.")
    assert "hip review" in chat.say(menu[0]["payload"])


def test_web_names_the_condition_and_no_is_saved_as_see_a_doctor_first(database_url):
    chat = Chat()
    reply = chat.say("i think my daughter has scoliosis, one shoulder is higher. she's 12 and we live in Macon")
    assert "Has a doctor told you your child has scoliosis?" in reply and "diagnosis first" not in reply
    assert [b["title"] for b in chat.replies[-1].buttons] == ["1. Yes", "2. Not yet"]
    assert "diagnosis first" in chat.say("2")
    with session_scope() as s:
        [row] = s.execute(select(Screening)).scalars().all()
        assert row.route == "see_pediatrician_first" and not row.eligible


def test_yes_is_saved_as_the_review(database_url):
    chat = Chat()
    chat.say("I want to see if my son can get the review")
    assert QUESTION in chat.say("scoliosis i think")
    assert "How old" in chat.say("yes")
    assert "spine review" in chat.say("12, we live in 31201")
    with session_scope() as s:
        [row] = s.execute(select(Screening)).scalars().all()
        assert row.route == "document_review" and row.eligible


def test_the_question_is_asked_once(database_url):
    chat = Chat()
    assert QUESTION in chat.say("probably hip dysplasia, she is 3, we live in 31794")
    assert "hip review" in chat.say("yes")
    assert QUESTION not in chat.say("she has hip dysplasia i think")


def test_a_hint_on_the_numbers_comes_with_the_question(database_url):
    chat = Chat("sms:+19125550148")
    reply = chat.say("I dont understand the numbers. I want to see if my grandson can do it")
    assert "own words" in reply and "What spine or hip problem" in reply
    assert "not sure about that one" not in reply
    assert "own words" not in chat.say("what does it cost")


def test_after_not_yet_the_same_hedge_is_not_asked_again(database_url):
    chat = Chat()
    assert QUESTION in chat.say("scoliosis maybe, he is 9, we live in 31201")
    assert "diagnosis first" in chat.say("no")
    assert QUESTION not in chat.say("i think its scoliosis")

"""Found by a parent tester: after the request exists, a move is saved on the case (not
a new screening with "Start now?"), and two upload links each say which review they are for."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from bot import cases, intake
from bot.db import Case, session_scope
from bot.programs import load_catalogue
from bot.questionnaire import engine
from bot.questionnaire.answers import parse_answer
from bot.questionnaire.model import load_definition
from tests.dialogue.test_turn_records import TODAY, Chat
from tests.integration.test_intake_chat import HIP_ANSWERS, SPINE_ANSWERS

ANSWERS = {**HIP_ANSWERS, **SPINE_ANSWERS}  # spine, hip or both


def _done(chat: Chat, first: str) -> str:
    """The questionnaire answered on the web, then confirmed in the chat: stage DONE."""
    chat.say(first)
    chat.say("yes")
    chat.say("i'll finish on the web form")
    case_ids = chat.slots["case_ids"]
    before = cases.questionnaire_of(case_ids[0])["state"]
    after, definition = copy.deepcopy(before), load_definition()
    for _ in range(80):
        item = engine.next_item(after, definition)
        if item is None:
            break
        engine.record(after, item, parse_answer(item, ANSWERS[item.link_id], TODAY,
                                                after["answers"]))
    assert item is None, "the questionnaire did not end"
    intake.save_answers(case_ids, before, after)
    chat.say("ok")
    reply = chat.say("yes")
    assert chat.slots["dialogue"]["stage"] == "done", reply
    return reply


def _cases() -> list[Case]:
    with session_scope() as s:
        rows = s.execute(select(Case).order_by(Case.id)).scalars().all()
        s.expunge_all()
        return rows


@pytest.fixture()
def done(database_url):
    chat = Chat("rest:after-request")
    _done(chat, "my daughter is 14 and has scoliosis, 42 degrees, we live in 31201")
    return chat


def test_a_move_after_the_request_is_saved_on_the_case(done):
    reply = done.say("fyi we moved to savannah last week, new zip is 31405")
    [case] = _cases()
    assert case.zip_code == "31405" and case.county == "Chatham County"
    assert f"I updated your ZIP to 31405 on {case.reference}" in reply
    assert "Start now" not in reply and "Good news" not in reply
    assert "home_outside_service_area" not in (case.flags or [])
    assert "Start now" not in done.say("ok")


def test_a_move_into_the_atlanta_area_is_flagged_for_the_coordinator(done):
    reply = done.say("we just moved, our new zip is 30303")
    [case] = _cases()
    assert case.zip_code == "30303"
    assert "30303" in reply and "coordinator will check" in reply
    assert "home_outside_service_area" in case.flags
    assert "Start now" not in reply


def test_two_links_each_say_which_review(database_url):
    chat = Chat("rest:after-request-two")
    reply = _done(chat, "my daughter is 13 and has scoliosis and hip dysplasia, we live in 31201")
    programs = load_catalogue().programs
    for case in _cases():
        assert f"\n{programs[case.program].name.capitalize()} ({case.reference}): http" in reply
    assert reply.count("http") == 2


def test_one_link_is_as_before(database_url):
    reply = _done(Chat("rest:after-request-one"),
                  "my daughter is 14 and has scoliosis, 42 degrees, we live in 31201")
    [case] = _cases()
    assert f"({case.reference}). Next" in reply and "X-rays here: http" in reply
    assert "document review (" not in reply

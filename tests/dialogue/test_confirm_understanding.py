"""The confirm step in the chat, as a parent tester tried it: a no asks which answer,
"all of what?" and a form finished on the web show the summary, a yes followed by a
question confirms, and edits use other words for a field."""
from __future__ import annotations

import copy

import pytest

from bot import cases, intake
from bot.questionnaire import engine
from bot.questionnaire.answers import parse_answer
from bot.questionnaire.model import load_definition
from tests.dialogue.test_confirm_step import TODAY, Chat, to_summary
from tests.integration.test_intake_chat import SPINE_ANSWERS

SAY = load_definition().messages


def test_no_asks_which_answer_and_an_edit_in_other_words_applies(database_url):
    chat = Chat()
    to_summary(chat)
    assert chat.say("no") == [SAY["which_change"]]
    reply = "\n".join(chat.say("the clinic is South Georgia Pediatrics"))
    assert "South Georgia Pediatrics" in reply
    assert chat.slots["intake_state"]["answers"]["pcp_practice"] == "South Georgia Pediatrics"
    reply = "\n".join(chat.say("change where the xrays were done to Memorial Health Savannah"))
    assert chat.slots["intake_state"]["answers"]["imaging_where"] == "Memorial Health Savannah"
    assert "/u/" in "\n".join(chat.say("yes"))


def test_all_of_what_shows_the_summary_again(database_url):
    chat = Chat()
    to_summary(chat)
    reply = chat.say("all of what?")
    assert any("Child: Emma Lopez" in m for m in reply) and "Is all of this right" in reply[-1]


def test_yes_then_an_unknown_question_confirms_and_says_who_can_answer(database_url):
    chat = Chat()
    to_summary(chat)
    reply = "\n".join(chat.say("yes. is the parking free at the hospital?"))
    assert "/u/" in reply and "coordinator" in reply.lower()
    assert chat.slots["intake_state"]["confirmed"]


def test_yes_then_a_known_question_confirms_and_answers_it(database_url):
    chat = Chat()
    to_summary(chat)
    reply = "\n".join(chat.say("yes. how much does it cost?"))
    assert "$500" in reply and "/u/" in reply


def test_a_form_finished_on_the_web_shows_the_summary_in_the_chat(database_url):
    chat = Chat()
    chat.say("my daughter is 14 and has scoliosis, 42 degrees, we live in macon")
    chat.say("yes")
    chat.say("i'll finish on the web form")
    case_ids = chat.slots["case_ids"]
    before = cases.questionnaire_of(case_ids[0])["state"]
    after, definition = copy.deepcopy(before), load_definition()
    while (item := engine.next_item(after, definition)) is not None:  # the web form's answers
        engine.record(after, item, parse_answer(item, SPINE_ANSWERS[item.link_id], TODAY,
                                                after["answers"]))
    intake.save_answers(case_ids, before, after)
    reply = chat.say("ok")
    assert any("Child: Emma Lopez" in m for m in reply), reply
    assert "Is all of this right" in reply[-1]
    assert any("Child: Emma Lopez" in m for m in chat.say("all of what?"))

"""Answers given alternately in the chat and on the web form all survive: the case holds
the one copy, each writer saves only what it changed, and a stale write is caught.
The dialogue (bot.dialogue.turn) and the form (bot.portal.form.save) on one database."""
from __future__ import annotations

import datetime as dt

from starlette.datastructures import FormData

from bot import cases, intake
from bot.dialogue.turn import turn
from bot.portal import form
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition
from bot.settings import get_settings

TODAY = dt.date(2026, 11, 30)


class Chat:
    def __init__(self, cid: str):
        self.cid, self.slots = cid, {}

    def say(self, text: str) -> str:
        result = turn(dict(self.slots), text, self.cid, None, 0.0, TODAY)
        self.slots.update(result.slots)
        return "\n".join(r.text for r in result.replies)


def web_post(case_id: int, values: dict, revision=None):
    """What the portal does with a posted questionnaire form."""
    summary = cases.case_summary(case_id)
    linked = cases.case_summary(summary["linked_case_id"]) if summary["linked_case_id"] else None
    fields = [(k, v) for k, v in values.items()] + [(k + "_shown", "1") for k in values]
    if revision is not None:
        fields.append((form.REVISION_FIELD, str(revision)))
    return form.save(summary, linked, FormData(fields), get_settings(), today=TODAY)


def asked(case_id: int) -> str:
    """The question the case's answers leave next."""
    state = cases.questionnaire_of(case_id)["state"]
    return engine.next_item(engine.ensure_state(state), load_definition()).text


def test_answers_given_alternately_in_chat_and_on_the_web_all_survive(database_url):
    chat = Chat("rest:alternate")
    chat.say("my son is 9 and has scoliosis and hip dysplasia, we live in 31201")
    assert "first name" in chat.say("yes")
    spine, hip = chat.slots["case_ids"]
    assert "last name" in chat.say("Noah")                                   # chat
    _, errors, _ = web_post(spine, {"child_last_name": "Rivera",            # web, spine page
                                    "child_birth_date": "2017-05-06"})
    assert errors == {}
    reply = chat.say("Maria Rivera")  # the chat asks on from what the web page saved
    assert "last name" not in reply.lower() and asked(spine) in reply
    _, errors, _ = web_post(hip, {"guardian_relationship": "mother",        # web, hip page
                                  "guardian_mobile": "478-555-0100"})
    assert errors == {}
    reply = chat.say("maria@example.com")                                    # chat
    assert "@" not in asked(spine) and asked(spine) in reply
    wanted = {"child_first_name": "Noah", "child_last_name": "Rivera",
              "child_birth_date": "2017-05-06", "guardian_name": "Maria Rivera",
              "guardian_relationship": "mother", "guardian_mobile": "+14785550100",
              "guardian_email": "maria@example.com"}
    for case_id in (spine, hip):  # spine and hip from one chat share their answers
        answers = cases.questionnaire_of(case_id)["answers"]
        assert {k: answers.get(k) for k in wanted} == wanted
    assert cases.case_summary(hip)["guardian"]["phone"] == "+14785550100"
    chat_copy = chat.slots["intake_state"]["answers"]
    assert {k: chat_copy.get(k) for k in wanted} == wanted


def test_a_web_page_opened_before_a_chat_correction_does_not_undo_it(database_url):
    chat = Chat("rest:stale-page")
    chat.say("my daughter is 13 and has scoliosis, we live in 31201")
    chat.say("yes")
    chat.say("Ava")
    chat.say("Lee")
    [case_id] = chat.slots["case_ids"]
    summary = cases.case_summary(case_id)
    page = form.state_of(summary, None, get_settings())  # the parent opens the web page
    assert page["answers"]["child_first_name"] == "Ava"
    assert "Emma" in chat.say("actually her first name is Emma")  # then corrects it in chat
    # The page still shows Ava; the parent types her own name and saves the whole page.
    state, errors, _ = web_post(case_id, {"child_first_name": "Ava", "guardian_name": "Sam Lee"},
                                revision=page["revision"])
    assert errors == {"child_first_name": form.CHANGED_ELSEWHERE}
    stored = cases.questionnaire_of(case_id)
    assert stored["answers"]["child_first_name"] == "Emma"        # the chat's, not undone
    assert stored["answers"]["guardian_name"] == "Sam Lee"        # the web's, saved
    assert state["answers"]["child_first_name"] == "Emma"         # shown again to check
    assert state["revision"] == stored["revision"]
    # Saved again from the page that shows Emma: the parent's choice now stands.
    _, errors, _ = web_post(case_id, {"child_first_name": "Ava"}, revision=state["revision"])
    assert errors == {} and cases.questionnaire_of(case_id)["answers"]["child_first_name"] == "Ava"


def test_a_web_save_between_the_chats_read_and_write_is_not_overwritten(database_url, monkeypatch):
    chat = Chat("rest:race")
    chat.say("my daughter is 13 and has scoliosis, we live in 31201")
    chat.say("yes")
    assert "last name" in chat.say("Ava")
    [case_id] = chat.slots["case_ids"]
    real_save, chat_saves = intake.save_answers, []

    def web_saves_first(case_ids, before, after):
        chat_saves.append(before["revision"])
        if len(chat_saves) == 1:  # the parent saves the web page during this chat turn
            _, errors, _ = web_post(case_id, {"child_last_name": "Lopez"})
            assert errors == {}
        return real_save(case_ids, before, after)

    monkeypatch.setattr(intake, "save_answers", web_saves_first)
    reply = chat.say("Lee")
    # Refused, read again, redone on the newer answers (one revision later).
    assert len(chat_saves) == 2 and chat_saves[1] == chat_saves[0] + 1
    answers = cases.questionnaire_of(case_id)["answers"]
    assert answers["child_last_name"] == "Lopez"
    assert "last name" not in reply.lower()

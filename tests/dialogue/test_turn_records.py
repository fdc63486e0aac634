"""What a turn writes for the coordinator: case flags, call-back requests with their
language and number, screenings; and that start over keeps the case."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.db import Case, CallbackRequest, Screening, session_scope
from bot.dialogue.turn import turn

TODAY = dt.date(2026, 11, 30)


class Chat:
    def __init__(self, cid: str = "rest:records-test"):
        self.cid, self.slots = cid, {}

    def say(self, text: str) -> str:
        result = turn(dict(self.slots), text, self.cid, None, 0.0, TODAY)
        self.slots.update(result.slots)
        return "\n".join(r.text for r in result.replies)


def eligible_in_intake(chat: Chat) -> None:
    assert "spine review" in chat.say("my daughter is 13 and has scoliosis, we live in 31201")
    assert "first name" in chat.say("yes")


def test_red_flag_mid_questionnaire_flags_the_case_and_holds(database_url):
    chat = Chat()
    eligible_in_intake(chat)
    reply = chat.say("her legs went numb today and she can't feel her feet")
    assert reply.index("911") < reply.index("paused")
    with session_scope() as s:
        [case] = s.execute(select(Case)).scalars().all()
        assert "red_flag" in case.flags
    held = chat.say("Ava")  # not taken as the name while the form is held
    assert "continue" in held.lower()
    assert "child_first_name" not in chat.slots["intake_state"]["answers"]
    assert "first name" in chat.say("ok she is fine now, let's continue")


def test_red_flag_before_the_case_flags_it_when_it_is_created(database_url):
    chat = Chat()
    assert "911" in chat.say("my son has scoliosis and he suddenly can't move his legs")
    chat.say("continue")
    chat.say("14")
    chat.say("31201")
    chat.say("yes")
    with session_scope() as s:
        [case] = s.execute(select(Case)).scalars().all()
        assert "red_flag" in case.flags


def test_spanish_records_a_call_back_with_the_language(database_url):
    chat = Chat()
    reply = chat.say("hola, mi hija tiene escoliosis, cuanto cuesta?")
    assert "intérprete" in reply and "$500" not in reply
    assert "(478) 555-0110" in chat.say("478-555-0110")
    with session_scope() as s:
        [row] = s.execute(select(CallbackRequest)).scalars().all()
        assert row.language == "es" and row.phone == "+14785550110"


def test_a_person_with_a_number_in_the_same_message(database_url):
    chat = Chat()
    reply = chat.say("pls have someone call me at 229-555-0177, my daughter has scoliosis")
    assert "(229) 555-0177" in reply
    assert chat.slots["condition"]["programs"] == ["spine"]
    with session_scope() as s:
        [row] = s.execute(select(CallbackRequest)).scalars().all()
        assert row.phone == "+12295550177" and row.language == "en"


def test_start_over_keeps_the_case_and_clears_the_answers(database_url):
    chat = Chat()
    eligible_in_intake(chat)
    chat.say("Emma")
    case_ids = chat.slots["case_ids"]
    assert "start" in chat.say("start over").lower()
    assert "first name" in chat.say("yes")
    assert chat.slots["case_ids"] == case_ids
    assert "child_first_name" not in chat.slots["intake_state"]["answers"]
    with session_scope() as s:
        assert len(s.execute(select(Case)).scalars().all()) == 1


def test_start_over_declined_keeps_the_answers(database_url):
    chat = Chat()
    eligible_in_intake(chat)
    chat.say("Emma")
    chat.say("start over")
    assert "keep going" in chat.say("no").lower()
    assert chat.slots["intake_state"]["answers"]["child_first_name"] == "Emma"


def test_hedged_diagnosis_is_saved_as_see_a_doctor_first(database_url):
    chat = Chat()
    reply = chat.say("her back looks crooked, i think its scoliosis. shes 11, we live in valdosta")
    assert "diagnosis first" in reply and "Good news" not in reply
    with session_scope() as s:
        [row] = s.execute(select(Screening)).scalars().all()
        assert row.route == "see_pediatrician_first" and not row.eligible


def test_town_is_resolved_to_its_county_for_eligibility(database_url):
    chat = Chat()
    reply = chat.say("my son is 9 with perthes, we live in marietta")
    assert "Atlanta area" in reply and "Cobb County" in reply
    with session_scope() as s:
        [row] = s.execute(select(Screening)).scalars().all()
        assert row.county == "Cobb County" and row.route == "visit_atlanta_area"


def test_a_message_holding_a_removed_number_is_never_saved_as_an_answer(database_url):
    """At a free-text question, "my ssn is ... if you need it" is refused and the
    question comes again; nothing of it is stored as the answer."""
    from starlette.datastructures import FormData

    from bot import cases
    from bot.portal import form
    from bot.scrub import scrub_text
    from bot.settings import get_settings
    from tests.portal.test_forms_and_flow import SPINE_FORM

    chat = Chat()
    eligible_in_intake(chat)
    [case_id] = chat.slots["case_ids"]
    # Everything but the parent's questions, given on the web page.
    posted = FormData([(k, v) for k, values in SPINE_FORM.items() if k != "main_questions"
                       for v in (values if isinstance(values, list) else [values])])
    form.save(cases.case_summary(case_id), None, posted, get_settings())
    from bot.questionnaire import engine
    from bot.questionnaire.model import load_definition

    def current():
        return engine.next_item(engine.ensure_state(cases.questionnaire_of(case_id)["state"]),
                                load_definition())

    for _ in range(10):  # on to the next free-text question
        if current().type in ("string", "text"):
            break
        chat.say("skip")
    assert current().type in ("string", "text")
    before = cases.questionnaire_of(case_id)["answers"]
    asked = chat.say("what's next?")
    reply = chat.say(scrub_text("my ssn is 078 05 1120 if u need it for the bill"))
    assert "Social Security" in reply and "1120" not in reply
    assert asked.splitlines()[-1] in reply  # the same question again
    assert cases.questionnaire_of(case_id)["answers"] == before

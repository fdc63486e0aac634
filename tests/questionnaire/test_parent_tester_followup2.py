"""A parent tester's second round: several facts in one answer (a declined email, a
phone after the practice, a preferred call time), edits that name the old value
("X not Y") or hold a clause with no value, seasons as dates, a relative as a yes."""
from __future__ import annotations

import pytest

from bot.questionnaire.answers import parse_answer
from tests.questionnaire import max_age_21  # noqa: F401  (autouse fixture)
from tests.questionnaire.test_engine import run, start
from tests.questionnaire.test_parent_tester_followup import D, TODAY, at_confirm, say


def at(link_id, program="spine"):
    state = start(program)
    run(state, stop_at=link_id)
    return state


def test_name_relationship_mobile_and_no_email_in_one_answer():
    state = at("guardian_name")
    outcome = say(state, "im Kay Mendez her mom. my cell is 229 555 0177, i dont have email")
    answers = state["answers"]
    assert answers["guardian_name"] == "Kay Mendez"
    assert answers["guardian_relationship"] == "mother"
    assert answers["guardian_mobile"] == "+12295550177"
    assert "guardian_email" in state["skipped"]
    assert outcome.messages[0].startswith("I also saved") and "Email: skipped" in outcome.messages[0]
    assert outcome.item.link_id == "contact_preference"


@pytest.mark.parametrize("text, mobile", [("229 555 0177. I don't have email", "+12295550177"),
                                          ("478-555-0190, no email", "+14785550190")])
def test_a_mobile_with_no_email_is_not_asked_the_email(text, mobile):
    state = at("guardian_mobile")
    outcome = say(state, text)
    assert state["answers"]["guardian_mobile"] == mobile
    assert "guardian_email" in state["skipped"] and outcome.item.link_id == "contact_preference"


def test_a_preferred_call_time_with_its_reason_is_kept():
    state = at("contact_preference")
    say(state, "call is fine but mornings are better, baby naps after lunch")
    assert state["answers"]["contact_preference"] == "phone"
    assert state["answers"]["fee_call_time"] == "morning"


def test_the_call_time_question_is_not_asked_when_already_given():
    state = at("contact_preference")
    say(state, "call is fine but mornings are better, baby naps after lunch")
    asked, _ = run(state)
    assert "fee_call_time" not in asked


def test_the_practice_with_its_phone():
    state = at("pcp_practice")
    outcome = say(state, "Valdosta Pediatrics, 229-555-0150")
    assert state["answers"]["pcp_practice"] == "Valdosta Pediatrics"
    assert state["answers"]["pcp_phone"] == "+12295550150"
    assert outcome.item.link_id != "pcp_phone"


@pytest.mark.parametrize("text, link_id, value", [
    ("the clinic is Valdosta Childrens Clinic not Valdosta Pediatrics", "pcp_practice",
     "Valdosta Childrens Clinic"),
    ("the pediatrician is Dr Grace Kim not Dr Kim", "pcp_name", "Dr Grace Kim"),
    ("the pediatrician is Dr. Grace Kim, not Dr Lee", "pcp_name", "Dr. Grace Kim"),
    ("the practice is Tift Kids instead of Macon Pediatrics", "pcp_practice", "Tift Kids"),
])
def test_an_edit_naming_the_old_value_keeps_only_the_new_one(text, link_id, value):
    state = at_confirm()
    outcome = say(state, text)
    assert outcome.kind == "corrected" and state["answers"][link_id] == value


def test_a_clause_that_gives_no_value_is_ignored():
    from bot.questionnaire.engine import edit_clauses
    state = start("hip")
    run(state)
    text = "the treatment now is just watching, the harness was when she was a baby"
    assert edit_clauses(state, text, TODAY, D) == ["the treatment now is just watching"]
    outcome = say(state, text)
    assert outcome.kind == "corrected" and outcome.messages[0] == "Changed: Treatment now: Watching it"
    assert state["answers"]["current_treatment"] == ["watching"] and state["answers"]["pavlik"] is True


@pytest.mark.parametrize("link_id, text, value", [
    ("diagnosis_date", "when she was a baby, like 2019", "2019"),
    ("diagnosis_date", "last summer", "2024-07"),   # TODAY is June 2025
    ("imaging_when", "last winter", "2025-01"),  # the winter that just ended
    ("imaging_when", "this spring", "2025-04"),
    ("imaging_when", "in the summer of 2023", "2023-07"),
    ("imaging_when", "fall", "2024-10"),
])
def test_seasons_are_read_as_one_month(link_id, text, value):
    assert parse_answer(D.item(link_id), text, TODAY).value == value


@pytest.mark.parametrize("link_id, text, value", [
    ("hip_family_history", "his dad had it", True),
    ("spine_family_history", "her aunt has scoliosis", True),
    ("spine_family_history", "my mom and sister had it", True),
    ("spine_family_history", "his dad never had it", False),
])
def test_a_relative_who_had_it_is_a_yes(link_id, text, value):
    assert parse_answer(D.item(link_id), text, TODAY).value is value


def test_a_season_and_a_relative_in_the_chat():
    state = at("diagnosis_date")
    say(state, "last summer")
    assert state["answers"]["diagnosis_date"] == "2024-07"
    state = at("hip_family_history", "hip")
    say(state, "his dad had it")
    assert state["answers"]["hip_family_history"] is True


def test_last_summer_in_november_is_this_years():
    from datetime import date

    from bot.questionnaire.dates import _season_words

    assert _season_words("last summer", date(2026, 11, 30)) == "july 2026"
    assert _season_words("last summer", date(2026, 3, 1)) == "july 2025"
    assert _season_words("this spring", date(2026, 3, 1)) == "april 2026"

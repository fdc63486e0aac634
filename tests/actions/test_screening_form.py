"""The screening form's validator and result action, with rasa_sdk trackers."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from actions.screening import ActionScreeningResult, ValidateScreeningForm
from bot.db import Screening, session_scope
from tests.actions.helpers import run, slot_events, tracker

FORM = "screening_form"


def validate(text, intent="inform", requested="condition", **slots):
    t = tracker(text, intent, {"requested_slot": requested, **slots}, active_loop=FORM)
    events, responses = run(ValidateScreeningForm(), t)
    return slot_events(events), responses


def test_answer_to_the_question_asked():
    slots, responses = validate("she has scoliosis")
    assert slots["condition"]["programs"] == ["spine"]
    assert slots["requested_slot"] == "child_age"
    assert responses == []


def test_everything_in_one_message_finishes_the_form():
    slots, _ = validate("my 12 yo dd has scoliosis, we live in 31201", intent="check_eligibility",
                        requested=None)
    assert slots["child_age"] == 12
    assert slots["home_zip"] == "31201"
    assert slots["requested_slot"] is None


def test_answers_out_of_order_are_kept():
    slots, responses = validate("we're in 31401", requested="condition")
    assert slots["home_zip"] == "31401"
    assert slots["requested_slot"] == "condition"
    assert responses == ["utter_condition_unclear"]


def test_question_without_answer_is_left_to_the_rules():
    slots, responses = validate("how much does it cost", intent="ask_cost")
    assert slots == {} and responses == []


def test_question_with_an_answer_is_answered_and_kept():
    slots, responses = validate("hip dysplasia. how much is it?", intent="ask_cost")
    assert slots["condition"]["programs"] == ["hip"]
    assert "utter_cost" in responses


def test_red_flag_with_an_answer_warns_first():
    slots, responses = validate("scoliosis and now her legs are numb", intent="red_flag")
    assert responses[0] == "utter_urgent_care"
    assert slots["condition"]["programs"] == ["spine"]


def test_undiagnosed_needs_no_more_questions():
    slots, _ = validate("not diagnosed yet")
    assert slots["condition"]["kind"] == "undiagnosed"
    assert slots["requested_slot"] is None


def test_numbered_choice():
    slots, _ = validate("2")
    assert slots["condition"]["programs"] == ["hip"]


@pytest.mark.parametrize("text,problem", [
    ("00000", "utter_zip_unknown"),
    ("somewhere near macon", "utter_zip_unclear"),
])
def test_bad_zip_is_re_asked(text, problem):
    slots, responses = validate(text, requested="home_zip",
                                condition={"kind": "program", "conditions": [], "programs": ["spine"], "other": []},
                                child_age=10)
    assert "home_zip" not in slots
    assert responses == [problem]


def test_future_birth_date_is_re_asked():
    next_year = dt.date.today().year + 1
    slots, responses = validate(f"born 3/5/{next_year}", requested="child_age")
    assert responses == ["utter_age_future"]
    assert "child_age" not in slots


def test_repeated_bad_answers_explain_then_offer_a_way_out():
    _, first = validate("blah", requested="home_zip", screening_failures=0)
    _, second = validate("blah", requested="home_zip", screening_failures=1)
    slots, third = validate("blah", requested="home_zip", screening_failures=2)
    assert first == ["utter_zip_unclear"]
    assert second == ["utter_zip_unclear", "utter_why_zip"]
    assert third == ["utter_screening_stuck"]
    assert slots["screening_failures"] == 0


SPINE = {"kind": "program", "conditions": ["idiopathic_scoliosis"], "programs": ["spine"], "other": []}


@pytest.mark.parametrize("zip_code,age,response", [
    ("31201", 12, "utter_eligible_spine"),
    ("30309", 12, "utter_route_visit_atlanta_area"),
    ("35203", 12, "utter_route_visit_out_of_state"),
    ("31201", 22, "utter_route_over_age_limit"),
])
def test_result_is_given_and_recorded(database_url, zip_code, age, response):
    t = tracker("31201", slots={"condition": SPINE, "child_age": age, "home_zip": zip_code},
                sender="rest:family-1")
    events, responses = run(ActionScreeningResult(), t)
    assert responses[0] == response
    with session_scope() as session:
        row = session.execute(select(Screening)).scalar_one()
        assert row.conversation_id == "rest:family-1" and row.channel == "rest"
        assert row.eligible == (response == "utter_eligible_spine")
    assert slot_events(events)["screening_route"] == row.route

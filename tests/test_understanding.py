"""bot.understanding on single messages (the corpus in tests/data/first_messages.yml
scores it as a whole; these pin the rules that decide the dialogue)."""
import datetime as dt

import pytest

from bot.understanding import understand

TODAY = dt.date(2026, 11, 30)


def read(text, **kw):
    return understand(text, today=TODAY, **kw)


@pytest.mark.parametrize("text", [
    "i think its scoliosis tho", "her back looks crooked", "not diagnosed yet, but her hip clicks",
    "we haven't seen a doctor, maybe scoliosis", "school screening said maybe scoliosis",
    "she has a limp and her knee hurts, no diagnosis yet",
])
def test_no_diagnosis_is_never_a_program(text):
    u = read(text)
    assert u.condition and u.condition["kind"] == "undiagnosed" and not u.condition["programs"]


@pytest.mark.parametrize("text", [
    "the doctor said scoliosis, 30 degrees", "she was diagnosed with hip dysplasia",
    "my son has Perthes", "x-rays showed scoliosis", "the ortho said she has spondylolisthesis",
])
def test_a_doctor_named_it(text):
    assert read(text).condition["kind"] == "program"


def test_a_condition_after_not_is_dropped():
    assert read("oops i meant hip dysplasia not scoliosis").condition["programs"] == ["hip"]


def test_a_whole_story():
    u = read("hello, my son is 14 with scoliosis (about 50 degrees) and his surgeon in augusta "
             "wants to do a spinal fusion. we want a second opinion first")
    assert u.condition["programs"] == ["spine"] and u.age_years == 14
    assert u.child_sex == "male" and u.curve_degrees == 50
    assert u.place.name == "Augusta" and u.place.cue == "provider"
    assert not u.advice and not u.red_flag


@pytest.mark.parametrize("text,request_", [
    ("i want to speak to a real human please", "human"), ("can someone call me", "human"),
    ("start over", "restart"), ("I typed the wrong zip, can we start over?", "restart"),
    ("nevermind", "pause"), ("can I finish this later?", "pause"), ("gtg brb", "pause"),
    ("ok im back", "resume"), ("hay alguien que hable español?", "spanish"),
    ("can you send the link again", "resend_link"),
])
def test_requests_anywhere(text, request_):
    assert request_ in read(text).requests


@pytest.mark.parametrize("text", ["when can we stop the brace", "is this a real person or a bot",
                                  "we want to do surgery later if needed"])
def test_not_requests(text):
    assert not {"human", "pause", "restart"} & set(read(text).requests)


def test_a_bot_question_is_not_a_hand_off():
    assert read("is this a real person or a bot").social == "bot_challenge"


@pytest.mark.parametrize("text,social", [
    ("yes lets start", "affirm"), ("oh great, thank you! yes start now", "affirm"),
    ("no not right now", "deny"), ("oh ok. thanks", "thank"), ("thanks, bye", "thank"),
])
def test_short_replies(text, social):
    assert read(text).social == social


def test_an_emergency_question_needs_an_emergency():
    assert not read("should she try the brace first or go straight to surgery?").emergency_question
    assert read("her legs are numb, should we go to the ER or drive to atlanta?").emergency_question


def test_the_biggest_curve_and_a_past_age():
    assert read("double curve, 42 and 30 degrees").curve_degrees == 42
    assert read("diagnosed at age 13. He's 15 now").age_years == 15
    assert read("her curve went from 25 to 40 in like 8 months, she is 12").age_years == 12

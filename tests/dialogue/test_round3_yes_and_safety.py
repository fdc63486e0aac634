"""Round 3 (a tester over SMS): yes in all its forms, the urgent-care message given once
per sign, a teen texting alone, and one way to answer the start offer."""
from __future__ import annotations

import pytest

from bot import safety
from bot.dialogue.replies import say
from bot.questionnaire.confirm import is_yes
from bot.understanding import understand
from tests.dialogue.test_round2_dialogue import at, at_confirm
from tests.dialogue.test_sms_privacy import SMS, Chat

URGENT = "This may need urgent care now"
NOTED = "I noted it for the team"


@pytest.mark.parametrize("text", [
    "okay yes lets start it now but how long does it take to get the answer back",
    "I said yes start", "i already said yes", "yes they're right", "yes they are all correct",
    "sí", "si", "claro", "claro que sí", "yes, but how long does it take?"])
def test_yes_said_in_other_ways(text):
    assert understand(text).social == "affirm"


@pytest.mark.parametrize("text", ["yes but not now", "ok but what does it cost?", "we said yes but can we do it later"])
def test_not_a_yes(text):
    assert understand(text).social != "affirm"


@pytest.mark.parametrize("text", ["no gracias", "I said no"])
def test_no_said_in_other_ways(text):
    assert understand(text).social == "deny"


@pytest.mark.parametrize("text", ["okay yes lets start it now but how long does it take to get the answer back",
                                  "I said yes start"])
def test_start_now_with_yes_and_a_question(database_url, text):
    chat = Chat(SMS)
    chat.say("my son is 14 with scoliosis, we live in 31632")
    reply = chat.say(text)
    assert "first name" in reply
    if "how long" in text:
        assert "7 to 10 days" in reply


@pytest.mark.parametrize("text", ["yes they're right", "yes thats all correct", "I said yes", "sí"])
def test_confirm_step_takes_yes_in_other_words(text):
    assert is_yes(text)


def test_si_answers_a_yes_no_question(database_url):
    chat = at("back_pain")
    chat.say("sí")
    assert chat.current() != "back_pain"


def _after_urgent() -> Chat:
    chat = at("back_pain")
    reply = chat.say("yes his back hurts a lot after practice and sometimes his leg goes kind of numb and tingly")
    assert URGENT in reply
    return chat


@pytest.mark.parametrize("text", ["911?? its not an emergency its been like that for months his doctor knows about it",
                                  "his doctor already checked it, it's not new",
                                  "like I told you, it's been that way for years"])
def test_known_sign_is_noted_not_alarmed_again(database_url, text):
    chat = _after_urgent()
    reply = chat.say(text)
    assert NOTED in reply and "911" not in reply
    assert "back pain" in reply  # carries on with the question we were at
    chat.say("yes")
    assert chat.current() == "spine_red_flag"
    reply = chat.say("yes the tingling in his leg like I told you, his doctor knows")
    assert NOTED in reply and URGENT not in reply
    assert chat.current() not in ("spine_red_flag", None)


def test_a_worse_or_new_sign_still_gets_the_urgent_message(database_url):
    chat = _after_urgent()
    chat.say("his doctor knows about it")
    reply = chat.say("now he can't walk and both legs are numb")
    assert URGENT in reply or "911" in reply


def test_first_time_sign_gets_the_urgent_message_even_when_old(database_url):
    chat = at("back_pain")
    assert URGENT in chat.say("his leg goes numb sometimes, his doctor knows")


def test_known_and_worse():
    assert safety.says_known("its not an emergency, his doctor knows")
    assert not safety.says_known("his doctor knows but it got worse today")


@pytest.mark.parametrize("first", ["hii so i'm 16 and i have scoliosis 🙃 my mom said i could text u guys",
                                   "can i do it myself or does my mom have to?",
                                   "i am the patient, i have scoliosis"])
def test_teen_is_told_who_signs_once(database_url, first):
    chat = Chat(SMS)
    reply = chat.say(first)
    assert "parent or legal guardian" in reply
    assert "parent or legal guardian" not in chat.say("rome ga")


def test_teen_question_is_answered_when_asked(database_url):
    chat = Chat(SMS)
    chat.say("i'm 16 and i have scoliosis, we live in 30161")
    reply = chat.say("wait it's me tho not my kid lol. can i do it myself or does my mom have to")
    assert "parent or legal guardian" in reply and "not sure" not in reply


def test_start_offer_has_one_way_to_answer():
    assert "Reply yes" not in say("utter_offer_intake_again").text

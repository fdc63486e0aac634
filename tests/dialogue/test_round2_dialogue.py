"""What parents found texting the bot (round 2), around the questionnaire:
- "his birthday is may 3 not may 2" at the final check changes the answer, and a new
  value sent alone ("5/3/2015") is never dropped in silence: the bot asks which answer;
- a yes to the form's own red-flag question pauses the form after the urgent advice;
- "can you just call me instead of all these questions" is a request for a person;
- "the link doesn't work" gets what to try, a fresh link and the coordinator;
- a call-back number given in the chat is offered for the fee call (never texted back).
"""
from __future__ import annotations

import pytest

from bot import cases
from bot.understanding_requests import requests_in, wants_call_instead
from tests.dialogue.test_sms_privacy import REST, SMS, URL, Chat


def at(question: str | None = None, cid: str = SMS) -> Chat:
    """A chat whose form waits at `question` (None: at the final check)."""
    chat = Chat(cid)
    chat.say("my son is 12 with scoliosis, we live in 31201")
    chat.say("yes")
    chat.answer_until(question)
    assert chat.current() == question
    return chat


def at_confirm() -> Chat:
    return at(None)


def after_call_back(cid: str = SMS) -> Chat:
    """The parent gave a call-back number, then the fee-call number is asked."""
    chat = at("imaging_when", cid)
    chat.say("I want to talk to a person")
    chat.say("478-555-0199")
    return chat


def answers(chat: Chat) -> dict:
    return chat.slots["intake_state"]["answers"]


# ------------------------------------------------------------ 1. corrections at the check
@pytest.mark.parametrize("text,value", [
    ("his birthday is june 18 not june 17", "2011-06-18"),
    ("his birthday is june 18", "2011-06-18"),
    ("dob should be 6/18/2011 not 6/17/2011", "2011-06-18"),
    ("birthday is the 18th not the 17th", "2011-06-18"),
    ("actually his date of birth is 18th of june", "2011-06-18"),
    ("birth date 6/18", "2011-06-18"),
])
def test_a_date_corrected_with_or_without_its_year(database_url, text, value):
    chat = at_confirm()
    assert chat.say("2").startswith("Sure. Which answer")
    reply = chat.say(text)
    assert "Changed: Date of birth" in reply and "could not" not in reply
    assert answers(chat)["child_birth_date"] == value
    assert "18" not in reply, "over SMS the new value is not said back"


@pytest.mark.parametrize("text,link_id,value", [
    ("curve is 45 not 47", "curve_size", 45),
    ("relationship is dad not mom", "guardian_relationship", "father"),
    ("best time to call is afternoon, not morning", "fee_call_time", "afternoon"),
    ("practice is Tifton Kids not Lowndes Family Pediatrics", "pcp_practice", "Tifton Kids"),
])
def test_other_answers_corrected_with_the_old_value_after(database_url, text, link_id, value):
    chat = at_confirm()
    assert "Changed:" in chat.say(text)
    assert answers(chat)[link_id] == value


@pytest.mark.parametrize("value,label,link_id,stored", [
    ("6/18/2011", "Date of birth", "child_birth_date", "2011-06-18"),
    ("45", "Curve size", "curve_size", 45),
    ("478-555-0100", "Number for the fee call", "fee_call_phone", "+14785550100"),
    ("afternoon", "Best time to call", "fee_call_time", "afternoon"),
])
def test_a_value_alone_asks_which_answer_it_is_for(database_url, value, label, link_id, stored):
    chat = at_confirm()
    before = dict(answers(chat))
    asked = chat.say(value)
    assert asked.startswith("Which answer is that for?") and label in asked
    assert answers(chat) == before, "nothing changes before the parent says which"
    assert value not in asked
    choices = asked.split("\n")[1]
    number = choices[:choices.index(label)].rstrip(") ").split()[-1]
    reply = chat.say(number)
    assert f"Changed: {label}" in reply
    assert answers(chat)[link_id] == stored


def test_a_value_for_no_listed_answer_asks_for_the_question_name(database_url):
    chat = at_confirm()
    before = dict(answers(chat))
    asked = chat.say("6/18/2011")
    last = asked.split("\n")[1].split(") ")[-1]
    assert last == "Something else"
    hint = chat.say(str(asked.count(")")))
    assert "question name and the new answer" in hint and "birth date 5/3/2015" in hint
    assert "question name" in chat.say("Lily Mae")  # fits no answer a value alone names
    assert answers(chat) == before
    assert "Changed: Date of birth" in chat.say("birth date 6/18/2011")


def test_after_which_answer_another_message_is_read_as_usual(database_url):
    chat = at_confirm()
    chat.say("45")
    reply = chat.say("1")
    assert "Changed: Curve size" in reply
    assert "/u/" in chat.say("1"), "then 1 confirms as before"


# ------------------------------------------------------------ 2. the form's own red flag
@pytest.mark.parametrize("yes", ["yes his legs feel numb sometimes", "yes", "1"])
def test_a_yes_to_the_red_flag_question_pauses_the_form(database_url, yes):
    chat = at("spine_red_flag")
    reply = chat.say(yes)
    assert "911" in reply and "reply continue" in reply
    assert "family member" not in reply, "no next question after urgent advice"
    er = chat.say("wait should i really go to the ER??")
    assert "emergency room" in er
    assert "yes or no" not in er and "family member" not in er
    assert "spine_family_history" not in answers(chat)
    assert "continue" in chat.say("no")  # still waiting
    assert "family member" in chat.say("continue")
    [case] = cases.cases_for_conversation(SMS)
    assert "red_flag" in str(cases.case_summary(case["id"]))


# ------------------------------------------------------------ 3. a person instead of the form
@pytest.mark.parametrize("text", [
    "can you just call me instead of all these questions",
    "too many questions, can someone just call me",
    "can we do this over the phone",
    "id rather you call me",
])
def test_call_me_instead_of_the_questions_is_a_request_for_a_person(database_url, text):
    chat = at("contact_preference")
    reply = chat.say(text)
    assert "404-555-0142" in reply and "answers so far are saved" in reply
    assert "contact_preference" not in answers(chat)
    assert "will call you" in chat.say("same number")
    assert chat.current() == "contact_preference", "the form goes on where it was"


def test_call_me_still_answers_best_way_to_reach_you(database_url):
    chat = at("contact_preference")
    assert "404-555-0142" not in chat.say("call me please")
    assert answers(chat)["contact_preference"] == "phone"


# ------------------------------------------------------------ 4. a link that does not work
@pytest.mark.parametrize("text", ["I can't open that link", "the link doesn't work",
                                  "link not working", "the page won't load",
                                  "it says page not found when i click the link"])
def test_a_link_that_does_not_work_gets_help_and_a_fresh_link(database_url, text):
    chat = at_confirm()
    chat.say("1")
    [case] = cases.cases_for_conversation(SMS)
    version = cases.link_version(case["id"])
    reply = chat.say(text)
    assert "browser" in reply and "birth date first" in reply
    assert URL.search(reply) and cases.link_version(case["id"]) == version + 1
    assert "404-555-0142" in reply and "reply person" in reply


@pytest.mark.parametrize("text,request_", [
    ("the link doesnt work", "link_trouble"), ("link expired", "link_trouble"),
    ("i cant get into the page", "link_trouble"), ("send me the link again", "resend_link"),
    ("link", "resend_link"),
])
def test_link_requests(text, request_):
    assert request_ in requests_in(text)


@pytest.mark.parametrize("text,instead", [
    ("can you just call me instead of all these questions", True),
    ("can we do this over the phone", True), ("call me please", False), ("call me", False),
    ("call me in the morning", False), ("can you call me at 478-555-0100", False),
])
def test_call_instead(text, instead):
    assert wants_call_instead(text) is instead


# ------------------------------------------------------------ 5. the call-back number
@pytest.mark.parametrize("cid", [SMS, REST])
def test_the_call_back_number_is_offered_for_the_fee_call(database_url, cid):
    chat = after_call_back(cid)
    asked = chat.say("last month")
    assert "number you gave for the call-back" in asked and "555-0199" not in asked
    chat.say("same")
    assert answers(chat)["fee_call_phone"] == "+14785550199"


def test_this_number_is_still_the_mobile(database_url):
    chat = after_call_back()
    chat.say("last month")
    chat.say("this number")
    assert answers(chat)["fee_call_phone"] == SMS.split(":", 1)[1]


def test_commands_at_the_check_are_not_values(database_url):
    chat = at_confirm()
    assert "Which answer" not in chat.say("back")
    assert chat.current() == "fee_call_time", "back still undoes the last answer"

"""A change of review mid-intake ("it's hip not spine") is a change, not a second review;
a protest is never saved as a name; after "can you call me?" the next message is read
for the call-back number first (tester's SMS conversation, foster mom in Brunswick)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot import cases
from bot.db import CallbackRequest, Case, session_scope
from bot.programs import fee_values
from bot.questionnaire.answers import parse_answer
from bot.questionnaire.model import load_definition
from tests.dialogue.test_turn_records import Chat

SMS = "sms:+19125550163"
FEES = fee_values()
CHANNELS = [SMS, "rest:switch"]


def answers(chat: Chat) -> dict:
    return chat.slots["intake_state"]["answers"]


def the_case() -> Case:
    with session_scope() as s:
        [case] = s.execute(select(Case)).scalars().all()
        s.expunge(case)
        return case


def callbacks() -> list[CallbackRequest]:
    with session_scope() as s:
        rows = s.execute(select(CallbackRequest)).scalars().all()
        for row in rows:
            s.expunge(row)
        return rows


def spine_intake(cid: str, curve: bool = False) -> Chat:
    chat = Chat(cid)
    first = "my son is 9 with scoliosis, a 30 degree curve, we live in 31520" if curve \
        else "my son is 9 with scoliosis, we live in 31520"
    assert "spine review" in chat.say(first)
    assert "first name" in chat.say("yes")
    return chat


def test_tester_conversation_over_sms(database_url):
    chat = Chat(SMS)
    chat.say("Hi I'm a foster parent in Brunswick. One of my foster kids (9 yo boy) was just "
             "told he has scoliosis. Do I need DFCS permission for this?")
    assert "first name" in chat.say("ok yes start, I'll ask his caseworker about the consent part")
    assert "last name" in chat.say("Jayden")
    assert "date of birth" in chat.say("Carter")
    assert "full name" in chat.say("2/9/2017")
    reference = the_case().reference
    reply = chat.say("actually wait. the caseworker called, the doctor letter says hip dysplasia not "
                     "scoliosis. i mixed up his paperwork with another kid. can we switch to the hip one?")
    assert "changed your request" in reply and reference in reply and FEES["hip_fee"] in reply
    assert FEES["both_fee"] not in reply and FEES["spine_fee"] not in reply
    assert reply.rstrip().endswith("So our coordinator knows who to ask for.")  # the form goes on
    case = the_case()
    assert case.program == "hip" and case.reference == reference and not case.flags
    assert answers(chat)["program"] == "hip" and chat.slots["eligible_programs"] == ["hip"]
    reply = chat.say("no I don't want both!! he does NOT have scoliosis. only the hip. "
                     "please cancel the spine one")
    assert "only for the hip review" in reply and FEES["both_fee"] not in reply
    assert "guardian_name" not in answers(chat) and "full name" in reply
    assert "related" in chat.say("Linda Greer")
    assert answers(chat)["guardian_name"] == "Linda Greer"
    assert not callbacks()  # nothing for the coordinator to add or switch


@pytest.mark.parametrize("cid", CHANNELS)
@pytest.mark.parametrize("text", [
    "it's hip not spine",
    "switch to the hip one please",
    "wrong one, it's his hip",
    "oops wrong review, he has hip dysplasia",
    "can we change it to the hip review instead?",
    "he doesn't have scoliosis, the letter says hip dysplasia",
])
def test_change_of_review_wordings(database_url, cid, text):
    chat = spine_intake(cid, curve=True)
    assert answers(chat)["curve_size"] == 30
    reply = chat.say(text)
    assert "changed your request" in reply and FEES["hip_fee"] in reply and FEES["both_fee"] not in reply
    assert "first name" in reply
    assert the_case().program == "hip"
    assert "curve_size" not in answers(chat)  # a spine question: dropped
    assert not callbacks()


def test_hip_to_spine(database_url):
    chat = Chat("rest:hip-to-spine")
    assert "hip review" in chat.say("my daughter is 6 with hip dysplasia, we live in 31520")
    chat.say("yes")
    reply = chat.say("sorry, wrong one. it's scoliosis not her hip")
    assert "spine review" in reply and FEES["spine_fee"] in reply
    assert the_case().program == "spine" and answers(chat)["program"] == "spine"


@pytest.mark.parametrize("cid", CHANNELS)
def test_cancel_the_spine_one_after_asking_for_the_hip(database_url, cid):
    chat = spine_intake(cid)
    assert FEES["both_fee"] in chat.say("can he have the hip review too?")  # a real wish for both
    reply = chat.say("cancel the spine one")
    assert "changed your request" in reply and FEES["hip_fee"] in reply
    assert the_case().program == "hip"


@pytest.mark.parametrize("cid", CHANNELS)
def test_documents_in_the_coordinator_switches_it(database_url, cid):
    chat = spine_intake(cid)
    cases.add_document(chat.slots["case_ids"][0], "referral", "letter.pdf", "x.pdf",
                       "application/pdf", 10, "0" * 64)
    reply = chat.say("it's his hip not his spine, can we switch?")
    assert "coordinator will switch it to the hip review" in reply
    assert FEES["hip_fee"] in reply and FEES["both_fee"] not in reply
    case = the_case()
    assert case.program == "spine" and "program_change_requested" in case.flags
    assert "second_review_requested" not in case.flags
    [callback] = callbacks()
    assert "from spine to hip" in callback.reason


def test_wanting_both_keeps_the_second_review_path(database_url):
    chat = spine_intake("rest:both")
    reply = chat.say("we want both reviews, his hip too")
    assert FEES["both_fee"] in reply
    case = the_case()
    assert case.program == "spine" and "second_review_requested" in case.flags


@pytest.mark.parametrize("text", [
    "no I don't want both!! he does NOT have scoliosis. only the hip. please cancel the spine one",
    "please cancel the spine one",
    "can you call me?",
    "I want the hip one",
    "Linda Greer can you call me",
    "NOT scoliosis!! only the hip",
    "why do you need that",
    "do you need my name",
    "i dont want to give my name!",
])
def test_a_protest_is_never_a_name(text):
    definition = load_definition()
    for link_id in ("guardian_name", "child_first_name", "child_last_name"):
        parsed = parse_answer(definition.item(link_id), text, dt.date(2026, 11, 30), {})
        assert not parsed.is_ok, (link_id, parsed.value)


@pytest.mark.parametrize("name", ["Linda Greer", "Mary-Kate O'Neil", "Will", "Dr. Lisa Harmon",
                                  "jayden", "Hope Carter!"])
def test_names_still_taken(name):
    item = load_definition().item("guardian_name")
    assert parse_answer(item, name, dt.date(2026, 11, 30), {}).is_ok


@pytest.mark.parametrize("cid", CHANNELS)
def test_protest_at_the_name_question_is_not_saved(database_url, cid):
    chat = spine_intake(cid)
    reply = chat.say("no!! I don't want to do this now, can you call me")
    assert "child_first_name" not in answers(chat)
    assert "number" in reply or "first name" in reply


@pytest.mark.parametrize("text", ["this one", "this number", "the number I'm texting from",
                                  "this phone is fine", "912-555-0163", "(912) 555 0163"])
def test_callback_number_after_call_me_over_sms(database_url, text):
    chat = spine_intake(SMS)
    assert "phone number" in chat.say("can you call me?")
    reply = chat.say(text)
    assert "will call you" in reply and "first name" in reply
    assert "child_first_name" not in answers(chat)
    assert callbacks()[-1].phone == "+19125550163"


def test_callback_this_one_in_chat_asks_for_the_number(database_url):
    chat = spine_intake("rest:callback")
    assert "phone number" in chat.say("can you call me?")
    assert "area code" in chat.say("this one")  # no number to point at: asked again
    reply = chat.say("478-555-0100")
    assert "will call you" in reply
    assert callbacks()[-1].phone == "+14785550100"


def test_callback_at_the_curve_question_over_sms(database_url):
    chat = spine_intake(SMS)
    for text in ["Jayden", "Carter", "2/9/2017", "Linda Greer", "foster mom", "skip", "text",
                 "last week", "Dr Shah at Southeast Georgia Health", "none yet", "idk"]:
        chat.say(text)
    assert "curve" in chat.say("does his hip need surgery")
    assert "phone number" in chat.say("there is no curve, its his HIP. can you call me?")
    reply = chat.say("this one")
    assert "will call you" in reply and "Please send a number" not in reply
    assert "curve_size" not in answers(chat)
    assert callbacks()[-1].phone == "+19125550163"


@pytest.mark.parametrize("text", ["does he need surgery on his hip instead of a brace?",
                                  "is something wrong with his hip?",
                                  "only scoliosis, no hip problems"])
def test_hip_words_in_an_answer_change_nothing(database_url, text):
    chat = spine_intake("rest:no-switch")
    chat.say(text)
    assert the_case().program == "spine" and not callbacks()

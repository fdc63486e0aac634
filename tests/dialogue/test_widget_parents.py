"""What the unbriefed web parents found: their questions for the team are kept, not
answered; after asking for a person, "I'll keep going" goes back to the open question
and is never saved as its answer."""
from __future__ import annotations

from tests.dialogue.test_round2_dialogue import answers, at

WEB = "web:parentsfound0000000000"


def test_the_parents_questions_for_the_team_are_kept_not_answered(database_url):
    chat = at("main_questions", WEB)
    reply = chat.say("is the harnes working and how long will she need it")
    assert answers(chat)["main_questions"] == "is the harnes working and how long will she need it"
    assert "medical advice" not in reply and "7 to 10 days" not in reply
    assert chat.current() != "main_questions"


def test_keep_going_after_asking_for_a_person_is_no_answer(database_url):
    chat = at("imaging_where", WEB)
    asked = chat.say("can I talk to a person")
    assert "number" in asked.lower()
    reply = chat.say("Okay, I will keep going here for now")
    assert "imaging_where" not in answers(chat) and chat.current() == "imaging_where"
    assert "Where were" in reply or "where" in reply.lower()


def test_asking_again_for_a_person_repeats_the_open_question(database_url):
    chat = at("imaging_where", WEB)
    chat.say("can I talk to a person")
    chat.say("no thanks")
    again = chat.say("talk to a person")
    assert "sorry this has been hard" not in again.lower()
    assert chat.current() == "imaging_where" and "where" in again.lower()

"""Details of an intake by text: the number the parent texts from is their mobile (not
asked again), and "where were we?" or "continue" repeat the question instead of being
saved as an answer."""
from __future__ import annotations

from bot import cases
from tests.dialogue.test_sms_privacy import SMS, Chat


def start(chat: Chat) -> None:
    chat.say("my son is 12 with scoliosis, we live in 31201")
    assert "first name" in chat.say("yes")


def test_the_texting_number_is_the_parents_mobile(database_url):
    chat = Chat(SMS)
    start(chat)
    asked = []
    for _ in range(60):
        link_id = chat.current()
        if link_id is None:
            break
        asked.append(link_id)
        chat.say({"child_first_name": "Sam", "child_last_name": "Reyes"}.get(link_id, "skip"))
    assert "guardian_mobile" not in asked
    [case] = cases.cases_for_conversation(SMS)
    assert case["guardian"]["phone"] == SMS.split(":", 1)[1]


def test_a_chat_parent_is_still_asked_for_a_mobile(database_url):
    chat = Chat("rest:mobile-asked")
    start(chat)
    assert chat.slots["intake_state"]["answers"].get("guardian_mobile") is None


def test_where_were_we_and_continue_repeat_the_question(database_url):
    chat = Chat(SMS)
    start(chat)
    chat.say("Sam")
    for lost in ("ok where were we", "what was the question?", "continue", "Keep going"):
        assert "last name" in chat.say(lost)
    assert "child_last_name" not in chat.slots["intake_state"]["answers"]
    chat.say("Reyes")
    assert chat.slots["intake_state"]["answers"]["child_last_name"] == "Reyes"

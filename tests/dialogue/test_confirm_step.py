"""The end of the questionnaire in the chat: a short summary, questions about an
answer, several edits in one message, and the confirmation that sends the link."""
from __future__ import annotations

import datetime as dt

from bot.dialogue.turn import turn
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition
from tests.integration.test_intake_chat import SPINE_ANSWERS

TODAY = dt.date(2026, 11, 30)


class Chat:
    def __init__(self):
        self.slots, self.sent = {}, 0

    def say(self, text):
        self.sent += 1
        result = turn(dict(self.slots), text, "rest:confirm-test", None, 0.0, TODAY)
        self.slots.update(result.slots)
        return [r.text for r in result.replies]


def to_summary(chat):
    chat.say("my daughter is 14 and has scoliosis, 42 degrees, we live in macon")
    chat.say("yes")
    for _ in range(60):
        item = engine.next_item(engine.ensure_state(dict(chat.slots["intake_state"])), load_definition())
        if item is None:
            return last
        last = chat.say(SPINE_ANSWERS[item.link_id])
    raise AssertionError("the questionnaire did not end")


def test_the_summary_is_short_and_asks_once(database_url):
    chat = Chat()
    summary = to_summary(chat)
    assert len(summary) <= 3 and sum(len(m) for m in summary) <= 600
    assert "Is all of this right" in summary[-1]
    # one first message, one yes, then one answer per question that was not prefilled
    assert chat.sent <= 36


def test_asking_what_was_saved_changes_nothing(database_url):
    chat = Chat()
    to_summary(chat)
    before = dict(chat.slots["intake_state"]["answers"])
    reply = "\n".join(chat.say("what did you put for the practice name?"))
    assert "Macon Kids Pediatrics" in reply and "could not" not in reply
    assert chat.slots["intake_state"]["answers"] == before


def test_two_edits_in_one_message_both_apply(database_url):
    chat = Chat()
    to_summary(chat)
    reply = "\n".join(chat.say("relationship is father and best time to call is afternoon"))
    answers = chat.slots["intake_state"]["answers"]
    assert answers["guardian_relationship"] == "father"
    assert answers["fee_call_time"] == "afternoon"
    assert "Father" in reply and "Afternoon" in reply
    assert "Child:" not in reply, "only the changed lines, not the summary again"
    done = "\n".join(chat.say("looks good"))
    assert "/u/" in done

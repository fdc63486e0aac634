"""The conversation suite against the pure dialogue (no Rasa, no NLU intent): the
rules in bot/ must understand parents without help from the classifier."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.channels.input_filter import filter_inbound
from bot.dialogue.turn import turn
from tests.conversations.runner import load, play

TODAY = dt.date(2026, 11, 30)
CONVERSATIONS = load()


class Chat:
    def __init__(self, conversation_id: str):
        self.cid, self.slots = conversation_id, {}

    def say(self, text: str) -> str:
        # Every channel scrubs the text first (card numbers), as in production.
        result = turn(dict(self.slots), filter_inbound(text).text, self.cid, None, 0.0, TODAY)
        self.slots.update(result.slots)
        return "\n".join(r.text for r in result.replies)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(conversation, database_url):
    chat = Chat(f"rest:{conversation['name'][:40]}")
    played = play(conversation, chat.say, lambda: chat.slots)
    assert not played.problems, "\n".join(played.problems) + "\n\n" + played.show()

"""The conversation suite through the running servers: REST channel, trained NLU
model, action server and database, exactly as a parent's messages travel."""
from __future__ import annotations

import uuid

import pytest

from tests.conversations.runner import load, play

CONVERSATIONS = load()


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(conversation, servers):
    sender = f"suite-{uuid.uuid4().hex[:8]}"

    def say(text: str) -> str:
        return "\n".join(m.get("text", "") for m in servers.say(sender, text))

    played = play(conversation, say, lambda: servers.tracker(f"rest:{sender}")["slots"])
    assert not played.problems, "\n".join(played.problems) + "\n\n" + played.show()

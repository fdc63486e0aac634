"""One text the database refuses must fail that request only, never stop Rasa."""
import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.tracker_store import SettingsSQLTrackerStore


def test_a_text_the_database_refuses_is_an_error_not_an_exit(database_url):
    store = SettingsSQLTrackerStore(domain=Domain.empty())
    bad = DialogueStateTracker.from_events("rest:\ud800", [UserUttered("hi")])
    with pytest.raises(ValueError):  # UnicodeEncodeError; Rasa's own store: SystemExit
        asyncio.run(store.save(bad))
    good = DialogueStateTracker.from_events("rest:y", [UserUttered("hi")])
    asyncio.run(store.save(good))
    assert asyncio.run(store.retrieve("rest:y")).latest_message.text == "hi"

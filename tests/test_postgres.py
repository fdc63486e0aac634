"""The same schema, records and tracker store on PostgreSQL (CI starts one and sets
TEST_POSTGRES_URL through .ci/run; without it these tests are skipped)."""
from __future__ import annotations

from sqlalchemy import select

from bot import settings as settings_module
from tests.conftest import needs_postgres

pytestmark = needs_postgres


def test_migrations_and_records_on_postgres(pg_url):
    from bot import records
    from bot.db import CallbackRequest, session_scope
    from bot.migrate import upgrade

    upgrade(pg_url)
    upgrade(pg_url)  # idempotent
    records.save_callback_request("sms:+14785550199", "asked for a person")
    assert records.set_callback_phone("sms:+14785550199", "+14785550199")
    with session_scope() as session:
        row = session.execute(select(CallbackRequest)).scalar_one()
        assert (row.channel, row.phone) == ("sms", "+14785550199")


def test_tracker_store_round_trip_on_postgres(pg_url):
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.channels.tracker_store import SettingsSQLTrackerStore

    domain = Domain.load(str(settings_module.REPO_ROOT / "domain.yml"))
    store = SettingsSQLTrackerStore(domain=domain)
    tracker = DialogueStateTracker.from_events(
        "rest:pg-parent", [UserUttered("31201"), SlotSet("home_zip", "31201")], domain.slots)
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve("rest:pg-parent"))
    assert again is not None and again.get_slot("home_zip") == "31201"
    store.engine.dispose()

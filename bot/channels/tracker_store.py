"""Rasa's SQL tracker store on the project's DATABASE_URL (SQLite file by default).

Conversations hold PHI and must survive restarts, so the tracker lives in the same
database as the rest of the system rather than in memory.
"""
from __future__ import annotations

import contextlib
from typing import Any, Generator, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from sqlalchemy import event

from bot.db import sqlite_pragmas
from bot.settings import get_settings


class SettingsSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = get_settings().database_url
        # A full URL in `host` is used as is by SQLTrackerStore.get_db_url.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", sqlite_pragmas)
            self.engine.dispose()  # reconnect with the pragmas

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's version turns ANY ValueError raised while the session is open into
        sys.exit (it expects only "no such PostgreSQL schema"). A text the database
        refuses (a lone surrogate is a UnicodeEncodeError, a ValueError) then stopped
        the whole server: here such an error stays an error of that one request."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        finally:
            session.close()

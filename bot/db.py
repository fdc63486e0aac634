"""Database models and sessions (SQLAlchemy 1.4; SQLite by default, PostgreSQL by URL).

Schema changes go through Alembic (migrations/). Rasa's tracker store keeps its own
`events` table in the same database.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
from typing import Iterator, Optional

from sqlalchemy import (
    JSON, Boolean, Column, DateTime, Float, Integer, String, Text, create_engine, event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot.settings import get_settings

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Screening(Base):
    """One completed eligibility check. Holds no names or birth dates."""

    __tablename__ = "screenings"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    condition_keys = Column(JSON, nullable=False, default=list)
    programs = Column(JSON, nullable=False, default=list)
    age_years = Column(Float, nullable=True)
    zip_code = Column(String(10), nullable=True)
    state = Column(String(2), nullable=True)
    county = Column(String(64), nullable=True)
    route = Column(String(40), nullable=False)
    eligible = Column(Boolean, nullable=False)
    total_fee_usd = Column(Integer, nullable=False, default=0)


class CallbackRequest(Base):
    """A parent asked for a person. The coordinator queue reads these (later issue)."""

    __tablename__ = "callback_requests"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    phone = Column(String(32), nullable=True)
    reason = Column(Text, nullable=True)
    status = Column(String(16), nullable=False, default="open")


@functools.lru_cache(maxsize=None)
def engine_for(url: str) -> Engine:
    kwargs = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the Rasa server, the action server and the portal share one file.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@contextlib.contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    factory = sessionmaker(bind=engine_for(url or get_settings().database_url), future=True,
                           expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()

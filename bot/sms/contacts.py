"""Per-number SMS state in `sms_contacts`: opt-out (STOP / START), the one-time
"Reply STOP to opt out" line, and the numbered menu last sent.

Every write first makes sure the row exists with INSERT ... ON CONFLICT DO NOTHING and
then changes it with one UPDATE, so two processes texting the same number at once
(replicas, worker threads) never trip over the primary key, on SQLite or PostgreSQL.
Numbers are keyed in E.164; anything that is not a phone number is refused.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db import SmsContact, session_scope, utcnow
from bot.phones import to_e164


def _key(phone: str) -> str:
    e164 = to_e164(phone)
    if e164 is None:
        raise ValueError("not a phone number")
    return e164


def _ensure(session: Session, phone: str, now: dt.datetime) -> None:
    """Create the number's row unless it exists, without racing another writer."""
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"sms_contacts needs SQLite or PostgreSQL, not {dialect}")
    session.execute(insert(SmsContact).values(phone=phone, created_at=now)
                    .on_conflict_do_nothing(index_elements=["phone"]))


def _set(phone: str, values: dict[str, Any], now: Optional[dt.datetime],
         url: Optional[str], only_if: Optional[Any] = None) -> int:
    """Upsert the row, then UPDATE it (optionally only WHERE only_if); rows changed."""
    phone, now = _key(phone), now or utcnow()
    with session_scope(url) as session:
        _ensure(session, phone, now)
        query = update(SmsContact).where(SmsContact.phone == phone)
        if only_if is not None:
            query = query.where(only_if)
        return session.execute(query.values(**values)).rowcount


def _get(phone: str, url: Optional[str]) -> Optional[SmsContact]:
    e164 = to_e164(phone)
    if e164 is None:
        return None
    with session_scope(url) as session:
        return session.execute(select(SmsContact).where(SmsContact.phone == e164)).scalar()


def is_opted_out(phone: str, url: Optional[str] = None) -> bool:
    row = _get(phone, url)
    return row is not None and row.opted_out_at is not None


def opt_out(phone: str, now: Optional[dt.datetime] = None, url: Optional[str] = None) -> None:
    """STOP (or Twilio said the number unsubscribed): nothing more goes to it."""
    _set(phone, {"opted_out_at": now or utcnow()}, now, url)


def opt_in(phone: str, now: Optional[dt.datetime] = None, url: Optional[str] = None) -> None:
    """START: texts may go to the number again."""
    _set(phone, {"opted_in_at": now or utcnow(), "opted_out_at": None}, now, url)


def claim_opt_line(phone: str, now: Optional[dt.datetime] = None,
                   url: Optional[str] = None) -> bool:
    """True exactly once per number, ever: the caller adds "Reply STOP to opt out" to
    that text. The conditional UPDATE makes concurrent senders agree on one winner."""
    row = _get(phone, url)
    if row is not None and row.opt_line_sent_at is not None:
        return False  # the usual case: a read, no write on every text
    now = now or utcnow()
    return _set(phone, {"opt_line_sent_at": now}, now, url,
                only_if=SmsContact.opt_line_sent_at.is_(None)) == 1


def save_menu(phone: str, menu: Optional[list[dict]], url: Optional[str] = None) -> None:
    """The numbered choices just texted (None or [] clears them)."""
    _set(phone, {"menu": list(menu) if menu else None}, None, url)


def menu_of(phone: str, url: Optional[str] = None) -> list[dict]:
    row = _get(phone, url)
    return list(row.menu or []) if row is not None else []

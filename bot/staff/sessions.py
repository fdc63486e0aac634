"""Server-side staff sessions (table staff_sessions).

The browser holds a random token; the table holds only its SHA-256, so a copy of the
database signs nobody in. A session ends at logout, after STAFF_SESSION_HOURS, when
the account is disabled or its password changes (bot/staff/users.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete, select

from bot.db import StaffSession, StaffUser, session_scope
from bot.settings import Settings


@dataclass(frozen=True)
class Staff:
    """Who is signed in, as the routes see it."""

    session_id: int
    user_id: int
    username: str
    role: str
    csrf: str  # the session's CSRF token (hidden field of every form)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user_id: int, settings: Settings, now: dt.datetime,
          ip: Optional[str] = None) -> str:
    """A new session; returns the token for the cookie. Expired rows are cleared too."""
    token = secrets.token_urlsafe(32)
    with session_scope(settings.database_url) as session:
        session.execute(delete(StaffSession).where(StaffSession.expires_at <= now)
                        .execution_options(synchronize_session=False))
        session.add(StaffSession(
            token_hash=token_hash(token), user_id=user_id, csrf_token=secrets.token_urlsafe(32),
            created_at=now, ip=ip,
            expires_at=now + dt.timedelta(hours=settings.staff_session_hours)))
    return token


def current(token: Optional[str], url: str, now: dt.datetime) -> Optional[Staff]:
    """The live session for this cookie value, if any (and its user still enabled)."""
    if not token or len(token) > 128:
        return None
    with session_scope(url) as session:
        row = session.execute(
            select(StaffSession, StaffUser).join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(StaffSession.token_hash == token_hash(token))).first()
        if row is None:
            return None
        sess, user = row
        if sess.expires_at <= now or user.disabled_at is not None:
            return None
        return Staff(sess.id, user.id, user.username, user.role, sess.csrf_token)


def end(token: Optional[str], url: str) -> None:
    if token:
        with session_scope(url) as session:
            session.execute(delete(StaffSession).where(
                StaffSession.token_hash == token_hash(token))
                .execution_options(synchronize_session=False))

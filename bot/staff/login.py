"""Checking a username and password, with lockout.

STAFF_MAX_FAILED_LOGINS wrong passwords in a row lock the account for
STAFF_LOCKOUT_MINUTES, during which even the right password is refused. Every failure
(unknown user, wrong password, locked, disabled) gives the caller the same answer and
costs one argon2 verification, so neither the text nor the time tells them apart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import and_, case, or_, select, update

from bot.db import StaffUser, session_scope
from bot.settings import Settings
from bot.staff import passwords

OK, WRONG, LOCKED, UNKNOWN, DISABLED = "ok", "wrong_password", "locked", "unknown", "disabled"


@dataclass(frozen=True)
class Outcome:
    result: str  # one of the constants above; only OK signs in
    user_id: Optional[int] = None
    username: Optional[str] = None
    role: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.result == OK


def authenticate(username: str, password: str, settings: Settings, now: dt.datetime) -> Outcome:
    name = (username or "").strip().lower()[:64]
    with session_scope(settings.database_url) as session:
        user = session.execute(select(StaffUser).where(StaffUser.username == name)
                               ).scalar_one_or_none() if name else None
        if user is None:
            passwords.verify(None, password)
            return Outcome(UNKNOWN)
        who = dict(user_id=user.id, username=user.username, role=user.role)
        stored_hash, disabled = user.password_hash, user.disabled_at is not None
    if not _reserve_attempt(who["user_id"], settings, now):
        passwords.verify(None, password)
        return Outcome(LOCKED, **who)
    right = passwords.verify(stored_hash, password)
    if disabled:
        return Outcome(DISABLED, **who)
    if not right:
        return Outcome(LOCKED if _lock_if_spent(who["user_id"], settings, now) else WRONG, **who)
    with session_scope(settings.database_url) as session:
        session.execute(update(StaffUser).where(StaffUser.id == who["user_id"])
                        .values(failed_logins=0, locked_until=None))
        if passwords.needs_rehash(stored_hash):
            session.execute(update(StaffUser).where(StaffUser.id == who["user_id"])
                            .values(password_hash=passwords.HASHER.hash(password)))
    return Outcome(OK, **who)


def _reserve_attempt(user_id: int, settings: Settings, now: dt.datetime) -> bool:
    """Counts this attempt before the password is checked, in one conditional UPDATE, so
    however many guesses arrive at once, at most STAFF_MAX_FAILED_LOGINS are checked per
    lockout (a read-then-write counter lost them: SQLite has no row lock). False: locked."""
    lock_over = and_(StaffUser.locked_until.isnot(None), StaffUser.locked_until <= now)
    with session_scope(settings.database_url) as session:
        result = session.execute(
            update(StaffUser)
            .where(StaffUser.id == user_id,
                   or_(StaffUser.locked_until.is_(None), StaffUser.locked_until <= now),
                   or_(lock_over, StaffUser.failed_logins < settings.staff_max_failed_logins))
            .values(failed_logins=case((lock_over, 1), else_=StaffUser.failed_logins + 1),
                    locked_until=None)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1


def _lock_if_spent(user_id: int, settings: Settings, now: dt.datetime) -> bool:
    """After a wrong password: lock once the attempts are spent. True when locked."""
    with session_scope(settings.database_url) as session:
        session.execute(
            update(StaffUser)
            .where(StaffUser.id == user_id, StaffUser.locked_until.is_(None),
                   StaffUser.failed_logins >= settings.staff_max_failed_logins)
            .values(locked_until=now + dt.timedelta(minutes=settings.staff_lockout_minutes))
            .execution_options(synchronize_session=False))
        locked_until = session.execute(select(StaffUser.locked_until)
                                       .where(StaffUser.id == user_id)).scalar()
        return locked_until is not None and now < locked_until

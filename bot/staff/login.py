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

from sqlalchemy import select

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
                               .with_for_update()).scalar_one_or_none() if name else None
        if user is None:
            passwords.verify(None, password)
            return Outcome(UNKNOWN)
        who = dict(user_id=user.id, username=user.username, role=user.role)
        if user.locked_until is not None and now < user.locked_until:
            passwords.verify(None, password)
            return Outcome(LOCKED, **who)
        right = passwords.verify(user.password_hash, password)
        if user.disabled_at is not None:
            return Outcome(DISABLED, **who)
        if not right:
            _count_failure(user, settings, now)
            return Outcome(LOCKED if user.locked_until else WRONG, **who)
        user.failed_logins, user.locked_until = 0, None
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.HASHER.hash(password)
        return Outcome(OK, **who)


def _count_failure(user: StaffUser, settings: Settings, now: dt.datetime) -> None:
    if user.locked_until is not None:  # an earlier lock has run out: a fresh count
        user.failed_logins, user.locked_until = 0, None
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= settings.staff_max_failed_logins:
        user.failed_logins = 0
        user.locked_until = now + dt.timedelta(minutes=settings.staff_lockout_minutes)

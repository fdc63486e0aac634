"""Staff accounts (table staff_users): add, list, disable, set a password.

Roles: "coordinator" may do everything in the workspace, "reviewer" only reads.
Disabling an account or changing its password ends its sessions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import StaffSession, StaffUser, session_scope
from bot.staff import clock, passwords

COORDINATOR = "coordinator"
REVIEWER = "reviewer"
ROLES = (COORDINATOR, REVIEWER)
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class UserError(ValueError):
    pass


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    role: str
    disabled: bool
    locked_until: Optional[str]


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise UserError("a username is 1 to 64 of a-z, 0-9, '.', '_' or '-', starting with "
                        "a letter or digit")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"the role is one of {', '.join(ROLES)}")
    return role


def add_user(username: str, role: str, password: str, url: Optional[str] = None) -> UserInfo:
    name, role = check_username(username), check_role(role)
    hashed = passwords.hash_password(password)
    try:
        with session_scope(url) as session:
            user = StaffUser(username=name, role=role, password_hash=hashed,
                             created_at=clock.now(), failed_logins=0)
            session.add(user)
            session.flush()
            return _info(user)
    except IntegrityError:
        raise UserError(f"there is already a user {name!r}") from None


def list_users(url: Optional[str] = None) -> list[UserInfo]:
    with session_scope(url) as session:
        return [_info(u) for u in session.execute(
            select(StaffUser).order_by(StaffUser.username)).scalars()]


def disable_user(username: str, url: Optional[str] = None) -> UserInfo:
    with session_scope(url) as session:
        user = _find(session, username)
        user.disabled_at = user.disabled_at or clock.now()
        end_sessions(session, user.id)
        return _info(user)


def set_password(username: str, password: str, url: Optional[str] = None) -> UserInfo:
    """A new password also lifts a lockout and signs the user out everywhere."""
    hashed = passwords.hash_password(password)
    with session_scope(url) as session:
        user = _find(session, username)
        user.password_hash, user.failed_logins, user.locked_until = hashed, 0, None
        end_sessions(session, user.id)
        return _info(user)


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(StaffSession).where(StaffSession.user_id == user_id)
                    .execution_options(synchronize_session=False))


def _find(session: Session, username: str) -> StaffUser:
    user = session.execute(select(StaffUser).where(
        StaffUser.username == username.strip().lower())).scalar_one_or_none()
    if user is None:
        raise UserError(f"there is no user {username!r}")
    return user


def _info(user: StaffUser) -> UserInfo:
    locked = user.locked_until.isoformat(timespec="seconds") \
        if user.locked_until and user.locked_until > clock.now() else None
    return UserInfo(user.id, user.username, user.role, user.disabled_at is not None, locked)

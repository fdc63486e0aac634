"""The coordinator's queue: open call-back requests first, then cases, with filters.

Cases are ordered by due date (most overdue first); cases without one (documents not
all in yet, or closed) follow, newest first. One page holds PAGE_SIZE cases.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import String, case as sql_case, cast, func, or_, select, update
from sqlalchemy.orm import selectinload

from bot import checklist
from bot.db import CallbackRequest, Case, session_scope
from bot.settings import Settings
from bot.staff import due, hours

PAGE_SIZE = 50
PHONE_LIKE = re.compile(r"[\d\s().+-]+")


@dataclass(frozen=True)
class Filters:
    program: str = ""
    status: str = ""
    due: str = ""  # "", due.DUE_SOON or due.OVERDUE
    flagged: bool = False
    q: str = ""  # reference, child's name or phone
    page: int = 1


def callbacks(settings: Settings) -> list[dict]:
    """Open call-back requests, oldest first, each with whether it came in during hours."""
    with session_scope(settings.database_url) as session:
        rows = session.execute(select(CallbackRequest).where(CallbackRequest.status == "open")
                               .order_by(CallbackRequest.created_at, CallbackRequest.id))
        return [{"id": r.id, "phone": r.phone, "reason": r.reason, "language": r.language,
                 "channel": r.channel, "created_at": r.created_at,
                 "in_hours": hours.within(r.created_at, settings.coordinator_schedule,
                                          settings.coordinator_timezone)}
                for r in rows.scalars()]


def mark_done(callback_id: int, url: str) -> bool:
    """True when an open request was closed by this call."""
    with session_scope(url) as session:
        result = session.execute(update(CallbackRequest).where(
            CallbackRequest.id == callback_id, CallbackRequest.status == "open")
            .values(status="done").execution_options(synchronize_session=False))
        return result.rowcount == 1


def cases_page(filters: Filters, url: str, now: dt.datetime) -> tuple[list[dict], int]:
    """One page of cases (as dicts for the template) and how many match in all."""
    where = _conditions(filters, now)
    no_due = or_(Case.documents_received_at.is_(None), Case.status.in_(due.NO_DUE_DATE))
    with session_scope(url) as session:
        total = session.execute(select(func.count(Case.id)).where(*where)).scalar_one()
        rows = session.execute(
            select(Case).options(selectinload(Case.checklist)).where(*where)
            .order_by(sql_case((no_due, 1), else_=0), Case.documents_received_at,
                      Case.created_at.desc(), Case.id.desc())
            .limit(PAGE_SIZE).offset((max(filters.page, 1) - 1) * PAGE_SIZE)).scalars()
        return [_row(c, now) for c in rows], total


def _conditions(filters: Filters, now: dt.datetime) -> list:
    where = []
    if filters.program:
        where.append(Case.program == filters.program)
    if filters.status:
        where.append(Case.status == filters.status)
    open_case = Case.status.notin_(due.NO_DUE_DATE)
    if filters.due == due.OVERDUE:
        where += [open_case, Case.documents_received_at < due.overdue_before(now)]
    elif filters.due == due.DUE_SOON:
        first, last = due.soon_window(now)
        where += [open_case, Case.documents_received_at.between(first, last)]
    if filters.flagged:  # JSON has no equality on PostgreSQL: compare its text
        where.append(func.coalesce(cast(Case.flags, String), "{}").notin_(["{}", "null"]))
    if filters.q.strip():
        where.append(_search(filters.q.strip()))
    return where


def _search(q: str):
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = [Case.reference.ilike(pattern, escape="\\"),
             Case.child_first_name.ilike(pattern, escape="\\"),
             Case.child_last_name.ilike(pattern, escape="\\"),
             (Case.child_first_name + " " + Case.child_last_name).ilike(pattern, escape="\\")]
    digits = re.sub(r"\D", "", q)
    if PHONE_LIKE.fullmatch(q) and len(digits) >= 4:
        national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        found.append(Case.guardian_phone.like(f"%{national}%"))
    return or_(*found)


def _row(c: Case, now: dt.datetime) -> dict:
    required = [i for i in c.checklist if i.required]
    received = sum(1 for i in required if i.status == checklist.RECEIVED)
    return {"id": c.id, "reference": c.reference, "program": c.program, "status": c.status,
            "channel": c.channel, "created_at": c.created_at,
            "child": " ".join(p for p in (c.child_first_name, c.child_last_name) if p),
            "progress": (received, len(required)),
            "due": due.due_of(c.documents_received_at, c.status, now),
            "flags": sorted((c.flags or {}).keys())}

"""The coordinator's daily digest (`python -m bot digest`, run by cron): cases due soon
and overdue, and how many call-back requests are open, by email to COORDINATOR_EMAIL.

Like the alerts (bot/staff/alerts.py) it names cases by reference and program only and
links to the workspace; nothing about the child. It goes out once per local day: a
second run that day (cron on two servers, a retried job) sends nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, select

from bot.db import CallbackRequest, Case, session_scope, utcnow
from bot.notifier import Delivery, Message, Notifier
from bot.settings import Settings
from bot.staff import alerts, due

DIGEST = "digest"


@dataclass(frozen=True)
class DueCase:
    id: int
    reference: str
    program: str
    status: str
    received_at: dt.datetime  # naive UTC
    due: due.Due


@dataclass(frozen=True)
class Outcome:
    listed: int  # cases in the digest
    callbacks: int  # open call-back requests
    delivery: Optional[Delivery]  # None: nothing due, alerts off, or sent already today
    note: str  # what the command prints


def due_cases(settings: Settings, now: dt.datetime) -> list[DueCase]:
    """Open cases due soon or overdue at `now`, most overdue first."""
    with session_scope(settings.database_url) as session:
        rows = session.execute(
            select(Case.id, Case.reference, Case.program, Case.status,
                   Case.documents_received_at)
            .where(Case.status.notin_(due.NO_DUE_DATE),
                   Case.documents_received_at <= due.soon_window(now)[1])
            .order_by(Case.documents_received_at, Case.id)).all()
    return [DueCase(r.id, r.reference, r.program, r.status, r.documents_received_at,
                    due.due_of(r.documents_received_at, r.status, now)) for r in rows]


def open_callbacks(settings: Settings) -> int:
    with session_scope(settings.database_url) as session:
        return session.execute(select(func.count(CallbackRequest.id))
                               .where(CallbackRequest.status == "open")).scalar_one()


def build_digest(settings: Settings, now: Optional[dt.datetime] = None) -> Optional[Message]:
    """The email, or None when no case is due soon or overdue and no call-back is open."""
    now = now or utcnow()
    return _compose(settings, now, due_cases(settings, now), open_callbacks(settings))


def send_digest(settings: Settings, now: Optional[dt.datetime] = None) -> Outcome:
    now = now or utcnow()
    cases, callbacks = due_cases(settings, now), open_callbacks(settings)
    message = _compose(settings, now, cases, callbacks)
    if message is None:
        return Outcome(0, 0, None, "nothing due")
    summary = f"{len(cases)} cases listed, {callbacks} open call-backs"
    if not message.to:
        return Outcome(len(cases), callbacks, None,
                       f"{summary}; COORDINATOR_EMAIL is empty: not sent")
    day = _local_day(now, settings)
    if not alerts.claim(DIGEST, day, settings.database_url):
        return Outcome(len(cases), callbacks, None,
                       f"{summary}; the digest of {day} was sent already")
    delivery = Notifier(settings).send(message)
    return Outcome(len(cases), callbacks, delivery, f"{summary}; email {delivery.status}")


def _compose(settings: Settings, now: dt.datetime, cases: list[DueCase],
             callbacks: int) -> Optional[Message]:
    if not cases and not callbacks:
        return None
    overdue = sum(1 for c in cases if c.due.state == due.OVERDUE)
    lines = [f"Cases due soon or overdue: {len(cases)} ({overdue} overdue).",
             f"Open call-back requests: {callbacks} (see {settings.public_base_url}/coordinator).",
             ""]
    for c in cases:
        state = "OVERDUE" if c.due.state == due.OVERDUE else "due soon"
        lines += [f"{c.reference} | {c.program} | {c.status} | {state} | "
                  f"{(now - c.received_at).days} days since documents received | "
                  f"due {alerts.local_time(c.due.at, settings)}",
                  f"  {alerts.case_link(c.id, settings)}"]
    lines += ["", alerts.PRIVACY_LINE]
    subject = (f"{alerts.SUBJECT_PREFIX} Daily digest {_local_day(now, settings)}: "
               f"{len(cases)} cases due, {callbacks} call-backs")
    return Message("email", alerts.recipients(settings), "\n".join(lines), subject=subject,
                   kind=alerts.KIND)


def _local_day(now: dt.datetime, settings: Settings) -> str:
    return alerts.local_time(now, settings).split(" ")[1]  # "Mon 2026-12-07 ..." -> the date

"""When a case's review is due: DUE_DAYS after it became documents_received.

"due soon" from DUE_SOON_DAYS after that moment until the due time, "overdue" after
it (exact times, not calendar days). A case whose opinion was sent, or that ended, has no due date
(workflow.NO_DUE_DATE).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from bot.staff.workflow import NO_DUE_DATE

DUE_DAYS = 10
DUE_SOON_DAYS = 7
ON_TIME, DUE_SOON, OVERDUE = "on_time", "due_soon", "overdue"


@dataclass(frozen=True)
class Due:
    at: dt.datetime  # naive UTC
    state: str  # ON_TIME, DUE_SOON or OVERDUE


def due_of(received_at: Optional[dt.datetime], status: str,
           now: dt.datetime) -> Optional[Due]:
    if received_at is None or status in NO_DUE_DATE:
        return None
    at = received_at + dt.timedelta(days=DUE_DAYS)
    if now > at:
        return Due(at, OVERDUE)
    if now >= received_at + dt.timedelta(days=DUE_SOON_DAYS):
        return Due(at, DUE_SOON)
    return Due(at, ON_TIME)


def soon_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """documents_received_at between these two (inclusive) means due soon now."""
    return now - dt.timedelta(days=DUE_DAYS), now - dt.timedelta(days=DUE_SOON_DAYS)


def overdue_before(now: dt.datetime) -> dt.datetime:
    """documents_received_at before this means overdue now."""
    return now - dt.timedelta(days=DUE_DAYS)

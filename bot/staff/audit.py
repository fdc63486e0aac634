"""The audit trail (table audit_events): who saw or did what, on which case, when, from
where. Every page or API call that shows health information writes a row.

Actors: a staff username, or "api" for the COORDINATOR_API_TOKEN holder.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Optional

from sqlalchemy import insert, select

from bot.db import AuditEvent, session_scope
from bot.staff import clock


def record(actor: str, role: str, action: str, *, case_id: Optional[int] = None,
           detail: Optional[Mapping[str, Any]] = None, ip: Optional[str] = None,
           url: Optional[str] = None, at: Optional[dt.datetime] = None) -> None:
    record_many(actor, role, action, [case_id], detail=detail, ip=ip, url=url, at=at)


def record_many(actor: str, role: str, action: str, case_ids: Iterable[Optional[int]], *,
                detail: Optional[Mapping[str, Any]] = None, ip: Optional[str] = None,
                url: Optional[str] = None, at: Optional[dt.datetime] = None) -> None:
    """One row per case (a list page shows many cases), in one statement."""
    at = at or clock.now()
    rows = [{"at": at, "actor": actor[:64], "role": role[:16], "case_id": case_id,
             "action": action[:64], "detail": dict(detail or {}), "ip": ip}
            for case_id in case_ids]
    if rows:
        with session_scope(url) as session:
            session.execute(insert(AuditEvent), rows)


def for_case(case_id: int, url: Optional[str] = None) -> list[dict]:
    """Every row about this case, oldest first."""
    with session_scope(url) as session:
        return [_row(e) for e in session.execute(
            select(AuditEvent).where(AuditEvent.case_id == case_id)
            .order_by(AuditEvent.at, AuditEvent.id)).scalars()]


def recent(limit: int = 100, url: Optional[str] = None) -> list[dict]:
    """The newest rows, newest first."""
    with session_scope(url) as session:
        return [_row(e) for e in session.execute(
            select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)).scalars()]


def _row(event: AuditEvent) -> dict:
    return {"id": event.id, "at": event.at.isoformat(timespec="seconds") + "Z",
            "actor": event.actor, "role": event.role, "case_id": event.case_id,
            "action": event.action, "detail": dict(event.detail or {}), "ip": event.ip}

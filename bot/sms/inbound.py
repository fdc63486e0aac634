"""Texts Twilio posted, kept by MessageSid so a retried webhook never makes a second turn.

The row is written before Twilio gets its answer: a retry (Twilio retries on timeouts
and 5xx) finds it, also after a restart. While its turn is pending the row holds the
scrubbed text and media; a process that dies mid-turn leaves it pending, and the next
start replays it. Once done the text is cleared: the tracker keeps the conversation.
Blocking (database): async callers use a worker thread.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from bot.db import SmsInbound, session_scope, utcnow

PENDING, DONE, FAILED, IGNORED, REPLAYING = "pending", "done", "failed", "ignored", "replaying"


@dataclass(frozen=True)
class Inbound:
    id: int
    message_sid: str
    phone: str
    body: str
    media: list[dict]


def record(message_sid: str, phone: str, body: str, media: list[dict],
           url: Optional[str] = None) -> Optional[Inbound]:
    """The new text, or None when this MessageSid was seen before (a retry)."""
    try:
        with session_scope(url) as session:
            row = SmsInbound(message_sid=message_sid, phone=phone, received_at=utcnow(),
                             status=PENDING, body=body, media=media or None)
            session.add(row)
            session.flush()
            return Inbound(row.id, message_sid, phone, body, list(media or []))
    except IntegrityError:
        return None


def finish(inbound_id: int, status: str = DONE, url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        session.execute(update(SmsInbound).where(SmsInbound.id == inbound_id).values(
            status=status, body=None, media=None, finished_at=utcnow()))


def claim_stranded(older_than: dt.timedelta = dt.timedelta(minutes=2),
                   url: Optional[str] = None) -> list[Inbound]:
    """Texts left pending by a process that stopped mid-turn, oldest first. Each is
    claimed with one conditional UPDATE, so two replicas starting together never both
    replay the same text."""
    cutoff = utcnow() - older_than
    claimed = []
    with session_scope(url) as session:
        ids = [i for (i,) in session.query(SmsInbound.id).filter(
            SmsInbound.status == PENDING, SmsInbound.received_at < cutoff)
            .order_by(SmsInbound.id).limit(500)]
    for inbound_id in ids:
        with session_scope(url) as session:
            won = session.execute(update(SmsInbound).where(
                SmsInbound.id == inbound_id, SmsInbound.status == PENDING)
                .values(status=REPLAYING)).rowcount == 1
            if won:
                row = session.get(SmsInbound, inbound_id)
                claimed.append(Inbound(row.id, row.message_sid, row.phone, row.body or "",
                                       list(row.media or [])))
    return claimed


def last_text_at(phone: str, url: Optional[str] = None) -> Optional[dt.datetime]:
    """When this number last texted us (reminders wait while a parent is active)."""
    with session_scope(url) as session:
        row = session.query(SmsInbound.received_at).filter(SmsInbound.phone == phone) \
            .order_by(SmsInbound.received_at.desc()).first()
        return row[0] if row else None

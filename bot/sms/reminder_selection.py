"""Which texting families are due a reminder, and the claim that keeps two runs from
texting one number twice.

Reads and claims only; the wording and the sending are in bot/sms/reminders.py.

A number is due when one of its "sms:" cases still has an automatic, unfinished status
(intake_started / awaiting_documents) with a required checklist item missing. The limits
are counted from the outbox (kind "reminder" rows to the number that were not "failed"
or "suppressed"), so every reminder ever sent has one record.

Two runs at once: claim() first writes to the number's case rows (a no-op UPDATE, in
case-id order), which takes PostgreSQL's row locks or SQLite's write lock until commit;
then it re-reads the cases, counts the reminders and, if one may go, inserts a
"claimed" reminder row in the same transaction. The other run waits on the lock and
then counts that row. Nothing is held while the text goes out (the notifier writes in
its own transaction); release() deletes the claim once the real outbox rows exist. A
run that dies in between leaves its claim, which then counts as a reminder: one fewer
text, never one more. Likewise a reminder too long for one SMS (two cases, two links)
goes out as two outbox rows and counts as two.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from bot import checklist
from bot.db import Case, OutboxMessage, SmsInbound, session_scope
from bot.notifier import FAILED, SUPPRESSED
from bot.phones import to_e164
from bot.settings import Settings

KIND = "reminder"
CHANNEL = "sms"
CLAIMED = "claimed"  # a reminder being sent (see the module docstring)
NOT_COUNTED = (FAILED, SUPPRESSED)  # never reached the parent
OPEN_STATUSES = (checklist.INTAKE_STARTED, checklist.AWAITING_DOCUMENTS)
DAY = dt.timedelta(hours=24)
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class OpenCase:
    """One unfinished case of a texting family, as a reminder needs it."""

    case_id: int
    reference: str
    missing: tuple[str, ...]  # checklist kinds, in the order the parent sees them
    created_at: dt.datetime  # naive UTC, as stored
    guardian_name: Optional[str]

    @property
    def needs_answers(self) -> bool:
        return checklist.QUESTIONNAIRE in self.missing

    @property
    def needs_upload(self) -> bool:
        """Something done on the upload page (fee agreement or a document) is missing."""
        return any(kind != checklist.QUESTIONNAIRE for kind in self.missing)


@dataclass(frozen=True)
class Claim:
    """claim()'s answer: the outbox row held for this reminder (None when refused or on
    a dry run), the reason it was refused, and the cases as re-read under the lock."""

    outbox_id: Optional[int]
    refused: str = ""  # "" | "complete" | "daily_limit" | "weekly_limit"
    cases: tuple[OpenCase, ...] = ()


def utc_naive(now: dt.datetime) -> dt.datetime:
    """An aware time (or naive UTC) as the database stores times: naive UTC."""
    if now.tzinfo is None:
        return now
    return now.astimezone(dt.timezone.utc).replace(tzinfo=None)


def in_window(now: dt.datetime, settings: Settings) -> bool:
    """start_hour <= the local hour < end_hour, in SMS_REMINDER_TIMEZONE (naive = UTC)."""
    aware = now if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)
    local = aware.astimezone(ZoneInfo(settings.sms_reminder_timezone))
    return settings.sms_reminder_start_hour <= local.hour < settings.sms_reminder_end_hour


def open_cases_by_number(url: str) -> dict[str, list[OpenCase]]:
    """E.164 number -> its unfinished texting cases (oldest first)."""
    by_number: dict[str, list[OpenCase]] = defaultdict(list)
    with session_scope(url) as session:
        rows = session.execute(_open_query().where(Case.channel == CHANNEL)
                               .order_by(Case.id)).scalars()
        for case in rows:
            phone = phone_of(case.conversation_id)
            found = _open_case(case)
            if phone and found:
                by_number[phone].append(found)
    return dict(by_number)


def phone_of(conversation_id: str) -> Optional[str]:
    """"sms:+14045550100" -> "+14045550100"; None for any other channel or a bad number."""
    channel, _, rest = conversation_id.partition(":")
    return to_e164(rest) if channel == CHANNEL and rest else None


def texted_us_since(phone: str, since: dt.datetime, url: str) -> bool:
    """Whether the number sent us a text after `since` (naive UTC)."""
    with session_scope(url) as session:
        return session.execute(select(SmsInbound.id).where(
            SmsInbound.phone == phone, SmsInbound.received_at > since).limit(1)).first() \
            is not None


def claim(phone: str, case_ids: Iterable[int], now: dt.datetime, settings: Settings,
          dry_run: bool = False) -> Claim:
    """Hold one reminder for the number, or say why none may go (see the docstring).
    dry_run: the same checks without the lock or the claim row."""
    now = utc_naive(now)
    ids = sorted(set(case_ids))
    with session_scope(settings.database_url) as session:
        if not dry_run:
            for case_id in ids:  # write first: one lock order, no deadlock between runs
                session.execute(update(Case).where(Case.id == case_id)
                                .values(updated_at=Case.updated_at)
                                .execution_options(synchronize_session=False))
        rows = session.execute(_open_query().where(Case.id.in_(ids)).order_by(Case.id))
        still_open = tuple(found for found in map(_open_case, rows.scalars()) if found)
        if not still_open:
            return Claim(None, "complete")
        refused = _limit_reached(session, phone, now, settings)
        if refused:
            return Claim(None, refused, still_open)
        if dry_run:
            return Claim(None, "", still_open)
        row = OutboxMessage(created_at=now, channel=CHANNEL, to_address=phone[:254],
                            body="(reminder being sent)", case_id=still_open[0].case_id,
                            status=CLAIMED, kind=KIND)
        session.add(row)
        session.flush()
        return Claim(row.id, "", still_open)


def release(outbox_id: int, url: str) -> None:
    """The reminder's own outbox rows exist now: the claim has done its work."""
    with session_scope(url) as session:
        session.execute(delete(OutboxMessage).where(OutboxMessage.id == outbox_id,
                                                    OutboxMessage.status == CLAIMED))


def _limit_reached(session: Session, phone: str, now: dt.datetime,
                   settings: Settings) -> str:
    def count(window: dt.timedelta) -> int:
        # No upper bound: a reminder sent "after" a --now in the past still counts.
        return session.execute(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == KIND, OutboxMessage.channel == CHANNEL,
            OutboxMessage.to_address == phone, OutboxMessage.status.notin_(NOT_COUNTED),
            OutboxMessage.created_at > now - window)).scalar_one()

    if count(DAY) >= settings.sms_reminders_per_day:
        return "daily_limit"
    if count(WEEK) >= settings.sms_reminders_per_week:
        return "weekly_limit"
    return ""


def _open_query():
    return select(Case).options(selectinload(Case.checklist)).where(
        Case.status.in_(OPEN_STATUSES))


def _open_case(case: Case) -> Optional[OpenCase]:
    """The case with what it still needs; None when nothing required is missing."""
    received = {i.kind for i in case.checklist if i.status == checklist.RECEIVED}
    required = {i.kind for i in case.checklist if i.required}
    order = {kind: n for n, kind in enumerate(checklist.KINDS)}
    missing = tuple(sorted(required - received, key=lambda k: (order.get(k, len(order)), k)))
    if not missing:
        return None
    return OpenCase(case.id, case.reference, missing, case.created_at, case.guardian_name)
